import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Stops the local cloud emulator and the simulated board, and points Sphere Explorer back at Azure. */
export const stopLocalServices: CommandModule<Services> = {
  id: CommandId.stopLocalServices,
  async run({ localServices }) {
    const stopped = await localServices.stop();
    void vscode.window.showInformationMessage(
      stopped ? 'The local cloud emulator and simulated board are stopped; Sphere Explorer uses Azure again.' : 'The local cloud emulator is not running.',
    );
  },
};
