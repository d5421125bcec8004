import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { onBoard, resolveBoard } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device restart: POST /restart, then progress until the board answers again from a fresh boot. */
export const restartDevice: CommandModule<Services> = {
  id: CommandId.restartDevice,
  async run({ devices, log }, arg) {
    const board = await resolveBoard(devices.model, arg, { purpose: 'Restart which board?' });
    const client = await devices.model.client(board.key);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Restarting ${board.label}`, cancellable: false },
      async (progress) => {
        progress.report({ message: 'waiting for it to answer again…' });
        await onBoard(board, 'restart the board', () => client.restart());
      },
    );
    log.info(`Device restarted successfully (${board.label}).`);
    await devices.model.reloadFacts(board.key);
    devices.wifi.refreshNetworks();
    void vscode.window.showInformationMessage(`Device restarted successfully (${board.label}).`);
  },
};
