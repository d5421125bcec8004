// The board's Wi-Fi station (what wpa_supplicant does on a real board): picks an enabled configured network, walks
// the wpa_states towards COMPLETED against the simulated radio world, leases an address, or records why it failed.
import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../common/clock';
import type { CertRecord, WifiNetworkRecord } from './board-state';
import type { AccessPoint } from './radio';

export type WpaState =
  | 'DISCONNECTED' | 'INTERFACE_DISABLED' | 'INACTIVE' | 'SCANNING' | 'AUTHENTICATING' | 'ASSOCIATING'
  | 'ASSOCIATED' | '4WAY_HANDSHAKE' | 'GROUP_HANDSHAKE' | 'COMPLETED';

export type WifiConnectionError =
  | 'NetworkNotFound' | 'WrongKey' | 'NoPskIncluded' | 'AuthenticationFailed' | 'ConnectionFailed'
  | 'SecurityTypeMismatch' | 'NetworkFrequencyNotAllowed' | 'NetworkNotEssPbssMbss' | 'NetworkNotSupported'
  | 'NetworkNonWpa';

export type CertValidationError = 'CertificateNotFound' | 'InvalidRootCA' | 'InvalidClientAuth';

export interface WifiDiagnosticEntry {
  timestamp: string;
  networkId: number;
  ssid: string;
  error: WifiConnectionError;
  configState: string;
  connectionState: 'disconnected';
  certInfo?: { certSubject: string; certDepth: number; certError: CertValidationError };
}

export interface WifiTiming {
  /** Time spent in each intermediate wpa_state. */
  stepMs: number;
  /** Time from COMPLETED until DHCP hands out an address. */
  dhcpMs: number;
  /** Pause before scanning again when no configured network could be joined. */
  retryMs: number;
}

export const DEFAULT_WIFI_TIMING: WifiTiming = { stepMs: 250, dhcpMs: 600, retryMs: 10_000 };

export interface StationInputs {
  networks(): readonly WifiNetworkRecord[];
  certs(): readonly CertRecord[];
  wlanUp(): boolean;
  uptimeSeconds(): number;
}

interface Outcome {
  /** States visited after SCANNING, in order. */
  path: WpaState[];
  ap?: AccessPoint;
  error?: WifiConnectionError;
  certInfo?: WifiDiagnosticEntry['certInfo'];
}

const HANDSHAKE: Record<WifiNetworkRecord['securityState'], WpaState[]> = {
  open: ['ASSOCIATING', 'ASSOCIATED'],
  psk: ['ASSOCIATING', 'ASSOCIATED', '4WAY_HANDSHAKE', 'GROUP_HANDSHAKE'],
  eaptls: ['ASSOCIATING', 'ASSOCIATED', 'AUTHENTICATING', '4WAY_HANDSHAKE', 'GROUP_HANDSHAKE'],
};

/** The fields whose change forces a reconnect (a new configName does not). */
function connectionKey(network: WifiNetworkRecord): string {
  const { ssid, securityState, configState, targetedScan, psk, clientCertStoreIdentifier, clientIdentity, rootCaCertStoreIdentifier } = network;
  return JSON.stringify([ssid, securityState, configState, targetedScan, psk, clientCertStoreIdentifier, clientIdentity, rootCaCertStoreIdentifier]);
}

/** `2000-01-01t00:04:37+0000`: the board's clock starts at 2000-01-01 until network time sync completes. */
export function boardTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', 't')}+0000`;
}

