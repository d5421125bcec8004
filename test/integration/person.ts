// The person at the keyboard, scripted: the one fake in the integration tests. Notifications are read instead of
// looked at, quick picks are answered by label, and a device code the extension shows is approved through the
// emulator's test hook, as the person would on the verification page.
import * as vscode from 'vscode';
import type { CloudEmulator } from '../../emulator/cloud';

type MutableWindow = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

export interface ScriptedPerson {
  readonly info: string[];
  readonly errors: string[];
  /** The account to approve device codes as. */
  willApproveAs(loginHint: string): void;
  /** The label to pick in the next quick pick (then it is forgotten); undefined = press Escape. */
  willPick(label: string | undefined): void;
  restore(): void;
}

export function scriptedPerson(emu: CloudEmulator): ScriptedPerson {
  const info: string[] = [];
  const errors: string[] = [];
  let approveAs: string | undefined;
  let nextPick: string | undefined;
  const window = vscode.window as MutableWindow;
  const original = { info: window.showInformationMessage, error: window.showErrorMessage, pick: window.showQuickPick };
  window.showInformationMessage = ((message: string) => {
    info.push(message);
    const code = /enter the code (\S+?)\.?$/.exec(message)?.[1];
    if (code && approveAs) emu.testHooks.approveDeviceCode(code, approveAs);
    return Promise.resolve(undefined);
  }) as typeof window.showInformationMessage;
  window.showErrorMessage = ((message: string) => {
    errors.push(message);
    return Promise.resolve(undefined);
  }) as typeof window.showErrorMessage;
  window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
    const label = nextPick;
    nextPick = undefined;
    const list = await items;
    if (label === undefined) return undefined;
    const hit = list.find((i) => i.label === label);
    if (!hit) throw new Error(`the quick pick offered no "${label}": ${list.map((i) => i.label).join(', ')}`);
    return hit;
  }) as unknown as typeof window.showQuickPick;
  return {
    info,
    errors,
    willApproveAs: (hint) => (approveAs = hint),
    willPick: (label) => (nextPick = label),
    restore() {
      window.showInformationMessage = original.info;
      window.showErrorMessage = original.error;
      window.showQuickPick = original.pick;
    },
  };
}

/** Points the extension's cloud settings at `emu` (and back with `undefined`). */
export async function useEmulator(emu: CloudEmulator | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('sphereExplorer.cloud');
  const values: Record<string, string | undefined> = emu
    ? { authorityHost: emu.url, apiEndpoint: `${emu.url}/v2/`, armEndpoint: `${emu.url}/`, caFile: emu.caCertPath }
    : { authorityHost: undefined, apiEndpoint: undefined, armEndpoint: undefined, caFile: undefined };
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}
