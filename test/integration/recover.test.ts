// Recover Device… in the real extension host against a simulated board and the cloud emulator's recovery images:
// the board ends up factory-reset (a Wi-Fi network added before is gone) with the image set's OS, its REST API
// answers again, the Devices view shows it recovering and then with the new OS, and the progress notification went
// to 100 % through increasing percentages. The person at the keyboard is the one fake (devices-harness.ts).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startCloudEmulator, type CloudEmulator } from '../../emulator/cloud';
import { RECOVERY_IMAGES_PATH, RECOVERY_OS_VERSION } from '../../emulator/cloud/recovery-images';
import { TYPE_NETWORK_LABEL } from '../../src/boards/add-wifi-flow';
import { devicePerson, eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import type { ScriptedPerson } from './person';

const DOWNLOAD = '$(cloud-download) Download the recovery images';
const ERASE = 'Erase and Recover';

type MutableWindow = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

/** Records what every "Recovering …" notification reports, and lets it show as usual. */
function recordRecoveryProgress(): { reports: { increment?: number; message?: string }[]; restore(): void } {
  const window = vscode.window as MutableWindow;
  const original = window.withProgress;
  const reports: { increment?: number; message?: string }[] = [];
  window.withProgress = ((options: vscode.ProgressOptions, task: (p: vscode.Progress<{ increment?: number; message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) =>
    original(options, (progress, token) =>
      task(
        {
          report: (value) => {
            if (options.title?.startsWith('Recovering')) reports.push(value);
            progress.report(value);
          },
        },
        token,
      ),
    )) as typeof window.withProgress;
  return { reports, restore: () => void (window.withProgress = original) };
}

describe('Recover Device: a simulated board recovered from the cloud emulator\'s image set', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let tb: TestBoard;
  let person: ScriptedPerson;
  let emulator: CloudEmulator;
  let emulatorDir: string;
  const key = () => `sim:${tb.board.deviceId.toLowerCase()}`;
  const view = () => api.renderView('sphereExplorer.devices', 2);
  const boardLine = (lines: string[]) => lines.find((l) => l.includes(`${tb.board.deviceId.slice(0, 8).toUpperCase()}…`)) ?? '';
  const recovery = vscode.workspace.getConfiguration('sphereExplorer.recovery');
  const cloud = vscode.workspace.getConfiguration('sphereExplorer.cloud');

  before(async () => {
    api = await extensionApi();
    emulatorDir = mkdtempSync(join(tmpdir(), 'sphere-recover-emu-'));
    emulator = await startCloudEmulator({ port: 0, stateDir: emulatorDir });
    await recovery.update('imagesUrl', `${emulator.url}${RECOVERY_IMAGES_PATH}recovery-manifest.json`, vscode.ConfigurationTarget.Global);
    await cloud.update('caFile', emulator.caCertPath, vscode.ConfigurationTarget.Global);
    tb = await startTestBoard('recover-board');
    person = devicePerson();
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    await eventually(view, (l) => boardLine(l).includes('OS 24.10'), 'the board with its facts');
  });
  afterEach(() => person.assertDone());
  after(async () => {
    person?.restore();
    await tb?.close();
    await recovery.update('imagesUrl', undefined, vscode.ConfigurationTarget.Global);
    await cloud.update('caFile', undefined, vscode.ConfigurationTarget.Global);
    await emulator?.close();
    rmSync(emulatorDir, { recursive: true, force: true });
  });

  it('refuses a folder without a manifest with a specific message, before touching the board', async () => {
    const empty = join(emulatorDir, 'no-images');
    mkdirSync(empty);
    await vscode.commands.executeCommand('sphereExplorer.recoverDevice', { boardKey: key(), imagesFolder: empty });
    assert.equal(person.errors.at(-1), `The recovery images from the folder ${empty} cannot be used: it holds no recovery-manifest.json.`);
    assert.equal(tb.board.recoveries, 0);
  });

  it('sends nothing when the person declines the erase', async () => {
    person.willPick(DOWNLOAD);
    person.willAnswer(undefined);
    await vscode.commands.executeCommand('sphereExplorer.recoverDevice', { boardKey: key() });
    assert.match(person.prompts.at(-1)!, /^Recover .* This erases the board and installs Azure Sphere OS 25\.02: its Wi-Fi networks, certificates, applications and capabilities are deleted\. The device ID stays\.$/);
    assert.equal(tb.board.recoveries, 0);
    assert.equal(tb.board.state.osVersion, '24.10');
  });

  it('erases the board to factory state with the new OS; the view shows it recovering, then back; progress reaches 100 %', async () => {
    person.willPick(TYPE_NETWORK_LABEL, 'WPA2-PSK');
    person.willType('HomeNetwork', 'correct horse battery');
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    assert.deepEqual(tb.board.state.wifi.networks.map((n) => n.ssid), ['HomeNetwork']);
    const deviceId = tb.board.deviceId;

    const progress = recordRecoveryProgress();
    try {
      person.willPick(DOWNLOAD);
      person.willAnswer(ERASE);
      const recovering = vscode.commands.executeCommand('sphereExplorer.recoverDevice', { boardKey: key() });
      const during = await eventually(view, (l) => /recovering… [1-9]\d?%/.test(boardLine(l)), 'the board shown recovering with a percentage', 60_000);
      assert.ok(boardLine(during).includes('recovering…'), during.join('\n'));
      await recovering;
    } finally {
      progress.restore();
    }
    assert.deepEqual(person.errors, [`The recovery images from the folder ${join(emulatorDir, 'no-images')} cannot be used: it holds no recovery-manifest.json.`]);
    assert.ok(person.info.some((m) => m.startsWith('Device recovered successfully') && m.includes(`OS ${RECOVERY_OS_VERSION}`)), person.info.join(' | '));

    // The board: factory state, same ID, new OS, one recovery.
    const state = tb.board.state;
    assert.deepEqual(state.wifi.networks, []);
    assert.deepEqual(state.certs, []);
    assert.equal(state.osVersion, RECOVERY_OS_VERSION);
    assert.equal(tb.board.deviceId, deviceId);
    assert.equal(tb.board.recoveries, 1);

    // Its REST API answers again, through the extension.
    const details = await vscode.commands.executeCommand<string[]>('sphereExplorer.showDeviceDetails', { boardKey: key() });
    assert.ok(details.includes(`OS version          : ${RECOVERY_OS_VERSION}`), details.join('\n'));
    const lines = await eventually(view, (l) => boardLine(l).includes(`OS ${RECOVERY_OS_VERSION}`), 'the board back with its new OS version');
    assert.ok(!boardLine(lines).includes('recovering'), boardLine(lines));

    // The notification: percentages that only grow, several steps in between, increments adding up to 100.
    const percents = progress.reports.map((r) => Number(/^(\d+)%/.exec(r.message ?? '')?.[1] ?? NaN));
    assert.ok(percents.every((p) => Number.isInteger(p)), JSON.stringify(progress.reports.slice(0, 5)));
    assert.ok(percents.every((p, i) => i === 0 || p >= percents[i - 1]!), `never backwards: ${percents.join(',')}`);
    assert.ok(new Set(percents.filter((p) => p > 0 && p < 100)).size >= 20, `many steps between 0 and 100: ${percents.join(',')}`);
    assert.equal(percents.at(-1), 100);
    assert.equal(progress.reports.reduce((sum, r) => sum + (r.increment ?? 0), 0), 100);
    const messages = progress.reports.map((r) => r.message ?? '');
    for (const line of ['Board found. Sending recovery bootloader.', 'Erasing flash.', 'Sending 9 images.', 'Sent 9 of 9 images. (0 of', 'Finished writing images; rebooting board.']) {
      assert.ok(messages.some((m) => m.includes(line)), `the transcript line "${line}" was shown`);
    }
  });
});
