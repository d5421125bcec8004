// A running simulated MT3620: pty ⇄ paced UART ⇄ SLIP/IPv4/TCP stack ⇄ TLS ⇄ device REST API, with persistent
// state, a Wi-Fi station in a simulated radio world, an announcement file, and faults on demand.
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { NetStack, wireTimeMs, type NetCounters } from '../../src/device/net';
import { AppOutput } from './apps/app-output';
import { AppRuntime } from './apps/app-runtime';
import { OutputPort } from './apps/output-port';
import { BoardStateStore, type PersistedBoardState } from './board-state';
import { BoardUart, type UartCounters } from './board-uart';
import { BOARD_IP_ADDRESS, loadOrCreateIdentity, type BoardIdentity } from './identity';
import { openPtyPair, removeStaleLink, type PtyPair } from './pty-pair';
import { DEFAULT_RADIO_WORLD, validateRadioWorld, type AccessPoint } from './radio';
import { removeAnnouncement, resolveRegistryDir, writeAnnouncement } from './registry';
import { lockStateDir } from '../common/state-lock';
import { createDeviceRestRouter } from './rest/app';
import { DEFAULT_WIFI_TIMING, WifiStation, type WifiTiming } from './wifi-station';
import { DEFAULT_RECOVERY_BAUD, DEFAULT_RECOVERY_TIMING, RecoveryUart, type RecoveryTiming } from './recovery-uart';
import { factoryResetState } from './recovery-factory-state';
import { systemClock, type Clock } from '../common/clock';
import { seedFromString } from '../common/seeded-random';
import type { DeviceCertificateRecord } from './device-auth/attestation-request';
import { DailyAttestation, DEFAULT_ATTESTATION_TIMING, type AttestationTiming } from './device-auth/daily-attestation';
import { DeviceCertificateStore } from './device-auth/device-certificate-store';
import { DEFAULT_IOT_TIMING, type IotConnectionStatus, type IotTiming } from './iot/app-iot-connection';
import { DEFAULT_PROVISIONING_HOST, IotConnections } from './iot/iot-connections';
import { CloudUpdates, DEFAULT_UPDATE_TIMING, type BoardUpdateStatus, type UpdateTiming } from './updates/cloud-updates';

export const DEFAULT_BAUD = 921600;
export const DEVICE_REST_PORT = 443;
/** Down time of a reboot requested through `POST /restart`. */
export const DEFAULT_RESTART_DOWN_MS = 2000;

export interface SimulatedBoardOptions {
  /** Where the symlink to the pty slave goes; this is the path the extension opens. */
  linkPath: string;
  /** Folder of this board's identity, CA and persisted state. One board per folder. */
  stateDir: string;
  baud?: number;
  corruptRate?: number;
  dropRate?: number;
  /** One bit flipped in every n-th SLIP frame, in its IPv4 header: damage the receiver sees (see line-faults.ts). */
  corruptEvery?: number;
  /**
   * The seed every line fault is drawn from (an unsigned 32-bit integer). When none is given the board picks one and
   * shows it as `faultSeed` (and in `counters().uart`), so a run can be replayed with it.
   */
  faultSeed?: number;
  name?: string;
  radio?: AccessPoint[];
  registryDir?: string;
  /** Wi-Fi connection step timings (tests shorten them). */
  wifiTiming?: Partial<WifiTiming>;
  /** Down time after `POST /restart`. */
  restartDownMs?: number;
  /**
   * Also serve the same REST API on 127.0.0.1:<port> (0 = any free port) for tools and tests that skip the serial
   * link. Off by default.
   */
  loopbackPort?: number;
  /** The recovery UART's link (default `<linkPath>.recovery`), its baud (default 115200) and recovery step timings. */
  recoveryLinkPath?: string;
  recoveryBaud?: number;
  recoveryTiming?: Partial<RecoveryTiming>;
  /**
   * The cloud the board attests to for its daily device certificate: the cloud emulator's URL
   * (https://127.0.0.1:PORT; the route is docs/cloud-api.md#daily-device-certificate-emulator). Without it the board
   * never has a device certificate, as a real board that cannot reach Azure Sphere.
   */
  cloudUrl?: string;
  /**
   * The CA the cloud's TLS certificates chain to (the emulator's `tls/ca.pem`; its IoT hubs and DPS too), as PEM or a
   * file. Neither: Node's built-in roots.
   */
  cloudCaPem?: string;
  cloudCaPath?: string;
  /** Where apps register with DPS (host[:port]); default global.azure-devices-provisioning.net, as the SDK's. */
  provisioningHost?: string;
  /** The time network time sync gives the board (default: the system clock); share one with the cloud emulator in tests. */
  clock?: Clock;
  /** How often the board looks at its device certificate, and the longest wait between refused attempts. */
  attestationTiming?: Partial<AttestationTiming>;
  /** Apps' IoT connections: telemetry interval (default 5 s), retry delays, connect timeout. */
  iotTiming?: Partial<IotTiming>;
  /** The seed of the apps' telemetry readings (default: one named by the device ID). */
  telemetrySeed?: number;
  /**
   * How often the board checks its device group's deployment while online (default 60 s; real boards about every
   * 20 hours) and the longest wait between failed checks (default 10 min); see updates/cloud-updates.ts.
   */
  updateTiming?: Partial<UpdateTiming>;
  /** Where the board's own notes go (daily attestation, update checks); default stderr. Never keys or certificates. */
  log?: (line: string) => void;
}

