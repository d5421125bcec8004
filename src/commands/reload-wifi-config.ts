import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { onBoard, resolveBoard } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device wifi reload-config: makes the board re-read its Wi-Fi configuration (after certificate changes). */
export const reloadWifiConfig: CommandModule<Services> = {
  id: CommandId.reloadWifiConfig,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Reload the Wi-Fi configuration of which board?' });
    const client = await devices.model.client(board.key);
    await onBoard(board, 'reload the Wi-Fi configuration', () => client.reloadWifiConfig());
    devices.wifi.refreshNetworks();
    void devices.wifi.refreshStatus().catch(() => undefined);
    void vscode.window.showInformationMessage(`${board.label} reloaded its Wi-Fi configuration.`);
  },
};
