// Helpers the integration suites share.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'sphere-explorer.sphere-explorer';

export async function activatedExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  await ext.activate();
  return ext;
}

export interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

export function contributedCommands(ext: vscode.Extension<unknown>): ManifestCommand[] {
  return (ext.packageJSON as { contributes: { commands: ManifestCommand[] } }).contributes.commands;
}
