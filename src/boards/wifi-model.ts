// The selected board's Wi-Fi: its configured networks and the interface status, cached and refreshed on demand.
// The Wi-Fi view and the status-bar indicator both read it; commands refresh it after they change the board.
import * as vscode from 'vscode';
import type { WifiInterfaceStatus, WifiNetwork } from '../device';
import { Disposable } from '../common/lifecycle';
import type { AttachedBoard } from './attached-board';
import type { DeviceModel } from './device-model';
import { wifiIndicatorKind, type WifiIndicatorKind } from './wifi-indicator-state';

export interface WifiStatusSnapshot {
  readonly board: AttachedBoard;
  readonly kind: WifiIndicatorKind;
  readonly status: WifiInterfaceStatus | undefined;
  /** dBm of the access point in use, from the last scan while connected. */
  readonly signal: number | undefined;
  readonly error: string | undefined;
}

/** Signal strength is not in GET /wifi/interface; it comes from a scan, redone at most this often while connected. */
const SIGNAL_MAX_AGE_MS = 60_000;

export class WifiModel extends Disposable {
  private readonly _onDidChangeNetworks = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeNetworks = this._onDidChangeNetworks.event;
  private readonly _onDidChangeStatus = this._register(new vscode.EventEmitter<WifiStatusSnapshot | undefined>());
  readonly onDidChangeStatus = this._onDidChangeStatus.event;

  private cachedNetworks: { boardKey: string; networks: Promise<WifiNetwork[]> } | undefined;
  private lastStatus: WifiStatusSnapshot | undefined;
  private signalRead: { ssid: string; freq: number; at: number; dbm: number | undefined } | undefined;

  constructor(private readonly devices: DeviceModel) {
    super();
    this._register(
      devices.onDidChangeSelection(() => {
        this.cachedNetworks = undefined;
        this.lastStatus = undefined;
        this.signalRead = undefined;
        this._onDidChangeNetworks.fire();
        this._onDidChangeStatus.fire(undefined);
      }),
    );
  }

  get board(): AttachedBoard | undefined {
    return this.devices.selected;
  }

  get status(): WifiStatusSnapshot | undefined {
    return this.lastStatus?.board === this.devices.selected ? this.lastStatus : undefined;
  }

  /** The selected board's configured networks (read once, then cached until refreshed). */
  networks(): Promise<WifiNetwork[]> {
    const board = this.devices.selected;
    if (!board) return Promise.resolve([]);
    if (this.cachedNetworks?.boardKey !== board.key) {
      const networks = this.devices.client(board.key).then((c) => c.listWifiNetworks());
      this.cachedNetworks = { boardKey: board.key, networks };
      // A failed read is not cached: the next look (the view's retry) reads again.
      networks.catch(() => {
        if (this.cachedNetworks?.networks === networks) this.cachedNetworks = undefined;
      });
    }
    return this.cachedNetworks.networks;
  }

  /** Forgets the cached list and tells the view, which reads it again. */
  refreshNetworks(): void {
    this.cachedNetworks = undefined;
    this._onDidChangeNetworks.fire();
  }

  /** Reads GET /wifi/interface of the selected board; refreshes the network list too when the connection changed. */
  async refreshStatus(): Promise<WifiStatusSnapshot | undefined> {
    const board = this.devices.selected;
    if (!board) return undefined;
    let status: WifiInterfaceStatus | undefined;
    let error: unknown;
    try {
      status = await (await this.devices.client(board.key)).getWifiInterface();
    } catch (err) {
      error = err;
    }
    if (this.devices.selected !== board) return undefined;
    const kind = wifiIndicatorKind(status, error);
    const signal = kind === 'connected' && status ? await this.signalOf(board, status) : undefined;
    const next: WifiStatusSnapshot = { board, kind, status, signal, error: error === undefined ? undefined : error instanceof Error ? error.message : String(error) };
    const previous = this.lastStatus?.board === board ? this.lastStatus : undefined;
    this.lastStatus = next;
    if (!previous || snapshotKey(previous) !== snapshotKey(next)) {
      this._onDidChangeStatus.fire(next);
      // Connection state and config state are shown on the network nodes too.
      if (previous && (previous.kind !== next.kind || previous.status?.id !== next.status?.id)) this.refreshNetworks();
      // wlan0's addresses (shown under the board's network interfaces) come and go with the connection.
      if (previous && previous.kind !== next.kind) this.devices.contentChanged(board, 'interfaces');
    }
    if (error !== undefined && next.kind === 'unreachable') throw error;
    return next;
  }

  private async signalOf(board: AttachedBoard, status: WifiInterfaceStatus): Promise<number | undefined> {
    const ssid = status.ssid ?? '';
    const freq = status.freq ?? 0;
    const known = this.signalRead;
    if (known && known.ssid === ssid && known.freq === freq && Date.now() - known.at < SIGNAL_MAX_AGE_MS) return known.dbm;
    try {
      const scan = await (await this.devices.client(board.key)).scanWifi();
      const dbm = scan.find((ap) => ap.ssid === ssid && ap.freq === freq)?.signal_level;
      this.signalRead = { ssid, freq, at: Date.now(), dbm };
      return dbm;
    } catch {
      return known?.dbm;
    }
  }
}

function snapshotKey(s: WifiStatusSnapshot): string {
  const st = s.status;
  return JSON.stringify([s.kind, st?.ssid, st?.id, st?.wpa_state, st?.ip_address, st?.freq, st?.key_mgmt, s.signal, s.error]);
}