export interface FaultChange {
  corruptRate?: number;
  dropRate?: number;
  /** One bit flipped in every n-th SLIP frame from now on, in its IPv4 header (0: off); see line-faults.ts. */
  corruptEvery?: number;
  /**
   * Which way corruptRate, dropRate and corruptEvery act: both ways (default, as a damaged cable does) or only on what
   * the board sends ('toHost': every request arrives, so the damage is seen rather than lost).
   */
  faultDirection?: 'both' | 'toHost';
  /** Restarts the line faults' random sequences from this seed (and `corruptEvery`'s count); tests pass their own. */
  faultSeed?: number;
  /** Port stays open but the board answers nothing. */
  silent?: boolean;
  /**
   * Wrong baud rate: the board's UART really runs at this rate; bytes between it and a PC that opened the port at
   * another rate are garbled both ways as real UARTs garble them (`baud-mismatch.ts`). null switches it off.
   */
  actualBaud?: number | null;
}

export interface SimulatedBoardCounters {
  uart: UartCounters;
  /** Counters of the current boot's network stack (undefined while the board is down). */
  net: NetCounters | undefined;
  restRequests: number;
  boots: number;
}

export interface SimulatedBoard {
  readonly deviceId: string;
  readonly linkPath: string;
  readonly caCertPem: string;
  readonly caCertPath: string;
  readonly name: string;
  /** The recovery UART's link (115200 8N1; see recovery-uart.ts). */
  readonly recoveryLinkPath: string;
  /** Completed recoveries since start. */
  readonly recoveries: number;
  /** A copy of the persisted board state as it is now. */
  readonly state: PersistedBoardState;
  /** The loopback REST endpoint when `loopbackPort` was given. */
  readonly loopback: { host: string; port: number } | undefined;
  /** The seed the line faults are drawn from now (given, or picked at start); also in `counters().uart`. */
  readonly faultSeed: number;
  /** What `GET /net/status` reports: an unexpired device certificate by the board's clock, online, time synced. */
  readonly deviceAuthenticationIsReady: boolean;
  /** The daily device certificate the board holds (perhaps expired), or undefined before its first attestation. */
  readonly deviceCertificate: DeviceCertificateRecord | undefined;
  /**
   * DeviceAuth_GetCertificatePath for an installed app: the PEM file (leaf, then tenant CA) of the tenant its manifest
   * names in Capabilities.DeviceAuthentication. Like the real call it always returns a path; check
   * `deviceAuthenticationIsReady` before relying on the file. Throws when the app is not installed or names no tenant.
   */
  deviceAuthCertificatePath(componentId: string): string;
  /** Looks at the device certificate now instead of at the next check (tests: after moving a shared clock). */
  checkDeviceAuth(): Promise<void>;
  /** The IoT connection of the first running app that has one; state 'idle' and no componentId when none has. */
  readonly iotConnection: IotConnectionStatus;
  /** The IoT connection of one running app, if it has one. */
  iotConnectionOf(componentId: string): IotConnectionStatus | undefined;
  /** What an app wrote to its output in this boot (Log_Debug lines; iot/ writes the connection's). */
  appOutput(componentId: string): string[];
  /**
   * The board's update checks against its device group's deployment (updates/): state, the last check and what it
   * targeted, which installed components came from the cloud, the last error.
   */
  readonly updates: BoardUpdateStatus;
  /**
   * Checks for updates now (after any check in progress) instead of at the next interval, and resolves when that
   * check and what it installs are done. Offline, without a cloud or with an unsynced clock it does nothing.
   */
  checkForUpdates(): Promise<BoardUpdateStatus>;
  setFaults(faults: FaultChange): void;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  restart(opts?: { downMs?: number }): Promise<void>;
  counters(): SimulatedBoardCounters;
  stop(): Promise<void>;
}

