import * as vscode from 'vscode';
import { requireTenantName } from '../cloud/validate';
import { CloudApiError } from '../cloud/api-error';
import type { Tenant } from '../cloud/sphere-api-types';
import type { CommandModule } from '../common/command-registry';
import { CancelledError, UserFacingError } from '../common/errors';
import { resolveBoard } from '../boards/board-picker';
import type { Services } from '../services';
import { CommandId } from './ids';

/**
 * Creates a tenant (azsphere tenant create): needs the ID of an attached board that is not claimed yet. When the
 * service answers that the directory already has a tenant, the user is warned and another is created only on
 * explicit confirmation (the CLI's --force-additional).
 */
export const createTenant: CommandModule<Services> = {
  id: CommandId.createTenant,
  async run({ tenants, devices, log }, arg) {
    if (!(await tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first: a tenant belongs to your work or school account.');
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Create a tenant with which board?' });
    const deviceId = board.deviceId;
    if (!deviceId) throw new UserFacingError(`The device ID of ${board.label} is not known yet: ${board.factsError ?? 'the board has not answered'}.`);

    const name = await vscode.window.showInputBox({
      title: 'Create an Azure Sphere tenant',
      prompt: `A name for the new tenant (created with board ${board.shortId})`,
      validateInput: (value) => {
        try {
          requireTenantName(value);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (name === undefined) throw new CancelledError();

    const api = await tenants.apiClient();
    const create = (force: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating tenant "${name.trim()}"…` }, () =>
        api.createTenant({ deviceId, name, force }),
      );
    let tenant: Tenant;
    try {
      tenant = await create(false);
    } catch (err) {
      // Only the service knows every tenant of the directory (the user may hold a role in none of them).
      if (!isDirectoryHasTenant(err)) throw err;
      const another = 'Create Another Tenant';
      const picked = await vscode.window.showWarningMessage(
        `${err.serverMessage?.split('. Set ')[0] ?? 'Your directory already has an Azure Sphere tenant'}. ` +
          'Most organizations need only one: a tenant cannot be deleted or renamed, and boards claimed into it stay there forever. Create another anyway?',
        { modal: true },
        another,
      );
      if (picked !== another) throw new CancelledError();
      tenant = await create(true);
    }
    log.info(`Created tenant ${tenant.Name} (${tenant.Id}) with board ${deviceId.slice(0, 16)}…`);
    tenants.refresh();
    await tenants.selectTenant(tenant);
    void vscode.window.showInformationMessage(`Tenant "${tenant.Name}" is created and selected.`);
  },
};

function isDirectoryHasTenant(err: unknown): err is CloudApiError {
  return err instanceof CloudApiError && err.status === 409 && /already has an? (Azure Sphere )?tenant/i.test(err.serverMessage ?? '');
}
