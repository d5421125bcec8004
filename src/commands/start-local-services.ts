import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Starts the local cloud emulator and a simulated board, and points Sphere Explorer at them. */
export const startLocalServices: CommandModule<Services> = {
  id: CommandId.startLocalServices,
  async run({ localServices }) {
    const running = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Starting the local cloud emulator and a simulated board…' },
      () => localServices.start(),
    );
    void vscode.window.showInformationMessage(
      `Sphere Explorer now uses the local cloud emulator (${running.emulatorUrl}) and a simulated board. Sign in as avery@contoso.com.`,
    );
  },
};
