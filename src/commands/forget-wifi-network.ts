import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError } from '../common/errors';
import { onBoard, resolveNetwork } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device wifi forget --id, after a modal confirmation. */
export const forgetWifiNetwork: CommandModule<Services> = {
  id: CommandId.forgetWifiNetwork,
  async run({ devices, log }, arg) {
    const { board, network } = await resolveNetwork(devices.model, arg, { purpose: 'Forget which Wi-Fi network?', none: 'No Wi-Fi network is configured' });
    const FORGET = 'Forget';
    const answer = await vscode.window.showWarningMessage(
      `Forget Wi-Fi network "${network.ssid}" on ${board.label}?`,
      { modal: true, detail: `The board deletes its configuration (ID ${network.id}, including its key) and no longer connects to it.` },
      FORGET,
    );
    if (answer !== FORGET) throw new CancelledError();
    const client = await devices.model.client(board.key);
    await onBoard(board, `forget Wi-Fi network "${network.ssid}"`, () => client.forgetWifiNetwork(network.id));
    log.info(`Forgot Wi-Fi network "${network.ssid}" (ID ${network.id}) on ${board.label}.`);
    devices.wifi.refreshNetworks();
    void devices.wifi.refreshStatus().catch(() => undefined);
    void vscode.window.showInformationMessage(`Successfully forgotten network "${network.ssid}".`);
  },
};
