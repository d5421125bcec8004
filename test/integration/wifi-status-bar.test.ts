import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MemoryPinStore } from '../../src/device';
import { DeviceModel } from '../../src/boards/device-model';
import { WifiModel } from '../../src/boards/wifi-model';
import { WifiStatusBar, type WindowFocus } from '../../src/statusbar/wifi-status-bar';
import { eventually, startTestBoard, type TestBoard } from './devices-harness';

const HOME_KEY = 'correct horse battery';

/**
 * The indicator on its own device model over a board only it sees, with short poll timings. The window's focus is
 * the one fake: a headless extension host cannot be blurred, so focus changes are scripted. The item's visibility is
 * read by wrapping show()/hide(), which the StatusBarItem API does not expose.
 */
describe('Wi-Fi status-bar indicator: follows the selected board, polls only while focused, backs off on errors', () => {
  let tb: TestBoard;
  let model: DeviceModel;
  let wifi: WifiModel;
  let bar: WifiStatusBar;
  let log: vscode.LogOutputChannel;
  let visible = false;
  const texts: string[] = [];
  const polls: { ok: boolean; nextDelayMs: number; at: number }[] = [];
  const focusChanged = new vscode.EventEmitter<{ focused: boolean }>();
  const focus: WindowFocus & { state: { focused: boolean } } = { state: { focused: true }, onDidChangeWindowState: focusChanged.event };
  const key = () => `sim:${tb.board.deviceId.toLowerCase()}`;
  const text = () => bar.item.text;

  before(async () => {
    tb = await startTestBoard('statusbar-board', { visibleToExtension: false, wifiTiming: { stepMs: 150, dhcpMs: 300 } });
    log = vscode.window.createOutputChannel('Sphere Explorer status-bar test', { log: true });
    model = new DeviceModel({ pinStore: new MemoryPinStore(), log, registryDir: tb.registryDir, connection: { connectTimeoutMs: 500, idleTimeoutMs: 500, maxAttempts: 1 } });
    wifi = new WifiModel(model);
    bar = new WifiStatusBar(model, wifi, { steadyMs: 150, connectingMs: 40, maxBackoffMs: 1_200 }, focus, 'sphereExplorer.test.wifiStatus');
    const { show, hide } = bar.item;
    bar.item.show = () => ((visible = true), show.call(bar.item));
    bar.item.hide = () => ((visible = false), hide.call(bar.item));
    bar.onDidPoll((p) => {
      polls.push({ ...p, at: Date.now() });
      if (texts.at(-1) !== text()) texts.push(text());
    });
  });
  after(async () => {
    bar?.dispose();
    wifi?.dispose();
    model?.dispose();
    focusChanged.dispose();
    log?.dispose();
    await tb?.close();
  });

  it('stays hidden without a board and shows "Wi-Fi disconnected" once the board is selected', async () => {
    assert.equal(visible, false);
    await model.start();
    assert.equal(model.selected?.key, key());
    await eventually(text, (t) => t === '$(debug-disconnect) Wi-Fi disconnected', 'the disconnected state');
    assert.equal(visible, true);
  });

  it('shows connecting, then SSID and signal; the tooltip has IP address, frequency, key management and device', async () => {
    const client = await model.client(key());
    await client.addWifiNetwork({ ssid: 'HomeNetwork', security: 'psk', psk: HOME_KEY });
    await wifi.refreshStatus(); // what the add command does
    await eventually(text, (t) => t === '$(radio-tower) HomeNetwork -48 dBm', 'the connected state with the signal from a scan');
    assert.ok(texts.some((t) => t.startsWith('$(loading~spin) Connecting to HomeNetwork')), `states seen: ${texts.join(' → ')}`);
    const tooltip = String(bar.item.tooltip);
    for (const part of ['IP address: 192.168.1.77', 'Frequency: 5220 MHz', 'Key management: WPA2-PSK', 'Device: statusbar-board']) {
      assert.ok(tooltip.includes(part), `tooltip lacks "${part}":\n${tooltip}`);
    }
    assert.ok(!tooltip.includes(HOME_KEY) && !texts.some((t) => t.includes(HOME_KEY)));
  });

  it('polls only while the window has focus', async () => {
    focus.state.focused = false;
    focusChanged.fire({ focused: false });
    await new Promise((r) => setTimeout(r, 300)); // a poll already under way may finish
    const before = polls.length;
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(polls.length, before, 'no poll while the window is in the background');
    focus.state.focused = true;
    focusChanged.fire({ focused: true });
    await eventually(() => polls.length, (n) => n > before, 'a poll as soon as the window has focus again', 2_000);
  });

  it('shows "Wi-Fi off" while wlan0 is down', async () => {
    const client = await model.client(key());
    await client.setNetworkInterfaceUp('wlan0', false);
    await eventually(text, (t) => t === '$(circle-slash) Wi-Fi off', 'the Wi-Fi-off state');
    await client.setNetworkInterfaceUp('wlan0', true);
    await eventually(text, (t) => t.startsWith('$(radio-tower) HomeNetwork'), 'connected again');
  });

  it('backs off while the board does not answer (doubling, capped), warns, and recovers when it answers again', async () => {
    const from = polls.length;
    tb.board.setFaults({ silent: true });
    await eventually(() => polls.slice(from).filter((p) => !p.ok).length, (n) => n >= 4, 'four failed polls', 20_000);
    const delays = polls.slice(from).filter((p) => !p.ok).map((p) => p.nextDelayMs);
    assert.deepEqual(delays.slice(0, 4), [300, 600, 1_200, 1_200]);
    assert.equal(text(), '$(warning) Wi-Fi: no answer');
    assert.ok(bar.item.backgroundColor, 'the warning colour');
    tb.board.setFaults({ silent: false });
    await eventually(text, (t) => t.startsWith('$(radio-tower) HomeNetwork'), 'connected again once the board answers', 20_000);
    assert.equal(polls.at(-1)?.nextDelayMs, 150, 'back to the steady pace');
  });

  it('hides (without being disposed) when the board is unplugged, and shows again when it is back', async () => {
    await tb.board.unplug();
    await eventually(() => visible, (v) => !v, 'hidden once the board detached');
    await tb.board.replug();
    await eventually(() => visible && text().startsWith('$(radio-tower) HomeNetwork'), Boolean, 'shown again, connected');
  });
});
