// The status-bar Wi-Fi indicator of the selected board: one item, created once with an id and a name, hidden (never
// disposed) while no board is selected. It follows the device model's events and polls GET /wifi/interface only while
// a board is selected and the window has focus — faster while connecting, backing off after errors.
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { DeviceModel, WifiModel } from '../devices';
import { presentWifiStatus } from './wifiStatusPresentation';

export const WIFI_STATUS_ITEM_ID = 'sphereExplorer.wifiStatus';

export interface WifiPollTiming {
  /** Between polls while nothing is happening. */
  steadyMs: number;
  /** Between polls while the board is connecting. */
  connectingMs: number;
  /** Longest wait after repeated errors (doubling from steadyMs). */
  maxBackoffMs: number;
}

export const DEFAULT_WIFI_POLL_TIMING: WifiPollTiming = { steadyMs: 5_000, connectingMs: 1_000, maxBackoffMs: 60_000 };

export class WifiStatusBar extends Disposable {
  readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private polling = false;
  /** How many polls ran (bench and tests read it to check that polling stops when it should). */
  polls = 0;

  constructor(
    private readonly devices: DeviceModel,
    private readonly wifi: WifiModel,
    private readonly timing: WifiPollTiming = DEFAULT_WIFI_POLL_TIMING,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(WIFI_STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'Azure Sphere Wi-Fi';
    this.item.command = CommandId.wifiQuickActions;
    this._register(toDisposable(() => clearTimeout(this.timer)));
    this._register(devices.onDidChangeSelection(() => this.restart()));
    this._register(
      wifi.onDidChangeStatus((snapshot) => {
        this.render();
        // A command just changed the Wi-Fi (added, enabled a network): follow the connection closely.
        if (snapshot?.kind === 'connecting' && !this.polling) this.schedule(this.timing.connectingMs);
      }),
    );
    this._register(vscode.window.onDidChangeWindowState((s) => (s.focused ? this.schedule(0) : this.stop())));
    this.restart();
  }

  private restart(): void {
    this.failures = 0;
    this.render();
    this.schedule(0);
  }

  private render(): void {
    const board = this.devices.selected;
    if (!board) {
      this.item.hide();
      return;
    }
    const p = presentWifiStatus(this.wifi.status, board.label);
    this.item.text = p.text;
    this.item.tooltip = p.tooltipLines.join('\n');
    this.item.accessibilityInformation = { label: `Azure Sphere Wi-Fi: ${p.tooltipLines[0]}` };
    this.item.backgroundColor = p.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.stop();
    if (this.isDisposed || this.polling || !this.devices.selected || !vscode.window.state.focused) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    let next: number;
    try {
      this.polls++;
      const snapshot = await this.wifi.refreshStatus();
      this.failures = 0;
      next = snapshot?.kind === 'connecting' ? this.timing.connectingMs : this.timing.steadyMs;
    } catch {
      this.failures++;
      next = Math.min(this.timing.steadyMs * 2 ** this.failures, this.timing.maxBackoffMs);
    } finally {
      this.polling = false;
    }
    this.render();
    this.schedule(next);
  }
}
