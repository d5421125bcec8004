import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { onBoard, resolveBoard } from '../boards';
import { scanItems } from '../boards/add-wifi-flow';
import { wifiScanText } from '../boards/cli-text';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device wifi scan, with progress; picking a network in the result goes on to add (connect to) it. */
export const scanWifi: CommandModule<Services> = {
  id: CommandId.scanWifi,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Scan for Wi-Fi networks with which board?' });
    const client = await devices.model.client(board.key);
    const [scan, configured] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Scanning for Wi-Fi networks with ${board.label}…` },
      () => onBoard(board, 'scan for Wi-Fi networks', () => Promise.all([client.scanWifi(), client.listWifiNetworks()])),
    );
    devices.reports.show(`Wi-Fi scan by ${board.label}`, wifiScanText(scan));
    const picked = await vscode.window.showQuickPick(scanItems(scan, configured), {
      title: `${scan.length} access point${scan.length === 1 ? '' : 's'} in range of ${board.label}`,
      placeHolder: 'Pick one to connect the board to it, or press Escape',
    });
    if (picked?.preset) {
      await vscode.commands.executeCommand(CommandId.addWifiNetwork, { boardKey: board.key, ...picked.preset });
    }
    return scan;
  },
};