class Board implements SimulatedBoard {
  readonly deviceId: string;
  readonly linkPath: string;
  readonly caCertPem: string;
  readonly caCertPath: string;
  readonly name: string;
  loopback: { host: string; port: number } | undefined;

  private readonly baud: number;
  private readonly registryDir: string;
  /** HTTP over TLS sockets we create ourselves, so that every socket (raw and TLS) is ours to end at power-off. */
  private readonly httpServer: http.Server;
  private readonly secureContext: tls.SecureContext;
  private readonly openSockets = new Set<Duplex>();
  private readonly station: WifiStation;
  /** Installed apps live in the state; which of them run, in this boot only. */
  private readonly apps: AppRuntime;
  private readonly uart: BoardUart;
  private loopbackServer: net.Server | undefined;
  private pty: PtyPair | undefined;
  private stack: NetStack | undefined;
  private bootedAt = performance.now();
  private boots = 0;
  private restRequests = 0;
  private bootTimer: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly recovery: RecoveryUart;
  private readonly output = new AppOutput();
  private readonly outputPort: OutputPort;
  private readonly attestation: DailyAttestation;
  private readonly iot: IotConnections;
  private readonly cloudUpdates: CloudUpdates;

  constructor(opts: SimulatedBoardOptions, identity: BoardIdentity, private readonly store: BoardStateStore, private readonly unlock: () => void) {
    this.deviceId = identity.deviceId;
    this.linkPath = opts.linkPath;
    this.caCertPem = identity.caCertPem;
    this.caCertPath = identity.caCertPath;
    this.name = opts.name ?? `sim-${identity.deviceId.slice(0, 8)}`;
    this.baud = opts.baud ?? DEFAULT_BAUD;
    this.registryDir = opts.registryDir ?? resolveRegistryDir();
    const restartDownMs = opts.restartDownMs ?? DEFAULT_RESTART_DOWN_MS;

    this.station = new WifiStation(opts.radio ?? DEFAULT_RADIO_WORLD, {
      networks: () => this.store.view.wifi.networks,
      certs: () => this.store.view.certs,
      wlanUp: () => this.store.view.interfaces.wlan0.up,
      uptimeSeconds: () => this.uptimeSeconds(),
    }, { ...DEFAULT_WIFI_TIMING, ...opts.wifiTiming }, opts.clock ?? systemClock);

    // The IoT connections and the output port follow the running apps; both exist before anything can call back.
    this.apps = new AppRuntime(this.store, () => this.uptimeSeconds(), () => {
      this.iot.sync();
      this.outputPort.update(this.stack);
    });
    this.outputPort = new OutputPort(this.output, () => this.apps.runningApps().filter((a) => a.debugging).map((a) => a.record.componentId));
    const cloudCaPem = opts.cloudCaPem ?? (opts.cloudCaPath ? fs.readFileSync(opts.cloudCaPath, 'utf8') : undefined);
    const cloud = opts.cloudUrl ? { url: opts.cloudUrl, caPem: cloudCaPem } : undefined;
    const log = opts.log ?? ((line: string) => console.error(`[board-sim ${this.name}] ${line}`));
    this.attestation = new DailyAttestation({
      deviceId: this.deviceId,
      deviceKey: identity.deviceKey,
      store: new DeviceCertificateStore(opts.stateDir),
      station: this.station,
      cloud,
      timing: { ...DEFAULT_ATTESTATION_TIMING, ...opts.attestationTiming },
      log,
    });
    this.cloudUpdates = new CloudUpdates({
      deviceId: this.deviceId,
      deviceKey: identity.deviceKey,
      station: this.station,
      cloud,
      timing: { ...DEFAULT_UPDATE_TIMING, ...opts.updateTiming },
      apps: this.apps,
      store: this.store,
      log,
    });
    this.iot = new IotConnections({
      apps: this.apps,
      deviceId: this.deviceId,
      deviceKeyPem: identity.deviceKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      cloudCaPem,
      provisioningHost: opts.provisioningHost ?? DEFAULT_PROVISIONING_HOST,
      timing: { ...DEFAULT_IOT_TIMING, ...opts.iotTiming },
      telemetrySeed: opts.telemetrySeed ?? seedFromString(this.deviceId),
      certificate: () => (this.attestation.ready ? this.attestation.certificate : undefined),
      output: (componentId, line) => this.output.write(componentId, line),
    });
    this.attestation.on('change', () => this.iot.sync());
    const router = createDeviceRestRouter({
      deviceId: this.deviceId,
      store: this.store,
      station: this.station,
      uptimeSeconds: () => this.uptimeSeconds(),
      deviceAuthReady: () => this.attestation.ready,
      requestRestart: () => {
        // Let the response (one TLS record, well under 1 KiB) cross the line before the stack goes away.
        clearTimeout(this.restartTimer);
        this.restartTimer = setTimeout(() => {
          this.restartTimer = undefined;
          void this.restart({ downMs: restartDownMs });
        }, Math.max(100, wireTimeMs(1024, this.baud) + 50));
      },
    }, this.apps);
    this.secureContext = tls.createSecureContext({ key: identity.serverKeyPem, cert: identity.serverCertPem });
    this.httpServer = http.createServer((req, res) => {
      this.restRequests++;
      router.handle(req, res);
    });

    this.recovery = new RecoveryUart(opts.recoveryLinkPath ?? `${opts.linkPath}.recovery`, opts.recoveryBaud ?? DEFAULT_RECOVERY_BAUD, {
      enterRecovery: () => {
        clearTimeout(this.restartTimer);
        this.powerOff();
      },
      reboot: () => {
        this.powerOff();
        this.boot();
      },
      completeRecovery: async (osVersion) => {
        await this.store.update((draft) => Object.assign(draft, factoryResetState(this.deviceId, draft, osVersion)));
        if (this.pty) this.boot();
      },
    }, { ...DEFAULT_RECOVERY_TIMING, ...opts.recoveryTiming });

    this.uart = new BoardUart(this.baud, { corruptRate: opts.corruptRate, dropRate: opts.dropRate, corruptEvery: opts.corruptEvery, faultSeed: opts.faultSeed }, {
      write: (bytes) => this.pty?.write(bytes),
      pause: () => this.pty?.pause(),
      resume: () => this.pty?.resume(),
      lineBaud: async () => this.pty?.lineBaud?.(),
    });
  }

