// How a Wi-Fi command finds the network it acts on: the node it was run on ({ boardKey, networkId }), else a quick
// pick of the selected board's networks that the action applies to.
import * as vscode from 'vscode';
import type { WifiNetwork } from '../device';
import { CancelledError, UserFacingError } from '../common/errors';
import type { AttachedBoard } from './attached-board';
import { isBoardTarget, resolveBoard } from './board-picker';
import type { DeviceModel } from './device-model';
import { onBoard } from './device-errors';

export interface NetworkTarget {
  readonly boardKey: string;
  readonly networkId: number;
}

export function isNetworkTarget(arg: unknown): arg is NetworkTarget {
  return isBoardTarget(arg) && typeof (arg as NetworkTarget).networkId === 'number';
}

export async function resolveNetwork(
  devices: DeviceModel,
  arg: unknown,
  options: { applies?: (n: WifiNetwork) => boolean; purpose: string; none: string },
): Promise<{ board: AttachedBoard; network: WifiNetwork }> {
  const board = await resolveBoard(devices, arg, { preferSelected: true, purpose: options.purpose });
  const client = await devices.client(board.key);
  if (isNetworkTarget(arg)) {
    return { board, network: await onBoard(board, 'read the Wi-Fi network', () => client.getWifiNetwork(arg.networkId)) };
  }
  const networks = (await onBoard(board, 'list Wi-Fi networks', () => client.listWifiNetworks())).filter(options.applies ?? (() => true));
  if (networks.length === 0) throw new UserFacingError(`${options.none} on ${board.label}.`);
  const picked = await vscode.window.showQuickPick(
    networks.map((network) => ({ label: network.ssid, description: `ID ${network.id} · ${network.configState} · ${network.securityState}`, network })),
    { title: options.purpose, placeHolder: `Wi-Fi networks on ${board.label}` },
  );
  if (!picked) throw new CancelledError();
  return { board, network: picked.network };
}
