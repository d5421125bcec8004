// The places boards are found: USB serial ports (FT4232H), simulator announcements, explicit port paths from
// settings, and the OS route. Each returns descriptors with a stable key, so the device service can diff scans.
import { promises as fs } from 'node:fs';
import { listAnnouncements, resolveRegistryDir } from '../../../emulator/board/registry';
import type { Logger } from '../../common/logger';
import { discoverOsRouteDevices, type OsRouteDiscoveryOptions } from '../os-route';
import { loadSerialPort } from '../serial-link';
import { findUsbBoardPorts, type SerialPortListing } from './usb-boards';

export type BoardKind = 'usb' | 'simulator' | 'explicit' | 'os-route';

export interface BoardDescriptor {
  /** Stable identity across scans: "usb:<path>", "sim:<deviceId>", "port:<path>", "os:<ip>". */
  key: string;
  kind: BoardKind;
  /** Short human name for lists. */
  name: string;
  /** Serial port path (every kind but os-route). */
  portPath?: string;
  baudRate?: number;
  rtscts?: boolean;
  /** Known up front for simulated boards. */
  deviceId?: string;
  /** Simulated boards: the CA their TLS certificate chains to. */
  caCertPath?: string;
  /** OS-route boards. */
  ipAddress?: string;
  usbSerialNumber?: string;
  /** The board's recovery UART and its rate, when known (simulated boards announce theirs). */
  recoveryPortPath?: string;
  recoveryBaudRate?: number;
}

export interface ExplicitPort {
  path: string;
  baudRate?: number;
  rtscts?: boolean;
}

const exists = (p: string): Promise<boolean> => fs.stat(p).then(() => true, () => false);

export async function scanSimulators(registryDir: string | undefined): Promise<BoardDescriptor[]> {
  const boards: BoardDescriptor[] = [];
  for (const a of await listAnnouncements(registryDir ?? resolveRegistryDir())) {
    // An unplugged simulated board keeps its announcement but its port is gone.
    if (!(await exists(a.linkPath))) continue;
    boards.push({
      key: `sim:${a.deviceId.toLowerCase()}`,
      kind: 'simulator',
      name: a.name || `Simulated board ${a.deviceId.slice(0, 8)}`,
      portPath: a.linkPath,
      baudRate: a.baud,
      rtscts: false,
      deviceId: a.deviceId,
      caCertPath: a.caCertPath,
      ...(a.recoveryLinkPath ? { recoveryPortPath: a.recoveryLinkPath, recoveryBaudRate: a.recoveryBaud } : {}),
    });
  }
  return boards;
}

export async function scanExplicitPorts(ports: ExplicitPort[]): Promise<BoardDescriptor[]> {
  const boards: BoardDescriptor[] = [];
  for (const port of ports) {
    if (!(await exists(port.path))) continue;
    const board: BoardDescriptor = { key: `port:${port.path}`, kind: 'explicit', name: `Board on ${port.path}`, portPath: port.path };
    if (port.baudRate !== undefined) board.baudRate = port.baudRate;
    if (port.rtscts !== undefined) board.rtscts = port.rtscts;
    boards.push(board);
  }
  return boards;
}

/** USB boards. Listing ports spawns a helper on Linux, so it is redone only when the set of tty devices changes. */
export class UsbBoardScanner {
  private lastFingerprint: string | undefined;
  private lastResult: BoardDescriptor[] = [];

  private readonly listPorts: () => Promise<SerialPortListing[]>;
  private readonly useFingerprint: boolean;

  constructor(
    private readonly logger: Logger,
    private readonly serviceInterface: number | undefined,
    listPorts?: () => Promise<SerialPortListing[]>,
  ) {
    this.listPorts = listPorts ?? (() => loadSerialPort().SerialPort.list());
    this.useFingerprint = listPorts === undefined;
  }

  async scan(): Promise<BoardDescriptor[]> {
    const fingerprint = this.useFingerprint ? await ttyFingerprint() : undefined;
    if (fingerprint !== undefined && fingerprint === this.lastFingerprint) return this.lastResult;
    try {
      const ports = await this.listPorts();
      this.lastResult = findUsbBoardPorts(ports, this.serviceInterface).map((p) => {
        const board: BoardDescriptor = { key: `usb:${p.path}`, kind: 'usb', name: `MT3620 board on ${p.path}`, portPath: p.path };
        if (p.usbSerialNumber) board.usbSerialNumber = p.usbSerialNumber;
        return board;
      });
      this.lastFingerprint = fingerprint;
    } catch (err) {
      this.logger.debug(`listing serial ports failed: ${(err as Error).message}`);
      this.lastResult = [];
    }
    return this.lastResult;
  }
}

/** Linux: the names of USB/ACM tty devices (cheap to read); elsewhere undefined (always list). */
async function ttyFingerprint(): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return (await fs.readdir('/dev')).filter((n) => /^tty(USB|ACM)\d+$/.test(n)).sort().join(',');
  } catch {
    return undefined;
  }
}

export async function scanOsRoute(options: OsRouteDiscoveryOptions): Promise<BoardDescriptor[]> {
  return (await discoverOsRouteDevices(options)).map((d) => ({
    key: `os:${d.ipAddress}`,
    kind: 'os-route' as const,
    name: `Board at ${d.ipAddress}${d.connectionPath ? ` (connection ${d.connectionPath})` : ''}`,
    ipAddress: d.ipAddress,
  }));
}