  get recoveryLinkPath(): string {
    return this.recovery.linkPath;
  }

  get recoveries(): number {
    return this.recovery.recoveries;
  }

  get state(): PersistedBoardState {
    return this.store.snapshot();
  }

  get faultSeed(): number {
    return this.uart.counters.faultSeed;
  }

  get deviceAuthenticationIsReady(): boolean {
    return this.attestation.ready;
  }

  get deviceCertificate(): DeviceCertificateRecord | undefined {
    const record = this.attestation.certificate;
    return record && { ...record };
  }

  deviceAuthCertificatePath(componentId: string): string {
    const app = this.store.view.apps.find((a) => a.componentId === componentId.toLowerCase());
    if (!app) throw new Error(`No application ${componentId} is installed`);
    if (!app.deviceAuthentication) throw new Error(`Application ${componentId} names no tenant in Capabilities.DeviceAuthentication`);
    return this.attestation.certificatePath(app.deviceAuthentication);
  }

  checkDeviceAuth(): Promise<void> {
    return this.attestation.check();
  }

  get iotConnection(): IotConnectionStatus {
    return this.iot.statuses()[0] ?? { componentId: undefined, state: 'idle', messagesSent: 0, connections: 0, registrations: 0 };
  }

  iotConnectionOf(componentId: string): IotConnectionStatus | undefined {
    return this.iot.statusOf(componentId);
  }

  appOutput(componentId: string): string[] {
    return this.output.linesOf(componentId);
  }

  get updates(): BoardUpdateStatus {
    return this.cloudUpdates.status;
  }

  async checkForUpdates(): Promise<BoardUpdateStatus> {
    await this.cloudUpdates.checkNow();
    return this.cloudUpdates.status;
  }

  uptimeSeconds(): number {
    return Math.floor((performance.now() - this.bootedAt) / 1000);
  }

  async start(loopbackPort: number | undefined): Promise<void> {
    await this.apps.sweepLeftovers();
    if (loopbackPort !== undefined) {
      await this.listenOnLoopback(loopbackPort);
    }
    await this.plugIn();
    this.attestation.start();
    this.cloudUpdates.start();
  }

  setFaults(faults: FaultChange): void {
    this.uart.setFaults(faults);
  }

  counters(): SimulatedBoardCounters {
    return {
      uart: structuredClone(this.uart.counters),
      net: this.stack ? structuredClone(this.stack.counters) : undefined,
      restRequests: this.restRequests,
      boots: this.boots,
    };
  }

  async unplug(): Promise<void> {
    if (!this.pty) return;
    // The dev kit is powered over the same USB cable: unplugging also powers the board off.
    this.powerOff();
    await removeAnnouncement(this.registryDir, this.deviceId);
    await removeStaleLink(this.linkPath);
    const pty = this.pty;
    this.pty = undefined;
    await Promise.all([pty.close(), this.recovery.close()]);
  }

