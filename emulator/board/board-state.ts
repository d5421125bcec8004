// The board's persisted state (Wi-Fi configurations, certificate store, interfaces, OS version, installed
// applications and capabilities…) and its store:
// every change is written atomically to `<stateDir>/board-state.json` before the caller may acknowledge it.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';

export type WifiSecurityState = 'open' | 'psk' | 'eaptls';
export type WifiConfigState = 'enabled' | 'disabled';

export interface WifiNetworkRecord {
  id: number;
  ssid: string;
  securityState: WifiSecurityState;
  configState: WifiConfigState;
  targetedScan: boolean;
  configName?: string;
  /** Stored on the board like the real one keeps it; never returned by the REST API. */
  psk?: string;
  clientCertStoreIdentifier?: string;
  clientIdentity?: string;
  rootCaCertStoreIdentifier?: string;
}

export type CertType = 'client' | 'rootca';

export interface CertRecord {
  id: string;
  certType: CertType;
  publicCert: string;
  privateKey?: string;
  password?: string;
}

export interface ProxyRecord {
  enabled: boolean;
  address: string;
  port: number;
  noProxyAddresses: string[];
  authenticationType: 'anonymous' | 'basic';
  username?: string;
  password?: string;
}

/**
 * An installed component: an application (image type 10), a board configuration (21), or gdbserver; sideloaded or
 * installed from the cloud (`origin`).
 */
export interface InstalledComponentRecord {
  /** Lower-case GUID; the component's identity across versions. */
  componentId: string;
  /** Lower-case GUID of the installed build. */
  imageId: string;
  imageType: number;
  /** The package's Debug-section name, as `GET /images` shows it. */
  name: string;
  lengthInBytes: number;
  /** `MutableStorage.SizeKB` of the app manifest; 0 without mutable storage. */
  storageLimitKB: number;
  /** Mutable storage the app filled in earlier runs (it grows while the app runs: apps/app-metrics.ts). */
  storageUsedKB: number;
  /**
   * Whether the app runs. Kept across reboots and power cycles, because the board starts its apps at boot;
   * `debugging` is a state of one boot only and is not stored.
   */
  runState: 'running' | 'stopped';
  /** The manifest's CmdArgs (where an IoT app finds its hub host or DPS ID scope, iot/); absent when it has none. */
  cmdArgs?: string[];
  /** The manifest's `Capabilities.DeviceAuthentication`: the tenant whose device certificate the app may use. */
  deviceAuthentication?: string;
  /**
   * 'cloud': installed by the board's update check from its device group's deployment (updates/); absent: sideloaded
   * (or the simulator's gdbserver). Only cloud-installed components are removed when a deployment stops targeting
   * them; a sideload over one makes it sideloaded again.
   */
  origin?: 'cloud';
}

/** What the staged package said about itself, read once when the upload completed. */
export type StagedPackageSummary =
  | {
    kind: 'component';
    componentId: string;
    imageId: string;
    imageType: number;
    name: string;
    /** Signed with the SDK's development key or marked "under development": needs capability 11 to install. */
    developmentImage: boolean;
    storageLimitKB: number;
    /** From the app manifest, kept for the installed record (see InstalledComponentRecord). */
    cmdArgs?: string[];
    deviceAuthentication?: string;
  }
  | {
    kind: 'capabilities';
    componentId: string;
    imageId: string;
    /** The device the capability file was issued for (128 lower-case hex). */
    deviceId: string;
    capabilities: number[];
  };

export interface StagedImageRecord {
  /** Bytes received by the `PUT /update/stage` that staged it, and their SHA-256. */
  bytes: number;
  sha256: string;
  /** The package itself, in the state folder (apps/image-staging.ts). */
  fileName: string;
  package: StagedPackageSummary;
}

