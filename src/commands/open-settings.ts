import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Opens the Settings editor filtered to this extension's settings. */
export const openSettings: CommandModule<Services> = {
  id: CommandId.openSettings,
  async run({ context }) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`);
  },
};
