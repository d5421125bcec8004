// The boards the extension can see and one connection to each. Discovery rescans every pollIntervalMs (default
// 500 ms, so a board appearing or vanishing is reported within a second); each serial port gets one link, opened on
// the first call and reopened after an unplug or a board restart; dispose() closes everything.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import { DeviceConnection, type DeviceConnectionOptions } from './device-connection';
import { DeviceError } from './device-error';
import {
  scanExplicitPorts,
  scanOsRoute,
  scanSimulators,
  UsbBoardScanner,
  type BoardDescriptor,
  type ExplicitPort,
} from './discovery/board-sources';
import type { SerialPortListing } from './discovery/usb-boards';
import { nullLogger, type Logger } from '../common/logger';
import { OsRouteConnector, type OsRouteConnectorOptions, type OsRouteDiscoveryOptions } from './os-route';
import type { DeviceRestClient } from './rest/device-rest-client';
import { DEFAULT_BAUD_RATE } from './serial-link';
import { toDisposable, type IDisposable } from '../common/lifecycle';
import { SerialRoute } from './serial-route';
import type { PinStore } from './trust/pin-store';
import type { TrustPolicy } from './trust/tls-trust';
import type { StreamConnector } from './transport';

export type { BoardDescriptor } from './discovery/board-sources';

export interface DeviceServiceOptions {
  /** Pins for real boards verified by trust on first use (VS Code: globalState; CLI/tests: JsonFilePinStore). */
  pinStore: PinStore;
  /** PEM CA file for real boards (a setting); when set, real boards are verified against it instead of pinned. */
  caFile?: string;
  logger?: Logger;
  /** Find FT4232H boards on USB (default true). */
  usb?: boolean | { serviceInterface?: number; listPorts?: () => Promise<SerialPortListing[]> };
  /** Find simulated boards in the registry dir (default true; dir: SPHERE_SIM_REGISTRY or <tmp>/sphere-explorer/boards). */
  simulators?: boolean | { registryDir?: string };
  /** Port paths given in settings. */
  ports?: ExplicitPort[];
  /** Find boards the vendor SDK connected (default true). */
  osRoute?: boolean | (OsRouteDiscoveryOptions & OsRouteConnectorOptions);
  /** Baud rate for real boards (default 921600); simulated boards use the rate they announce. */
  baudRate?: number;
  /** RTS/CTS for real boards (default true). */
  rtscts?: boolean;
  pollIntervalMs?: number;
  connection?: Pick<DeviceConnectionOptions, 'connectTimeoutMs' | 'idleTimeoutMs' | 'maxAttempts' | 'retryBudgetMs'>;
}

interface BoardHandle {
  descriptor: BoardDescriptor;
  route: StreamConnector & { close?(): Promise<void>; release?(): Promise<void> };
  connection?: Promise<DeviceConnection>;
}

