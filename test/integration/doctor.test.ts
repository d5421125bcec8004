// The connection doctor in the real extension host, on a simulated board the extension discovered: the command from
// a board's context menu opens the panel, every check is shown as it runs, and the simulator's faults are named with
// the right layer and next action: wrong baud, silent, corrupted line, restarted, unplugged, pinned certificate changed.
// (The same faults, and a port held by another program, in plain mocha: test/unit/doctor/sim-faults.test.ts.)
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startSimulatedBoard } from '../../emulator/board';
import type { DoctorPanel } from '../../src/doctor/doctor-panel';
import type { DoctorView } from '../../src/doctor/doctor-contract';
import { testSeed } from '../helpers/test-seed';
import { eventually, extensionApi, startTestBoard, type TestBoard } from './devices-harness';
import { activatedExtension } from './support';

describe('Connection doctor: Troubleshoot Connection on a simulated board', function () {
  this.timeout(90_000);
  let tb: TestBoard;
  let panel: DoctorPanel;
  const key = () => `sim:${tb.board.deviceId.toLowerCase()}`;
  const states = (view: DoctorView | undefined) => Object.fromEntries((view?.steps ?? []).map((s) => [s.id, s.state]));

  before(async () => {
    const api = await extensionApi();
    tb = await startTestBoard('doctor-board');
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    await eventually(() => api.renderView('sphereExplorer.devices', 2), (lines) => lines.some((l) => l.includes('OS 24.10')), 'the board attached with its facts');
  });
  after(async () => {
    panel?.dispose();
    await tb?.close();
  });

  it('is offered in the palette and on an attached board\'s context menu', async () => {
    const manifest = (await activatedExtension()).packageJSON as { contributes: { commands: { command: string; title: string; category: string }[]; menus: Record<string, { command: string; when?: string }[]> } };
    const command = manifest.contributes.commands.find((c) => c.command === 'sphereExplorer.troubleshootConnection');
    assert.deepEqual([command?.title, command?.category], ['Troubleshoot Connection', 'Azure Sphere']);
    const onBoard = manifest.contributes.menus['view/item/context']!.find((m) => m.command === 'sphereExplorer.troubleshootConnection');
    assert.equal(onBoard?.when, 'view == sphereExplorer.devices && viewItem =~ /^board/');
  });

  it('checks a healthy board layer by layer, showing each step as it runs, and the extension keeps working after', async () => {
    panel = await vscode.commands.executeCommand<DoctorPanel>('sphereExplorer.troubleshootConnection', { boardKey: key() });
    const seen: string[] = [];
    const listener = panel.onDidPostMessage((m) => {
      if (m.type === 'view') seen.push(m.view.steps.map((s) => s.state[0]).join(''));
    });
    const results = await panel.whenDone();
    listener.dispose();
    assert.deepEqual(results.map((r) => `${r.id}:${r.status}`), ['port:pass', 'line:pass', 'ping:pass', 'tls:pass', 'rest:pass', 'osRoute:pass'], panel.reportText);
    // Live: a view per start and per result, so the page showed "running" for each step in turn.
    for (const partial of [0, 1, 2, 3, 4, 5].map((i) => `${'p'.repeat(i)}r`)) {
      assert.ok(seen.some((s) => s.startsWith(partial)), `a view with step ${partial.length} running: ${seen.join(' ')}`);
    }
    assert.equal(panel.view?.running, false);
    assert.equal(panel.view?.finding, null);
    assert.match(panel.reportText, /^Sphere Explorer connection report\n/);
    assert.match(panel.reportText, /Result: every check passed\./);
    assert.ok(panel.reportText.includes(tb.board.deviceId));
    // The doctor borrowed the port; the extension's own link reopens on the next request.
    const details = await vscode.commands.executeCommand<string[]>('sphereExplorer.showDeviceDetails', { boardKey: key() });
    assert.ok(details.some((l) => l.includes(tb.board.deviceId)));
  });

  it('wrong baud: "Run again" names a baud-rate mismatch on the serial line, and copies the report', async () => {
    tb.board.setFaults({ actualBaud: 115200 });
    try {
      await panel.receive({ type: 'runAgain' });
      const results = await panel.whenDone();
      assert.deepEqual(states(panel.view), { port: 'pass', line: 'fail', ping: 'skipped', tls: 'skipped', rest: 'skipped', osRoute: 'pass' });
      const line = results.find((r) => r.id === 'line')!;
      assert.match(line.summary, /Baud-rate mismatch: .* the board answers at 115200 baud/);
      assert.equal(panel.view?.finding?.nextAction, line.nextAction);
      await panel.receive({ type: 'copyReport' });
      const copied = await vscode.env.clipboard.readText();
      assert.match(copied, /Result: fails at "Serial line \(bytes, SLIP frames, baud rate\)": Baud-rate mismatch/);
      assert.match(panel.view?.notice ?? '', /Report copied/);
    } finally {
      tb.board.setFaults({ actualBaud: null });
    }
  });

  it('silent board: "Run again" says nothing comes back on the serial line, and to reset the board', async () => {
    tb.board.setFaults({ silent: true });
    try {
      await panel.receive({ type: 'runAgain' });
      await panel.whenDone();
      assert.deepEqual(states(panel.view), { port: 'pass', line: 'fail', ping: 'skipped', tls: 'skipped', rest: 'skipped', osRoute: 'pass' });
      assert.match(panel.view!.finding!.summary, /nothing comes back from the board/);
      assert.match(panel.view!.finding!.nextAction!, /Reset button/);
    } finally {
      tb.board.setFaults({ silent: false });
    }
  });

  it('corrupted line: "Run again" reports the damaged share of frames and says to change the cable', async () => {
    // Damage for certain, not by luck: one bit flipped in the IPv4 header of every other frame the board sends
    // (`corruptEvery`; the test's seed only picks which bit), which the doctor's stack always sees as damage
    // (emulator/board/line-faults.ts; its one exception needs the 84-byte echo's total length to be one bit away from
    // ESC, and it is not). Every request arrives, so the replies alternate intact and damaged: the doctor's default
    // probe waits for 5 intact replies and sees 4 or 5 damaged ones between them (a damaged one costs it 500 ms of its
    // 4 s). Of any run of frames the board sends, at least a third are damaged (4 of 9 here): 'corrupted', and 'fail'
    // from 30% on; frames do arrive intact, so never 'garbage'.
    // (Damage both ways: test/unit/doctor/sim-faults.test.ts.)
    tb.board.setFaults({ corruptEvery: 2, faultDirection: 'toHost', faultSeed: testSeed() });
    try {
      await panel.receive({ type: 'runAgain' });
      const results = await panel.whenDone();
      const line = results.find((r) => r.id === 'line')!;
      assert.equal(line.status, 'fail', `${line.status}: ${line.summary}\n${panel.reportText}`);
      assert.match(line.summary, /The line corrupts data: \d+(\.\d)?% of frames arrive damaged/);
      assert.match(line.nextAction!, /another USB cable/);
    } finally {
      tb.board.setFaults({ corruptEvery: 0, faultDirection: 'both' });
    }
  });

  it('restarted board: "Run again" while it reboots sees it answer late and warns that it restarted moments ago', async () => {
    // Down 2.5 s: the first reply comes over a second into the doctor's probe as long as its port check (listing the
    // ports, closing the extension's link, opening the port) takes under 1.5 s, and within the probe's 4 s.
    const restarting = tb.board.restart({ downMs: 2_500 });
    await panel.receive({ type: 'runAgain' });
    const results = await panel.whenDone();
    await restarting;
    const rest = results.find((r) => r.id === 'rest')!;
    assert.equal(rest.status, 'warn', `${rest.summary}\n${panel.reportText}`);
    assert.match(rest.summary, /restarted only \d+ s ago/);
    assert.match(rest.nextAction!, /check the USB cable and power supply/);
  });

  it('unplugged: "Run again" on the vanished board says its port is gone and how to bring it back', async () => {
    await tb.board.unplug();
    try {
      await panel.receive({ type: 'runAgain' });
      await panel.whenDone();
      assert.deepEqual(states(panel.view), { port: 'fail', line: 'skipped', ping: 'skipped', tls: 'skipped', rest: 'skipped', osRoute: 'pass' });
      assert.match(panel.view!.finding!.summary, /is gone \(unplugged\?\)/);
      assert.match(panel.view!.finding!.nextAction!, /Start the simulated board again/);
    } finally {
      await tb.board.replug();
    }
  });
});

