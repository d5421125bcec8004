// The device settings (sphereExplorer.device.*) as options for the plain-TypeScript DeviceService.
import * as vscode from 'vscode';
import type { DeviceServiceOptions, Logger, PinStore } from '../device';

export const DEVICE_SETTINGS_SECTION = 'sphereExplorer.device';

export type DeviceRoute = 'auto' | 'serial' | 'os';

export interface DeviceSettings {
  baudRate: number;
  flowControl: boolean;
  serialPorts: string[];
  route: DeviceRoute;
  caFile: string;
}

export function readDeviceSettings(config = vscode.workspace.getConfiguration(DEVICE_SETTINGS_SECTION)): DeviceSettings {
  const route = config.get<string>('route', 'auto');
  return {
    baudRate: config.get<number>('baudRate', 921600),
    flowControl: config.get<boolean>('flowControl', true),
    serialPorts: config.get<string[]>('serialPorts', []).filter((p) => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()),
    route: route === 'serial' || route === 'os' ? route : 'auto',
    caFile: config.get<string>('caFile', '').trim(),
  };
}

/**
 * `route: "os"` only looks for boards the vendor SDK connected; `"serial"` never does. Simulated boards are serial
 * boards. The simulator registry is read from SPHERE_SIM_REGISTRY at every scan (or `registryDir` when given).
 */
export function deviceServiceOptions(settings: DeviceSettings, pinStore: PinStore, logger: Logger, registryDir?: string): DeviceServiceOptions {
  const serial = settings.route !== 'os';
  const options: DeviceServiceOptions = {
    pinStore,
    logger,
    usb: serial,
    simulators: serial ? (registryDir ? { registryDir } : true) : false,
    ports: serial ? settings.serialPorts.map((path) => ({ path })) : [],
    osRoute: settings.route !== 'serial',
    baudRate: settings.baudRate,
    rtscts: settings.flowControl,
  };
  if (settings.caFile) options.caFile = settings.caFile;
  return options;
}
