// Asks for a product or device group name, checked as it is typed with the same rules the client applies before
// sending (letters, digits and spaces, at most 50), so a bad name is refused where it is typed.
import * as vscode from 'vscode';
import { requireFleetName, type FleetNameKind } from '../cloud/fleet-validate';
import { CancelledError } from '../common/errors';

export async function askFleetName(kind: FleetNameKind, title: string, value = '', given?: string): Promise<string> {
  if (given !== undefined) return requireFleetName(kind, given);
  const name = await vscode.window.showInputBox({
    title,
    prompt: `The ${kind} name: letters, digits and spaces, at most 50 characters, unique ${kind === 'product' ? 'in the tenant' : 'in the product'}.`,
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      try {
        requireFleetName(kind, text);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (name === undefined) throw new CancelledError();
  return requireFleetName(kind, name);
}

export async function askDescription(title: string, value = '', given?: string): Promise<string | undefined> {
  if (given !== undefined) return given;
  const text = await vscode.window.showInputBox({ title, prompt: 'A description (optional).', value, ignoreFocusOut: true });
  if (text === undefined) throw new CancelledError();
  return text || undefined;
}
