import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Signs out every Azure Sphere account and forgets its tokens. */
export const signOut: CommandModule<Services> = {
  id: CommandId.signOut,
  async run({ signIn, authProvider, log }) {
    const engine = await signIn.getEngine();
    const accounts = await engine.getAccounts();
    if (accounts.length === 0) {
      void vscode.window.showInformationMessage('No Azure Sphere account is signed in.');
      return;
    }
    for (const account of accounts) {
      await authProvider.removeSession(account.id);
      log.info(`Signed out ${account.username}`);
    }
    void vscode.window.showInformationMessage(`Signed out of Azure Sphere (${accounts.map((a) => a.username).join(', ')}).`);
  },
};
