// Which board the doctor examines and how the extension would reach it: the same route, baud rate, flow control and
// trust the device service uses, so the doctor sees what the rest of the extension sees.
import { promises as fs } from 'node:fs';
import type * as vscode from 'vscode';
import { OsRouteConnector, type PinStore } from '../device';
import type { DoctorTarget } from '../device/diagnosis';
import type { AttachedBoard } from '../boards';
import { readDeviceSettings } from '../boards/device-settings';

export async function doctorTargetFor(board: AttachedBoard | undefined, pinStore: PinStore, config?: vscode.WorkspaceConfiguration): Promise<DoctorTarget> {
  const settings = readDeviceSettings(config);
  if (!board) {
    return { name: 'No board attached', kind: 'none', baudRate: settings.baudRate, rtscts: settings.flowControl, trust: { kind: 'pin', store: pinStore } };
  }
  const d = board.descriptor;
  const target: DoctorTarget = {
    name: board.label,
    kind: d.kind === 'os-route' ? 'os-route' : d.kind,
    baudRate: d.baudRate ?? settings.baudRate,
    rtscts: d.rtscts ?? (d.kind === 'simulator' ? false : settings.flowControl),
    trust: { kind: 'pin', store: pinStore },
  };
  if (d.portPath) target.portPath = d.portPath;
  if (board.deviceId) target.deviceId = board.deviceId;
  if (d.kind === 'os-route' && d.ipAddress) target.osRoute = new OsRouteConnector(d.ipAddress);
  if (d.kind === 'simulator' && d.caCertPath) {
    target.trust = { kind: 'ca', caPem: await fs.readFile(d.caCertPath), caLabel: `the simulator's CA (${d.caCertPath})` };
  } else if (settings.caFile) {
    target.trust = { kind: 'ca', caPem: await fs.readFile(settings.caFile), caLabel: `the CA file ${settings.caFile}` };
  }
  return target;
}