describe('Connection doctor: a real-style board whose pinned certificate changed', function () {
  this.timeout(90_000);
  let tb: TestBoard;
  const config = () => vscode.workspace.getConfiguration('sphereExplorer.device');

  before(async () => {
    // Not announced to the extension: it is found as a port from the settings, so it is trusted by pin, as real boards are.
    tb = await startTestBoard('pinned-board', { visibleToExtension: false });
    await config().update('flowControl', false, vscode.ConfigurationTarget.Global);
    await config().update('serialPorts', [tb.board.linkPath], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('serialPorts', undefined, vscode.ConfigurationTarget.Global);
    await config().update('flowControl', undefined, vscode.ConfigurationTarget.Global);
    await tb?.close();
  });

  it('names the changed pin at the TLS layer, and "Forget pinned certificate" lets the board be trusted again', async () => {
    const api = await extensionApi();
    const short = tb.board.deviceId.slice(0, 8).toUpperCase();
    // The extension pins the board's certificate when it first reads its facts.
    await eventually(() => api.renderView('sphereExplorer.devices', 2), (lines) => lines.some((l) => l.includes(`${short}…`) && l.includes('OS 24.10')), 'the board pinned and read');
    // The board is recovered: same device key, new TLS certificate and CA.
    const { linkPath } = tb.board;
    await tb.board.stop();
    for (const f of ['ca-key.pem', 'ca-cert.pem', 'rest-server-key.pem', 'rest-server-cert.pem']) rmSync(join(tb.dir, 'state', f));
    tb.board = await startSimulatedBoard({ linkPath, stateDir: join(tb.dir, 'state'), registryDir: tb.registryDir, name: 'pinned-board' });

    const panel = await vscode.commands.executeCommand<DoctorPanel>('sphereExplorer.troubleshootConnection', { boardKey: `port:${linkPath}` });
    try {
      const results = await panel.whenDone();
      const tls = results.find((r) => r.id === 'tls')!;
      assert.equal(tls.status, 'fail', panel.reportText);
      assert.match(tls.summary, /pinned certificate changed/);
      assert.match(tls.nextAction!, /forget its pinned certificate/);
      assert.equal(panel.view?.canForgetPin, true);

      await panel.receive({ type: 'forgetPin' });
      const again = await panel.whenDone();
      assert.deepEqual(again.filter((r) => r.status !== 'pass').map((r) => r.id), [], panel.reportText);
      // Pinned afresh: by the extension's own connection reading the board again, or on its next request.
      assert.match(again.find((r) => r.id === 'tls')!.summary, /Not pinned yet|matches the one pinned/);
    } finally {
      panel.dispose();
    }
  });
});