/** Events: 'attach' (BoardDescriptor), 'detach' (BoardDescriptor), 'error' is never emitted (scan failures are logged). */
export class DeviceService extends EventEmitter {
  private readonly logger: Logger;
  private readonly handles = new Map<string, BoardHandle>();
  private readonly present = new Map<string, BoardDescriptor>();
  private readonly usbScanner: UsbBoardScanner | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly options: DeviceServiceOptions) {
    super();
    this.logger = options.logger ?? nullLogger;
    const usb = options.usb ?? true;
    this.usbScanner = usb === false ? undefined : new UsbBoardScanner(this.logger, usb === true ? undefined : usb.serviceInterface, usb === true ? undefined : usb.listPorts);
  }

  /** Runs the first scan and starts watching. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.disposed || this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.options.pollIntervalMs ?? 500);
  }

  onDidAttach(listener: (board: BoardDescriptor) => void): IDisposable {
    this.on('attach', listener);
    return toDisposable(() => this.off('attach', listener));
  }

  onDidDetach(listener: (board: BoardDescriptor) => void): IDisposable {
    this.on('detach', listener);
    return toDisposable(() => this.off('detach', listener));
  }

  /** Boards present at the last scan. */
  get boards(): BoardDescriptor[] {
    return [...this.present.values()];
  }

  /** Scans now (scans never overlap; a call during a scan waits for it). */
  refresh(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (!this.scanning) {
      this.scanning = this.scan().finally(() => {
        this.scanning = undefined;
      });
    }
    return this.scanning;
  }

  /** The connection to a board (created on first use; the port opens on the first request). */
  connection(key: string): Promise<DeviceConnection> {
    if (this.disposed) return Promise.reject(new DeviceError('DISPOSED', 'The device service was disposed.'));
    const handle = this.handles.get(key);
    if (!handle) return Promise.reject(new DeviceError('CONNECTION_FAILED', `No board "${key}" is attached.`));
    handle.connection ??= this.createConnection(handle).catch((err: unknown) => {
      handle.connection = undefined;
      throw err;
    });
    return handle.connection;
  }

  async client(key: string): Promise<DeviceRestClient> {
    return (await this.connection(key)).client;
  }

  /** The open serial route of a board (undefined for OS-route boards), e.g. for link counters. */
  serialRoute(key: string): SerialRoute | undefined {
    const route = this.handles.get(key)?.route;
    return route instanceof SerialRoute ? route : undefined;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.scanning?.catch(() => undefined);
    const handles = [...this.handles.values()];
    this.handles.clear();
    this.present.clear();
    await Promise.all(
      handles.map(async (h) => {
        const connection = await h.connection?.catch(() => undefined);
        connection?.dispose();
        await h.route.close?.();
      }),
    );
    this.removeAllListeners();
  }

  private async scan(): Promise<void> {
    const found = new Map<string, BoardDescriptor>();
    const add = (boards: BoardDescriptor[]): void => {
      for (const b of boards) if (!found.has(b.key)) found.set(b.key, b);
    };
    const sims = this.options.simulators ?? true;
    const results = await Promise.allSettled([
      sims === false ? [] : scanSimulators(sims === true ? undefined : sims.registryDir),
      this.usbScanner ? this.usbScanner.scan() : [],
      scanExplicitPorts(this.options.ports ?? []),
      this.options.osRoute === false ? [] : scanOsRoute({ logger: this.logger, ...(this.options.osRoute === true ? {} : this.options.osRoute) }),
    ]);
    for (const r of results) {
      if (r.status === 'fulfilled') add(r.value);
      else this.logger.debug(`board scan failed: ${(r.reason as Error)?.message}`);
    }
    // One board per port: a port announced by a simulator or found on USB is not listed again as an explicit port.
    const claimedPaths = new Set([...found.values()].filter((b) => b.kind !== 'explicit').map((b) => b.portPath));
    for (const [key, b] of found) if (b.kind === 'explicit' && claimedPaths.has(b.portPath)) found.delete(key);
    if (this.disposed) return;

    for (const [key, board] of this.present) {
      if (!found.has(key)) {
        this.present.delete(key);
        await this.handles.get(key)?.route.release?.();
        this.logger.info(`Board detached: ${board.name}.`);
        this.emit('detach', board);
      }
    }
    for (const [key, board] of found) {
      if (this.present.has(key)) continue;
      this.present.set(key, board);
      if (!this.handles.has(key)) this.handles.set(key, { descriptor: board, route: this.createRoute(board) });
      this.logger.info(`Board attached: ${board.name}.`);
      this.emit('attach', board);
    }
  }

  private createRoute(board: BoardDescriptor): BoardHandle['route'] {
    if (board.kind === 'os-route') {
      const osRoute = this.options.osRoute;
      return new OsRouteConnector(board.ipAddress!, typeof osRoute === 'object' ? osRoute : {});
    }
    const simulated = board.kind === 'simulator';
    // When the link dies its connections fail with ELINKDOWN by themselves; the next request reopens the port.
    return new SerialRoute({
      path: board.portPath!,
      baudRate: board.baudRate ?? this.options.baudRate ?? DEFAULT_BAUD_RATE,
      rtscts: board.rtscts ?? (simulated ? false : (this.options.rtscts ?? true)),
      logger: this.logger,
    });
  }

  private async createConnection(handle: BoardHandle): Promise<DeviceConnection> {
    const board = handle.descriptor;
    const options: DeviceConnectionOptions = { route: handle.route, trust: await this.trustFor(board), logger: this.logger, ...this.options.connection };
    if (board.deviceId) options.deviceId = board.deviceId;
    return new DeviceConnection(options);
  }

  private async trustFor(board: BoardDescriptor): Promise<TrustPolicy> {
    if (board.kind === 'simulator' && board.caCertPath) {
      return { kind: 'ca', caPem: await fs.readFile(board.caCertPath), caLabel: `the simulator's CA (${board.caCertPath})` };
    }
    if (this.options.caFile) {
      return { kind: 'ca', caPem: await fs.readFile(this.options.caFile), caLabel: `the CA file ${this.options.caFile}` };
    }
    return { kind: 'pin', store: this.options.pinStore };
  }
}
