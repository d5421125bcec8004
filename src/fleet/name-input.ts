// Asks for a product or device group name, checked as it is typed with the same rules the backend applies before
// sending — the security service's for a tenant (letters, digits and spaces, at most 50), the ARM spec's resource
// name patterns for a catalog — so a bad name is refused where it is typed.
import * as vscode from 'vscode';
import { requireArmDeviceGroupName, requireArmProductName } from '../cloud/arm-sphere/arm-names';
import type { FleetScope } from '../cloud/backend/fleet-backend';
import { requireFleetName, type FleetNameKind } from '../cloud/fleet-validate';
import { CancelledError } from '../common/errors';

/** The name rule of `kind` in `scope`: returns the name to send, or throws with the reason. */
export function requireScopedFleetName(scope: Pick<FleetScope, 'kind'>, kind: FleetNameKind, value: string): string {
  if (scope.kind === 'legacy') return requireFleetName(kind, value);
  return kind === 'product' ? requireArmProductName((value ?? '').trim(), { forCreate: true }) : requireArmDeviceGroupName((value ?? '').trim(), { forCreate: true });
}

function prompt(scope: Pick<FleetScope, 'kind'>, kind: FleetNameKind): string {
  const unique = kind === 'product' ? `unique in the ${scope.kind === 'catalog' ? 'catalog' : 'tenant'}` : 'unique in the product';
  if (scope.kind === 'legacy') return `The ${kind} name: letters, digits and spaces, at most 50 characters, ${unique}.`;
  return kind === 'product'
    ? `The product's resource name: 3–50 letters, digits, '_' or spaces, starting and ending with a letter, digit or '_'; ${unique}. It cannot be changed later.`
    : `The device group's resource name: 1–50 letters, digits or spaces, starting and ending with a letter or digit; ${unique}. It cannot be changed later.`;
}

export async function askFleetName(scope: Pick<FleetScope, 'kind'>, kind: FleetNameKind, title: string, value = '', given?: string): Promise<string> {
  if (given !== undefined) return requireScopedFleetName(scope, kind, given);
  const name = await vscode.window.showInputBox({
    title,
    prompt: prompt(scope, kind),
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      try {
        requireScopedFleetName(scope, kind, text);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (name === undefined) throw new CancelledError();
  return requireScopedFleetName(scope, kind, name);
}

export async function askDescription(title: string, value = '', given?: string): Promise<string | undefined> {
  if (given !== undefined) return given;
  const text = await vscode.window.showInputBox({ title, prompt: 'A description (optional).', value, ignoreFocusOut: true });
  if (text === undefined) throw new CancelledError();
  return text || undefined;
}
