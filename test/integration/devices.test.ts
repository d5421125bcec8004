import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startSimulatedBoard } from '../../emulator/board';
import { NO_BOARD_MESSAGE } from '../../src/boards/board-picker';
import { devicePerson, eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import type { ScriptedPerson } from './person';

describe('Devices view: a simulated board attached to the extension host', () => {
  let api: ExtensionApi;
  let tb: TestBoard;
  let person: ScriptedPerson;
  let startedAt = 0;
  const key = () => `sim:${tb.board.deviceId.toLowerCase()}`;
  const view = (depth = 2) => api.renderView('sphereExplorer.devices', depth);
  const hasLine = (pattern: RegExp) => (lines: string[]) => lines.some((l) => pattern.test(l));
  const noAttached = (lines: string[]) => !lines.some((l) => l.startsWith('Attached'));

  before(async () => {
    api = await extensionApi();
    tb = await startTestBoard('devices-board');
    startedAt = Date.now();
    person = devicePerson();
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
  });
  afterEach(() => person.assertDone());
  after(async () => {
    person?.restore();
    await tb?.close();
  });

  it('shows the board under "Attached": short device ID, connection path, OS version and security state', async () => {
    const short = tb.board.deviceId.slice(0, 8).toUpperCase();
    const lines = await eventually(() => view(), hasLine(/OS 24\.10/), 'the board with the facts read from it');
    assert.ok(lines.includes('Attached — 1 board'), lines.join('\n'));
    const boardLine = lines.find((l) => l.includes(`${short}…`));
    assert.ok(boardLine, lines.join('\n'));
    assert.ok(boardLine.includes(tb.board.linkPath) && boardLine.includes('SECURE'), boardLine);
    assert.ok(!boardLine.includes(tb.board.deviceId), 'the full ID is for the tooltip and the clipboard');
  });

  it('copies the full 128-digit device ID, and shows the details as azsphere device show-attached does', async () => {
    assert.equal(await vscode.commands.executeCommand('sphereExplorer.copyDeviceId', { boardKey: key() }), tb.board.deviceId);
    assert.equal(await vscode.env.clipboard.readText(), tb.board.deviceId);
    // From the palette with one board attached: no picker, that board.
    const details = await vscode.commands.executeCommand<string[]>('sphereExplorer.showDeviceDetails');
    assert.ok(details.includes(`Device ID           : ${tb.board.deviceId}`), details.join('\n'));
    assert.ok(details.includes('OS version          : 24.10'), details.join('\n'));
  });

  it('lists network interfaces and takes wlan0 down and up again (the board changes, and so does the tree)', async () => {
    await eventually(() => view(4), hasLine(/^ {6}\$\(plug\) wlan0 — up/), 'wlan0 shown up');
    await vscode.commands.executeCommand('sphereExplorer.disableNetworkInterface', { boardKey: key(), interfaceName: 'wlan0' });
    assert.equal(tb.board.state.interfaces.wlan0.up, false);
    await eventually(() => view(4), hasLine(/wlan0 — down/), 'wlan0 shown down');
    // From the palette: the person picks among the interfaces that are down.
    person.willPick('wlan0');
    await vscode.commands.executeCommand('sphereExplorer.enableNetworkInterface');
    assert.equal(tb.board.state.interfaces.wlan0.up, true);
    await eventually(() => view(4), hasLine(/wlan0 — up/), 'wlan0 shown up again');
  });

  it('adds a root CA from a PEM file the person picks, shows it in the certificate store, and deletes it only after confirmation', async () => {
    const pem = join(tb.dir, 'lab-root.pem');
    writeFileSync(pem, tb.board.caCertPem);
    const freeBefore = await vscode.commands.executeCommand<number>('sphereExplorer.showCertificateStoreSpace', { boardKey: key() });
    person.willPick('Root CA');
    person.willOpen(pem);
    person.willType('lab-root');
    assert.equal(await vscode.commands.executeCommand('sphereExplorer.addDeviceCertificate', { boardKey: key() }), 'lab-root');
    assert.deepEqual(tb.board.state.certs.map((c) => [c.id, c.certType]), [['lab-root', 'rootca']]);
    await eventually(() => view(4), hasLine(/\$\(verified\) lab-root/), 'the certificate in the tree');
    const freeAfter = await vscode.commands.executeCommand<number>('sphereExplorer.showCertificateStoreSpace', { boardKey: key() });
    assert.ok(freeAfter < freeBefore, `free space ${freeBefore} → ${freeAfter}`);

    person.willPick('lab-root');
    person.willAnswer(undefined); // Cancel
    await vscode.commands.executeCommand('sphereExplorer.deleteDeviceCertificate');
    assert.equal(tb.board.state.certs.length, 1, 'cancelled: still there');
    person.willAnswer('Delete');
    await vscode.commands.executeCommand('sphereExplorer.deleteDeviceCertificate', { boardKey: key(), certificateId: 'lab-root' });
    assert.deepEqual(tb.board.state.certs, []);
    await eventually(() => view(4), (l) => !l.some((x) => x.includes('lab-root')), 'the certificate gone from the tree');
  });

  it('refuses a certificate id with a space and a file that is not PEM, and sends nothing', async () => {
    const notPem = join(tb.dir, 'notes.txt');
    writeFileSync(notPem, 'just some text');
    person.willPick('Root CA');
    person.willOpen(notPem);
    const requests = tb.board.counters().restRequests;
    await vscode.commands.executeCommand('sphereExplorer.addDeviceCertificate', { boardKey: key() });
    assert.match(person.errors.at(-1) ?? '', /notes\.txt: Public certificate is not in PEM format/);

    const pem = join(tb.dir, 'ok.pem');
    writeFileSync(pem, tb.board.caCertPem);
    person.willPick('Root CA');
    person.willOpen(pem);
    person.willType('my root');
    await vscode.commands.executeCommand('sphereExplorer.addDeviceCertificate', { boardKey: key() });
    assert.equal(person.validation.at(-1), 'Certificate identifier may only contain letters, digits and . - _ characters.');
    assert.equal(tb.board.counters().restRequests, requests, 'nothing was sent');
    assert.deepEqual(tb.board.state.certs, []);
  });

  it('restarts the board with progress until it answers again from a fresh boot', async () => {
    // The device client tells a fresh boot by uptime; a board booted under ~2 s ago is not told apart (reported).
    await new Promise((r) => setTimeout(r, Math.max(0, 3_500 - (Date.now() - startedAt))));
    const boots = tb.board.counters().boots;
    await vscode.commands.executeCommand('sphereExplorer.restartDevice', { boardKey: key() });
    assert.equal(tb.board.counters().boots, boots + 1);
    assert.ok(person.info.some((m) => m.startsWith('Device restarted successfully')), person.info.join(' | '));
    await eventually(() => view(), hasLine(/OS 24\.10/), 'the facts read again after the restart');
  });

  it('lists a second board, asks which board when a command lacks one, and selects boards for the Wi-Fi view', async () => {
    const second = await startSimulatedBoard({ linkPath: join(tb.dir, 'ttyBoard2'), stateDir: join(tb.dir, 'state2'), registryDir: tb.registryDir, name: 'second-board' });
    try {
      const secondKey = `sim:${second.deviceId.toLowerCase()}`;
      await eventually(() => view(), (l) => l.includes('Attached — 2 boards') && l.filter((x) => x.includes('OS 24.10')).length === 2, 'both boards with their facts');
      // The first board stays selected; with two boards the selected one is marked.
      assert.ok((await view()).some((l) => l.includes(tb.board.deviceId.slice(0, 8).toUpperCase()) && l.includes('selected')));
      person.willPick('second-board');
      assert.equal(await vscode.commands.executeCommand('sphereExplorer.selectBoard'), secondKey);
      await eventually(() => view(), (l) => l.some((x) => x.includes(second.deviceId.slice(0, 8).toUpperCase()) && x.includes('selected')), 'the second board marked selected');
      // A device command without a board asks; Escape sends nothing.
      const requests = second.counters().restRequests + tb.board.counters().restRequests;
      person.willPick(undefined);
      await vscode.commands.executeCommand('sphereExplorer.restartDevice');
      assert.equal(second.counters().restRequests + tb.board.counters().restRequests, requests);
      assert.ok(person.prompts.includes('Restart which board?'));
    } finally {
      await second.stop();
    }
    await eventually(() => view(), (l) => l.includes('Attached — 1 board'), 'the second board gone');
    await vscode.commands.executeCommand('sphereExplorer.selectBoard', { boardKey: key() });
  });

  it('follows the device settings: route "os" (vendor SDK only) drops the serial board, "auto" finds it again', async () => {
    const settings = vscode.workspace.getConfiguration('sphereExplorer.device');
    await settings.update('route', 'os', vscode.ConfigurationTarget.Global);
    try {
      await eventually(() => view(), noAttached, 'no serial board while only the OS route is used');
    } finally {
      await settings.update('route', undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually(() => view(), hasLine(/OS 24\.10/), 'the board found again over its serial port');
  });

  it('drops the board from the view when it is unplugged, says no board is attached, and finds it again when replugged', async () => {
    await tb.board.unplug();
    // (Empty when no other section shows, so the welcome text appears; a selected tenant adds "Claimed in".)
    await eventually(() => view(), noAttached, 'no "Attached" section');
    const errors = person.errors.length;
    await vscode.commands.executeCommand('sphereExplorer.restartDevice');
    assert.deepEqual(person.errors.slice(errors), [NO_BOARD_MESSAGE]);
    await tb.board.replug();
    await eventually(() => view(), hasLine(/OS 24\.10/), 'the board back, with its facts');
  });
});
