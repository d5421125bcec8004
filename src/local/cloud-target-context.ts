// Tells menus and welcome views whether the cloud settings point at a local emulator (npm start, or our own
// command), so the editor does not offer to start a second one on the same port.
import * as vscode from 'vscode';
import { CLOUD_SECTION } from '../auth/cloud-configuration';

export const CLOUD_IS_LOCAL_CONTEXT = 'sphereExplorer.cloudIsLocal';

/** Whether a cloud URL (authority host, API endpoint) points at this machine, i.e. at a local emulator. */
export function isLocalAuthority(url: string | undefined): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url ?? '').hostname);
  } catch {
    return false;
  }
}

export function trackCloudTarget(): vscode.Disposable {
  const update = () =>
    void vscode.commands.executeCommand(
      'setContext',
      CLOUD_IS_LOCAL_CONTEXT,
      isLocalAuthority(vscode.workspace.getConfiguration(CLOUD_SECTION).get<string>('authorityHost')),
    );
  update();
  return vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(CLOUD_SECTION) && update());
}
