// The board's persisted state (Wi-Fi configurations, certificate store, interfaces, OS version…) and its store:
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
  /** Bytes received by the last complete `PUT /update/stage`, and their SHA-256. */
  stagedImage: { bytes: number; sha256: string } | null;
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

  static async open(stateDir: string, deviceId: string): Promise<BoardStateStore> {
    const filePath = path.join(stateDir, STATE_FILE_NAME);
    let state: PersistedBoardState;
    try {
      state = JSON.parse(await fs.promises.readFile(filePath, 'utf8')) as PersistedBoardState;
      if (state.schema !== 1) {
        throw new Error(`Unsupported board state schema ${String(state.schema)} in ${filePath}`);
      }
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
