// Which hub link a command acts on: the link node it was run on (`{ link }`), else the links of the board it was run
// on (or the selected board) — the only one, or a pick. A board with none is told how to make one.
import * as vscode from 'vscode';
import type { DeviceModel } from '../boards';
import { resolveBoard } from '../boards/board-picker';
import { CancelledError, UserFacingError } from '../common/errors';
import type { IotLink } from './iot-links';
import type { IotModel } from './iot-model';
import { TELEMETRY_SCHEME } from './telemetry-monitor';

export async function linkFromArg(devices: DeviceModel, iot: IotModel, arg: unknown, purpose: string): Promise<IotLink> {
  const given = (arg as { link?: IotLink } | undefined)?.link;
  if (given && typeof given.deviceId === 'string') return given;
  const board = await resolveBoard(devices, arg, { preferSelected: true, purpose });
  const links = board.deviceId ? iot.links.forDevice(board.deviceId) : [];
  if (links.length === 0) throw new UserFacingError(`${board.label} is not connected to an IoT hub from here yet: run "Connect Board to IoT Hub…" or "Create DPS Enrollment Group…" first.`);
  if (links.length === 1) return links[0]!;
  const picked = await vscode.window.showQuickPick(
    links.map((link) => ({ label: link.hub.name, description: link.dps ? `through ${link.dps.ref.name}` : link.hubHostName, link })),
    { title: purpose },
  );
  if (!picked) throw new CancelledError();
  return picked.link;
}

/** The telemetry editor a Stop / Resume applies to: the one whose title bar it was clicked in, else the active one. */
export function telemetryUriFromArg(arg: unknown): vscode.Uri {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== TELEMETRY_SCHEME) throw new UserFacingError('Open a telemetry monitor first ("Monitor Telemetry" on a board connected to a hub).');
  return uri;
}