export interface PersistedBoardState {
  schema: 1;
  osVersion: string;
  securityState: 'SECURE' | 'TEST' | 'BLANK' | 'EOL' | 'UNKNOWN';
  manufacturingState: 'Blank' | 'Module1Complete' | 'DeviceComplete' | 'Unknown';
  /** 11 = appDevelopment, 13 = fieldServicing… (docs/device-rest-api.md#device). */
  capabilities: number[];
  wifi: { networks: WifiNetworkRecord[]; powerSavings: boolean };
  certs: CertRecord[];
  interfaces: { wlan0: { up: boolean; hardwareAddress: string } };
  proxy: ProxyRecord | null;
  /** The image package staged by the last complete `PUT /update/stage`, until `POST /update/install`. */
  stagedImage: StagedImageRecord | null;
  /** Installed components (sideloaded or from the cloud), in the order they were first installed. */
  apps: InstalledComponentRecord[];
}

export const STATE_FILE_NAME = 'board-state.json';

/** A stable, locally administered MAC derived from the device ID, so each board's wlan0 differs. */
function defaultWlanMac(deviceId: string): string {
  const hash = crypto.createHash('sha256').update(deviceId).digest();
  const bytes = [0x02, hash[0], hash[1], hash[2], hash[3], hash[4]];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function initialBoardState(deviceId: string): PersistedBoardState {
  return {
    schema: 1,
    osVersion: '24.10',
    securityState: 'SECURE',
    manufacturingState: 'Blank',
    capabilities: [],
    wifi: { networks: [], powerSavings: false },
    certs: [],
    interfaces: { wlan0: { up: true, hardwareAddress: defaultWlanMac(deviceId) } },
    proxy: null,
    stagedImage: null,
    apps: [],
  };
}

/**
 * Brings a state file written by an older simulator up to date: boards that never ran applications have no `apps`,
 * and their `stagedImage` (size and hash only) no longer names a package to install, so it is dropped.
 */
function upgradeState(state: PersistedBoardState): PersistedBoardState {
  const stored = state as Partial<PersistedBoardState>;
  return {
    ...state,
    apps: stored.apps ?? [],
    stagedImage: stored.stagedImage && 'package' in stored.stagedImage ? stored.stagedImage : null,
  };
}

/**
 * Holds the state in memory and on disk. Updates are serialised: each runs on a copy, is written (temp + fsync +
 * rename) and only then becomes current, so a failed write or a rejected request leaves the state unchanged.
 */
export class BoardStateStore {
  private current: PersistedBoardState;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly filePath: string, initial: PersistedBoardState) {
    this.current = initial;
  }

  /** The board's state folder: files the state names (a staged package) live beside `board-state.json`. */
  get stateDir(): string {
    return path.dirname(this.filePath);
  }

  static async open(stateDir: string, deviceId: string): Promise<BoardStateStore> {
    const filePath = path.join(stateDir, STATE_FILE_NAME);
    let state: PersistedBoardState;
    try {
      state = JSON.parse(await fs.promises.readFile(filePath, 'utf8')) as PersistedBoardState;
      if (state.schema !== 1) {
        throw new Error(`Unsupported board state schema ${String(state.schema)} in ${filePath}`);
      }
      state = upgradeState(state);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      state = initialBoardState(deviceId);
      await writeFileAtomic(filePath, JSON.stringify(state, null, 2));
    }
    return new BoardStateStore(filePath, state);
  }

  /** A deep copy: callers can read freely without touching the store. */
  snapshot(): PersistedBoardState {
    return structuredClone(this.current);
  }

  /** Read-only view without copying, for hot paths inside the simulator. */
  get view(): Readonly<PersistedBoardState> {
    return this.current;
  }

  /** Applies `mutate` to a copy, persists it, then makes it current; the mutator's exception aborts the update. */
  update<T>(mutate: (draft: PersistedBoardState) => T): Promise<T> {
    const run = async (): Promise<T> => {
      const draft = structuredClone(this.current);
      const result = mutate(draft);
      await writeFileAtomic(this.filePath, JSON.stringify(draft, null, 2));
      this.current = draft;
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every queued update has been written. */
  async flush(): Promise<void> {
    await this.queue;
  }
}
