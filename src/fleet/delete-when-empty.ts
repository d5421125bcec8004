// Deleting a product or a device group: refused while devices are in it (counted first, so nobody is asked to confirm
// what would be refused), confirmed in a modal, then run with the service's progress. The backends check again before
// sending; a device claimed in meanwhile makes the service's own operation fail, with its reason.
import * as vscode from 'vscode';
import type { FleetBackend, FleetScope } from '../cloud/backend/fleet-backend';
import { CancelledError, UserFacingError } from '../common/errors';
import { withOperationProgress, type OperationProgress } from './operation-progress';

export const DELETE = 'Delete';

export interface EmptyDeletion {
  /** `Product "X"`, `Device group "Y"`: how the messages name it. */
  readonly what: string;
  readonly within: { productId?: string; groupId?: string };
  /** Where its devices can go instead. */
  readonly moveTo: string;
  readonly question: string;
  readonly delete: (onProgress: OperationProgress) => Promise<void>;
}

export async function deleteWhenEmpty(backend: FleetBackend, scope: FleetScope, deletion: EmptyDeletion): Promise<void> {
  const count = await backend.countDevices(scope, deletion.within);
  if (count > 0) {
    throw new UserFacingError(`${deletion.what} still has ${count.toLocaleString('en-US')} device${count === 1 ? '' : 's'}; move ${count === 1 ? 'it' : 'them'} to ${deletion.moveTo} first. Nothing was deleted.`);
  }
  const answer = await vscode.window.showWarningMessage(deletion.question, { modal: true, detail: 'Its deployments go with it. This cannot be undone.' }, DELETE);
  if (answer !== DELETE) throw new CancelledError();
  await withOperationProgress(`Deleting ${deletion.what.charAt(0).toLowerCase()}${deletion.what.slice(1)}`, deletion.delete);
}
