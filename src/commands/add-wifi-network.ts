import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { resolveBoard } from '../boards';
import { addNetwork, askForNewNetwork, isAddWifiPreset } from '../boards/add-wifi-flow';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device wifi add, as a conversation: pick from a scan or type, choose security, type the key. */
export const addWifiNetwork: CommandModule<Services> = {
  id: CommandId.addWifiNetwork,
  async run({ devices, log }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Add a Wi-Fi network to which board?' });
    devices.model.select(board.key);
    const request = await askForNewNetwork(devices.model, board, isAddWifiPreset(arg) ? arg : undefined);
    const added = await addNetwork(devices.model, board, request, log);
    devices.wifi.refreshNetworks();
    void devices.wifi.refreshStatus().catch(() => undefined);
    void vscode.window.showInformationMessage(`Added Wi-Fi network "${added.ssid}" (ID ${added.id}) to ${board.label}.`);
    return added;
  },
};
