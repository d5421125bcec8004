// Apps on the board in the real extension host, against the local cloud emulator and a simulated board (real pty,
// SLIP/TCP/TLS, device REST API): a package is refused before development mode with the next step offered; Enable
// Development gets the capability file from the tenant, moves the device to its product's Development group and
// restarts the board with it; then deploy (from the Explorer's context menu, a file URI), start, stop, debug and
// delete, each seen in the Devices view; a file that is not a package is refused with nothing sent; Enable Cloud
// Test takes development mode away again. Where things land is read independently: the board's own state and the
// service's device record through raw HTTPS.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { appPackage } from '../helpers/app-packages';
import { eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import { callService, emulatedCloud, signInAs, type EmulatedCloud } from './person';

const BLINK = '2f074b0f-d99d-4692-82d9-ef93a7d6463c';
const AVERY = SEED.users.avery.email;
const CONTOSO = SEED.tenants.contoso;
const GROUPS = SEED.products.thermostat.groups;

describe('Apps on the board: development mode, deploy, start/stop/debug, delete', function () {
  this.timeout(180_000);
  let cloud: EmulatedCloud;
  let api: ExtensionApi;
  let tb: TestBoard;
  let dir: string;
  let blink: vscode.Uri;
  const person = () => cloud.person;
  const boardTarget = () => ({ boardKey: `sim:${tb.board.deviceId.toLowerCase()}` });
  const deviceRecord = async () =>
    (await callService(cloud.emu, AVERY, 'GET', `/v2/tenants/${CONTOSO.id}/devices/${tb.board.deviceId.toUpperCase()}`)) as { DeviceGroupId: string | null; ProductId: string | null };
  const appsLines = async () => (await api.renderView('sphereExplorer.devices', 4)).filter((l) => /Applications|AzureSphereBlink|gdbserver|No application/.test(l));
  const takeErrors = () => person().errors.splice(0);

  before(async () => {
    api = await extensionApi();
    cloud = await emulatedCloud();
    tb = await startTestBoard('apps-board');
    dir = mkdtempSync(join(tmpdir(), 'sphere-apps-'));
    blink = vscode.Uri.file(join(dir, 'blink.imagepackage'));
    writeFileSync(blink.fsPath, appPackage(BLINK, { storageKB: 8, appBytes: 40_000 }));
    await signInAs(person(), AVERY, CONTOSO.name);
    // The board is claimed into Contoso and sits in the product's Field Test group, as after `enable-cloud-test`.
    await callService(cloud.emu, AVERY, 'PUT', `/v2/tenants/${CONTOSO.id}/devices/${tb.board.deviceId.toUpperCase()}/claim`);
    await callService(cloud.emu, AVERY, 'PUT', `/v2/tenants/${CONTOSO.id}/devices/${tb.board.deviceId.toUpperCase()}/devicegroup`, GROUPS.fieldTest);
    await eventually(() => api.renderView('sphereExplorer.devices', 2), (l) => l.some((x) => x.includes('claimed in Contoso')), 'the board shown claimed');
  });
  after(async () => {
    await tb?.close();
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to deploy before development mode, saying what to do, and installs nothing', async () => {
    takeErrors();
    await vscode.commands.executeCommand('sphereExplorer.deployImagePackage', blink);
    const shown = takeErrors();
    assert.equal(shown.length, 1, shown.join(' | '));
    assert.match(shown[0]!, /does not allow application development\. Enable development mode on the board \(Azure Sphere: Enable Development\)/);
    assert.equal(tb.board.state.apps.length, 0);
  });

  it('Enable Development: capability 11 from the tenant, the Development group, the board restarted with it', async () => {
    const boots = tb.board.counters().boots;
    await vscode.commands.executeCommand('sphereExplorer.enableDevelopment', boardTarget());
    assert.deepEqual(takeErrors(), []);
    assert.ok(tb.board.counters().boots > boots, 'the board restarted');
    assert.deepEqual(tb.board.state.capabilities, [11]);
    assert.equal((await deviceRecord()).DeviceGroupId, GROUPS.development);
    assert.ok(person().info.some((m) => /is in development mode/.test(m)), person().info.join(' | '));
    await eventually(() => api.renderView('sphereExplorer.devices', 2), (l) => l.some((x) => x.includes('development')), 'the board row says development');
  });

  it('deploys a package from its file, and the app shows running under the board with its storage', async () => {
    await vscode.commands.executeCommand('sphereExplorer.deployImagePackage', blink);
    assert.deepEqual(takeErrors(), []);
    assert.equal(tb.board.state.apps.find((a) => a.componentId === BLINK)?.runState, 'running');
    await eventually(appsLines, (l) => l.some((x) => /AzureSphereBlinkTest.*running · \d+ of 8 KiB · 2f074b0f…/.test(x)), 'the app running in the Devices view');
  });

  it('stops, starts for debugging (with the ports) and starts the app from its node; the view follows', async () => {
    const app = { ...boardTarget(), componentId: BLINK };
    await vscode.commands.executeCommand('sphereExplorer.stopApp', app);
    await eventually(appsLines, (l) => l.some((x) => /AzureSphereBlinkTest.*stopped/.test(x)), 'stopped');
    await vscode.commands.executeCommand('sphereExplorer.startAppForDebugging', app);
    assert.ok(person().info.some((m) => /Output Port: 2342, GDB Port: 2345/.test(m)), person().info.join(' | '));
    await eventually(appsLines, (l) => l.some((x) => /AzureSphereBlinkTest.*debugging/.test(x)), 'debugging');
    await vscode.commands.executeCommand('sphereExplorer.startApp', app);
    await eventually(appsLines, (l) => l.some((x) => /AzureSphereBlinkTest.*running/.test(x)), 'running again');
    assert.deepEqual(takeErrors(), []);
  });

  it('refuses a file that is not an image package before sending anything', async () => {
    const junk = vscode.Uri.file(join(dir, 'notes.imagepackage'));
    writeFileSync(junk.fsPath, 'not a package, just text that happens to have the extension');
    const staged = tb.board.counters().uart.rxBytes;
    await vscode.commands.executeCommand('sphereExplorer.deployImagePackage', junk);
    const shown = takeErrors();
    assert.equal(shown.length, 1, shown.join(' | '));
    assert.match(shown[0]!, /is not an Azure Sphere image package/);
    assert.ok(tb.board.counters().uart.rxBytes - staged < 2_000, 'no upload reached the board');
  });

  it('deletes the app after the person confirms, and the view follows', async () => {
    person().willAnswer('Delete');
    await vscode.commands.executeCommand('sphereExplorer.deleteApp', { ...boardTarget(), componentId: BLINK });
    assert.deepEqual(takeErrors(), []);
    assert.ok(!tb.board.state.apps.some((a) => a.componentId === BLINK), 'the app is gone from the board');
    await eventually(appsLines, (l) => !l.some((x) => x.includes('AzureSphereBlinkTest')), 'the app gone from the Devices view');
  });

  it('Enable Cloud Test: no capabilities, the Field Test group', async () => {
    await vscode.commands.executeCommand('sphereExplorer.enableCloudTest', boardTarget());
    assert.deepEqual(takeErrors(), []);
    assert.deepEqual(tb.board.state.capabilities, []);
    assert.equal((await deviceRecord()).DeviceGroupId, GROUPS.fieldTest);
    // The debugging server went with development mode: nothing is left under Applications.
    await eventually(appsLines, (l) => l.some((x) => x.includes('No application installed')), 'no application listed');
  });
});
