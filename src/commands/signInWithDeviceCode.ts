import * as vscode from 'vscode';
import { signInWith } from '../auth/signInFlow';
import type { CommandModule } from '../common/commandRegistry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Signs in with a device code, for a browser on another device (or none on this one). */
export const signInWithDeviceCode: CommandModule<Services> = {
  id: CommandId.signInWithDeviceCode,
  async run({ authProvider, log }) {
    const session = await signInWith(authProvider, 'deviceCode');
    log.info(`Signed in as ${session.account.label}`);
    void vscode.window.showInformationMessage(`Signed in to Azure Sphere as ${session.account.label}.`);
  },
};