  async replug(): Promise<void> {
    if (this.stopped) throw new Error('The board was stopped');
    if (this.pty) return;
    await this.plugIn();
  }

  async restart(opts: { downMs?: number } = {}): Promise<void> {
    if (!this.pty || this.stopped) return;
    this.powerOff();
    const downMs = opts.downMs ?? DEFAULT_RESTART_DOWN_MS;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.bootTimer = undefined;
        this.boot();
        resolve();
      }, downMs);
      this.bootTimer = { timer, resolve };
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.unplug();
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.cancelPendingBoot();
    this.station.stop();
    await this.attestation.stop();
    await this.cloudUpdates.stop();
    await this.iot.stopAll();
    this.uart.close();
    for (const socket of this.openSockets) socket.destroy();
    if (this.loopbackServer) {
      const server = this.loopbackServer;
      this.loopbackServer = undefined;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.store.flush();
    this.unlock();
  }

  private async plugIn(): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.linkPath), { recursive: true });
    this.pty = await openPtyPair(this.linkPath);
    this.pty.on('data', (bytes: Buffer) => this.uart.fromWire(bytes));
    await this.recovery.open();
    this.boot();
    await this.recovery.quiet(); // the boot log is on the recovery UART before the board counts as started
    await writeAnnouncement(this.registryDir, {
      deviceId: this.deviceId,
      linkPath: this.linkPath,
      caCertPath: this.caCertPath,
      baud: this.baud,
      pid: process.pid,
      name: this.name,
      recoveryLinkPath: this.recovery.linkPath,
      recoveryBaud: this.recovery.baud,
    });
  }

  /** Power-on: fresh uptime, a new network stack on the UART, Wi-Fi starts choosing a network. */
  private boot(): void {
    if (this.recovery.holdsBoard) return; // in recovery mode, or no OS left to start
    this.recovery.bootedNormally(this.store.view.osVersion);
    this.bootedAt = performance.now();
    this.boots++;
    const stack = new NetStack(this.uart.attachBoardSide(), { localAddress: BOARD_IP_ADDRESS });
    stack.on('error', () => undefined);
    stack.listen(DEVICE_REST_PORT, (socket) => this.serveConnection(socket));
    this.stack = stack;
    this.station.reevaluate();
    this.output.clear();
    this.apps.boot();
  }

  /** Power-off or reset: every connection vanishes without a goodbye, RAM state is lost, bytes on the line too. */
  private powerOff(): void {
    this.cancelPendingBoot();
    const stack = this.stack;
    this.stack = undefined;
    this.uart.detachBoardSide();
    stack?.destroy();
    for (const socket of this.openSockets) socket.destroy();
    this.station.reset();
    this.outputPort.powerOff();
    this.apps.powerOff();
  }

  private cancelPendingBoot(): void {
    if (this.bootTimer) {
      clearTimeout(this.bootTimer.timer);
      this.bootTimer.resolve();
      this.bootTimer = undefined;
    }
  }

  /** Serves HTTPS on one byte stream (a TCP connection of the board's stack, or of the loopback door). */
  private serveConnection(socket: Duplex): void {
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: this.secureContext });
    for (const s of [socket, secure]) {
      this.openSockets.add(s);
      s.on('close', () => this.openSockets.delete(s));
    }
    socket.on('error', () => undefined);
    // Failed handshakes (wrong CA, corrupted records) end only this connection.
    secure.on('error', () => secure.destroy());
    this.httpServer.emit('connection', secure);
  }

  private listenOnLoopback(port: number): Promise<void> {
    // The loopback door follows the board's power like the serial one: refused while the board is down.
    const server = net.createServer((socket) => (this.stack ? this.serveConnection(socket) : socket.destroy()));
    this.loopbackServer = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address() as net.AddressInfo;
        this.loopback = { host: '127.0.0.1', port: address.port };
        resolve();
      });
    });
  }
}

export async function startSimulatedBoard(opts: SimulatedBoardOptions): Promise<SimulatedBoard> {
  if (opts.radio) validateRadioWorld(opts.radio);
  const unlock = lockStateDir(opts.stateDir, { fileName: 'board.lock', holder: 'simulated board' });
  let board: Board;
  try {
    const identity = loadOrCreateIdentity(opts.stateDir);
    const store = await BoardStateStore.open(opts.stateDir, identity.deviceId);
    board = new Board(opts, identity, store, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
  try {
    await board.start(opts.loopbackPort);
  } catch (error) {
    await board.stop();
    throw error;
  }
  return board;
}
