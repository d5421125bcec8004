// The status-bar Wi-Fi indicator of the selected board: one item, created once with an id and a name, hidden (never
// disposed) while no board is selected. It follows the device model's events and polls GET /wifi/interface only while
// a board is selected and the window has focus — faster while connecting, backing off after errors.
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { DeviceModel, WifiModel } from '../boards';
import { presentWifiStatus } from './wifi-status-presentation';

export const WIFI_STATUS_ITEM_ID = 'sphereExplorer.wifiStatus';

export interface WifiPollTiming {
  /** Between polls while nothing is happening. */
  steadyMs: number;
  /** Between polls while the board is connecting. */
  connectingMs: number;
  /** Longest wait after repeated errors (doubling from steadyMs). */
  maxBackoffMs: number;
}

/** Whether the window has focus, and when that changes: vscode.window (tests pass their own). */
export interface WindowFocus {
  readonly state: { readonly focused: boolean };
  readonly onDidChangeWindowState: vscode.Event<{ readonly focused: boolean }>;
}

export const DEFAULT_WIFI_POLL_TIMING: WifiPollTiming = { steadyMs: 5_000, connectingMs: 1_000, maxBackoffMs: 60_000 };

export class WifiStatusBar extends Disposable {
  readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private polling = false;
  private readonly _onDidPoll = this._register(new vscode.EventEmitter<{ ok: boolean; nextDelayMs: number }>());
  /** After each poll: whether it got an answer, and when the next one is due (tests watch the back-off). */
  readonly onDidPoll = this._onDidPoll.event;

  constructor(
    private readonly devices: DeviceModel,
    private readonly wifi: WifiModel,
    private readonly timing: WifiPollTiming = DEFAULT_WIFI_POLL_TIMING,
    private readonly focus: WindowFocus = vscode.window,
    itemId = WIFI_STATUS_ITEM_ID,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(itemId, vscode.StatusBarAlignment.Left, 50));
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
    this._register(focus.onDidChangeWindowState((s) => (s.focused ? this.schedule(0) : this.stop())));
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
    if (this.isDisposed || this.polling || !this.devices.selected || !this.focus.state.focused) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    let next: number;
    let ok = false;
    try {
      const snapshot = await this.wifi.refreshStatus();
      this.failures = 0;
      ok = true;
      next = snapshot?.kind === 'connecting' ? this.timing.connectingMs : this.timing.steadyMs;
    } catch {
      this.failures++;
      next = Math.min(this.timing.steadyMs * 2 ** this.failures, this.timing.maxBackoffMs);
    } finally {
      this.polling = false;
    }
    this.render();
    this.schedule(next);
    this._onDidPoll.fire({ ok, nextDelayMs: next });
  }
}
