// azsphere device network enable|disable --interface: brings a board's network interface up or down.
import * as vscode from 'vscode';
import { CancelledError, UserFacingError } from '../common/errors';
import type { DeviceSide } from '.';
import { resolveBoard } from './board-picker';
import { onBoard } from './device-errors';

interface InterfaceTarget {
  boardKey: string;
  interfaceName: string;
}

const isInterfaceTarget = (arg: unknown): arg is InterfaceTarget =>
  typeof arg === 'object' && arg !== null && typeof (arg as InterfaceTarget).interfaceName === 'string';

export async function setInterfaceUp(devices: DeviceSide, arg: unknown, up: boolean): Promise<string> {
  const verb = up ? 'enable' : 'disable';
  const board = await resolveBoard(devices.model, arg, { purpose: `${up ? 'Enable' : 'Disable'} a network interface of which board?` });
  const client = await devices.model.client(board.key);
  let name: string;
  if (isInterfaceTarget(arg)) {
    name = arg.interfaceName;
  } else {
    const candidates = (await onBoard(board, 'list network interfaces', () => client.listNetworkInterfaces())).filter((i) => i.interfaceUp !== up);
    if (candidates.length === 0) throw new UserFacingError(`Every network interface of ${board.label} is already ${up ? 'up' : 'down'}.`);
    const picked = await vscode.window.showQuickPick(
      candidates.map((i) => ({ label: i.interfaceName, description: i.ipAddresses.join(', ') })),
      { title: `${up ? 'Enable' : 'Disable'} which interface of ${board.label}?` },
    );
    if (!picked) throw new CancelledError();
    name = picked.label;
  }
  await onBoard(board, `${verb} interface ${name}`, () => client.setNetworkInterfaceUp(name, up));
  devices.model.contentChanged(board, 'interfaces');
  if (name === 'wlan0') {
    devices.wifi.refreshNetworks();
    void devices.wifi.refreshStatus().catch(() => undefined);
  }
  void vscode.window.setStatusBarMessage(`Interface ${name} of ${board.label} is ${up ? 'up' : 'down'}.`, 4000);
  return name;
}
