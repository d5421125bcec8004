import * as vscode from 'vscode';
import { signInWith } from '../auth/signInFlow';
import type { CommandModule } from '../common/commandRegistry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Signs in with a work or school account through the browser. */
export const signIn: CommandModule<Services> = {
  id: CommandId.signIn,
  async run({ authProvider, log }) {
    const session = await signInWith(authProvider, 'browser');
    log.info(`Signed in as ${session.account.label}`);
    void vscode.window.showInformationMessage(`Signed in to Azure Sphere as ${session.account.label}.`);
  },
};
