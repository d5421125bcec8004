// Enable / disable a configured network (PATCH /wifi/config/networks/{id} with configState), shared by both commands.
import * as vscode from 'vscode';
import type { WifiNetwork } from '../device';
import type { DeviceSide } from '.';
import { onBoard } from './device-errors';
import { resolveNetwork } from './network-picker';

export async function setNetworkEnabled(devices: DeviceSide, log: vscode.LogOutputChannel, arg: unknown, enabled: boolean): Promise<WifiNetwork> {
  const verb = enabled ? 'enable' : 'disable';
  const { board, network } = await resolveNetwork(devices.model, arg, {
    purpose: `${enabled ? 'Enable' : 'Disable'} which Wi-Fi network?`,
    applies: (n) => (enabled ? n.configState !== 'enabled' : n.configState !== 'disabled'),
    none: `No Wi-Fi network to ${verb}`,
  });
  const client = await devices.model.client(board.key);
  const updated = await onBoard(board, `${verb} Wi-Fi network "${network.ssid}"`, () => client.setWifiNetworkEnabled(network.id, enabled));
  log.info(`${enabled ? 'Enabled' : 'Disabled'} Wi-Fi network "${network.ssid}" (ID ${network.id}) on ${board.label}.`);
  devices.wifi.refreshNetworks();
  void devices.wifi.refreshStatus().catch(() => undefined);
  return updated;
}