export class WifiStation extends EventEmitter {
  wpaState: WpaState = 'DISCONNECTED';
  /** The network being joined or joined, with the access point chosen for it. */
  current: { network: WifiNetworkRecord; ap: AccessPoint } | undefined;
  ipAddress: string | undefined;
  timeSynced = false;
  private readonly diagnostics = new Map<number, WifiDiagnosticEntry>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly radio: readonly AccessPoint[],
    private readonly inputs: StationInputs,
    private readonly timing: WifiTiming,
    /** Network time, once synced: what the board's clock shows then (tests share one AdjustableClock with the cloud). */
    private readonly clock: Clock = systemClock,
  ) {
    super();
  }

  get connected(): boolean {
    return this.wpaState === 'COMPLETED' && this.current !== undefined;
  }

  get connectedToInternet(): boolean {
    return this.connected && this.ipAddress !== undefined && this.current!.ap.internet !== false;
  }

  connectionStateOf(networkId: number): 'connected' | 'disconnected' {
    return this.connected && this.current!.network.id === networkId ? 'connected' : 'disconnected';
  }

  diagnosticsList(): WifiDiagnosticEntry[] {
    return [...this.diagnostics.values()].sort((a, b) => a.networkId - b.networkId).map((e) => structuredClone(e));
  }

  diagnosticsFor(networkId: number): WifiDiagnosticEntry | undefined {
    const entry = this.diagnostics.get(networkId);
    return entry && structuredClone(entry);
  }

  /** Visible access points, strongest first; hidden SSIDs show as "\u0000" like on a real board. */
  scan(): { bssid: string; freq: number; signal_level: number; ssid: string; securityState: string }[] {
    return [...this.radio]
      .sort((a, b) => b.signal - a.signal)
      .map((ap) => ({ bssid: ap.bssid, freq: ap.freq, signal_level: ap.signal, ssid: ap.hidden ? '\u0000' : ap.ssid, securityState: ap.security }));
  }

  now(): Date {
    return this.timeSynced ? new Date(this.clock.now()) : new Date(Date.UTC(2000, 0, 1) + this.inputs.uptimeSeconds() * 1000);
  }

  /** Called after anything that can change the choice of network: config edits, reloadConfig, wlan0 up/down. */
  reevaluate(): void {
    if (!this.inputs.wlanUp()) {
      this.cancel();
      this.disconnect('INTERFACE_DISABLED');
      return;
    }
    const enabled = this.inputs.networks().filter((n) => n.configState === 'enabled');
    if (this.current) {
      const same = enabled.find((n) => n.id === this.current!.network.id);
      if (same && connectionKey(same) === connectionKey(this.current.network)) {
        this.current.network = structuredClone(same);
        return; // keep the ongoing attempt or connection
      }
    }
    this.cancel();
    this.disconnect(enabled.length === 0 ? 'INACTIVE' : 'SCANNING');
    if (enabled.length > 0) {
      this.tryNetworks(enabled.map((n) => structuredClone(n)), 0);
    }
  }

  /** `PATCH /wifi/interface {"reloadConfig": true}`: drop the current association and choose again. */
  reload(): void {
    this.cancel();
    this.disconnect('DISCONNECTED');
    this.reevaluate();
  }

  /** Drops the diagnostics of a deleted network. */
  forget(networkId: number): void {
    this.diagnostics.delete(networkId);
  }

  /** Board reboot: RAM-only state is lost. */
  reset(): void {
    this.cancel();
    this.disconnect('DISCONNECTED');
    this.diagnostics.clear();
    this.timeSynced = false;
  }

  stop(): void {
    this.cancel();
  }

  private disconnect(state: WpaState): void {
    this.current = undefined;
    this.ipAddress = undefined;
    this.setState(state);
  }

  private setState(state: WpaState): void {
    if (this.wpaState !== state) {
      this.wpaState = state;
      this.emit('change', state);
    }
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private cancel(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  private judge(network: WifiNetworkRecord): Outcome {
    const candidates = this.radio
      .filter((ap) => ap.ssid === network.ssid && (!ap.hidden || network.targetedScan))
      .sort((a, b) => b.signal - a.signal);
    const ap = candidates[0];
    if (!ap) {
      return { path: [], error: 'NetworkNotFound' };
    }
    if (ap.security !== network.securityState) {
      return { path: ['ASSOCIATING'], ap, error: 'SecurityTypeMismatch' };
    }
    if (network.securityState === 'psk' && network.psk !== ap.psk) {
      return { path: ['ASSOCIATING', 'ASSOCIATED', '4WAY_HANDSHAKE'], ap, error: 'WrongKey' };
    }
    if (network.securityState === 'eaptls') {
      const certs = this.inputs.certs();
      const client = certs.find((c) => c.id === network.clientCertStoreIdentifier && c.certType === 'client');
      const rootCa = network.rootCaCertStoreIdentifier === undefined
        || certs.some((c) => c.id === network.rootCaCertStoreIdentifier && c.certType === 'rootca');
      if (!client || !rootCa) {
        return {
          path: ['ASSOCIATING', 'ASSOCIATED', 'AUTHENTICATING'],
          ap,
          error: 'AuthenticationFailed',
          certInfo: { certSubject: '', certDepth: client ? 1 : 0, certError: client ? 'InvalidRootCA' : 'CertificateNotFound' },
        };
      }
    }
    return { path: HANDSHAKE[network.securityState], ap };
  }

  private tryNetworks(networks: WifiNetworkRecord[], index: number): void {
    if (index >= networks.length) {
      this.disconnect('SCANNING');
      this.after(this.timing.retryMs, () => this.reevaluate());
      return;
    }
    const network = networks[index];
    const outcome = this.judge(network);
    this.current = outcome.ap ? { network, ap: outcome.ap } : undefined;
    this.setState('SCANNING');
    const walk = (step: number): void => {
      if (step < outcome.path.length) {
        this.setState(outcome.path[step]);
        this.after(this.timing.stepMs, () => walk(step + 1));
        return;
      }
      if (outcome.error) {
        this.record(network, outcome);
        this.disconnect('DISCONNECTED');
        this.after(this.timing.stepMs, () => this.tryNetworks(networks, index + 1));
        return;
      }
      this.setState('COMPLETED');
      this.after(this.timing.dhcpMs, () => {
        this.ipAddress = outcome.ap!.leaseAddress;
        if (outcome.ap!.internet !== false) {
          this.timeSynced = true;
        }
        this.emit('lease', this.ipAddress);
      });
    };
    this.after(this.timing.stepMs, () => walk(0));
  }

  private record(network: WifiNetworkRecord, outcome: Outcome): void {
    const entry: WifiDiagnosticEntry = {
      timestamp: boardTimestamp(this.now()),
      networkId: network.id,
      ssid: network.ssid,
      error: outcome.error!,
      configState: network.configState,
      connectionState: 'disconnected',
    };
    if (outcome.certInfo) {
      entry.certInfo = outcome.certInfo;
    }
    this.diagnostics.set(network.id, entry);
  }
}
