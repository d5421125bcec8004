// The board on IoT Hub in the real extension host, against the cloud emulator's own hub and DPS and a simulated board
// that attests to it: the board's IoT Hub section says why it has no device certificate until it is claimed and
// online; Connect Board to IoT Hub refuses while the tenant CA is not verified on the hub (nothing created), then
// creates the lower-case CA-signed identity; the AzureIoT sample (for simulated boards) makes the board connect and
// the section shows Connected; Monitor Telemetry streams its messages with times, stops and resumes; DPS enrollment
// is refused before its CA is verified, then created and shown under the board with the registration. What lands is
// read independently: the hub's registry over raw HTTPS with a SAS from ARM listkeys.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { iotManifestSettings } from '../../src/cloud/iot/app-manifest-settings';
import { writeIotSamplePackage } from '../../src/iot/iot-sample';
import { ARM_SCOPE, call, tokenFor } from '../helpers/cloud-emulator';
import { proveTenantCaOn, sharedAccessKey, type ArmHub, type Tokens } from '../helpers/emulated-iot';
import { sharedAccessSignature } from '../../src/cloud/iot/sas-token';
import { eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import { callService, emulatedCloud, signInAs, type EmulatedCloud } from './person';

const AVERY = SEED.users.avery.email;
const CONTOSO = SEED.tenants.contoso;
const toRef = (h: ArmHub) => ({ kind: h.kind === 'IotHubs' ? ('iotHub' as const) : ('dps' as const), subscriptionId: h.subscriptionId, resourceGroup: h.resourceGroup, name: h.name });

describe('The board on IoT Hub: identity, connection, telemetry, DPS', function () {
  this.timeout(180_000);
  let cloud: EmulatedCloud;
  let api: ExtensionApi;
  let tb: TestBoard;
  let tokens: Tokens;
  const hub = { ...SEED.hubs.contosoHub } as ArmHub;
  const dps = { ...SEED.hubs.contosoDps } as ArmHub;
  const person = () => cloud.person;
  const boardTarget = () => ({ boardKey: `sim:${tb.board.deviceId.toLowerCase()}` });
  const takeErrors = () => person().errors.splice(0);
  const iotLines = async () => {
    const lines = await api.renderView('sphereExplorer.devices', 4);
    const start = lines.findIndex((l) => l.includes('IoT Hub'));
    return start < 0 ? [] : lines.slice(start, start + 4);
  };
  const hubDevice = async () => {
    const key = await sharedAccessKey(cloud.emu, tokens, hub);
    const host = cloud.emu.hubHostName(hub.name);
    const res = await call({ url: `https://${host}`, caCertPem: cloud.emu.caCertPem }, `/devices/${tb.board.deviceId.toLowerCase()}?api-version=2021-04-12`, {
      headers: { authorization: sharedAccessSignature(host, key, Math.floor(Date.now() / 1000) + 600) },
    });
    return res.status === 404 ? undefined : (res.json as { deviceId: string; authentication: { type: string }; connectionState: string });
  };

  before(async () => {
    api = await extensionApi();
    cloud = await emulatedCloud();
    tokens = { sphere: await tokenFor(cloud.emu, AVERY), arm: await tokenFor(cloud.emu, AVERY, ARM_SCOPE) };
    tb = await startTestBoard('iot-board', {
      simulator: {
        cloudUrl: cloud.emu.url,
        cloudCaPem: cloud.emu.caCertPem,
        provisioningHost: cloud.emu.provisioningHost,
        attestationTiming: { checkMs: 100, retryMaxMs: 500 },
        iotTiming: { telemetryIntervalMs: 200, retryMinMs: 100, retryMaxMs: 1000, connectTimeoutMs: 10_000 },
        log: () => undefined,
      },
    });
    await signInAs(person(), AVERY, CONTOSO.name);
  });
  after(async () => {
    await tb?.close();
    await cloud?.close();
  });

  it('says why the board has no device certificate: first not claimed, then not online', async () => {
    await eventually(iotLines, (l) => l.some((x) => /Device certificate: not ready — the board is not claimed/.test(x)), 'not claimed');
    await callService(cloud.emu, AVERY, 'PUT', `/v2/tenants/${CONTOSO.id}/devices/${tb.board.deviceId.toUpperCase()}/claim`);
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    await eventually(iotLines, (l) => l.some((x) => /Device certificate: not ready — the board is not connected to the internet/.test(x)), 'not online');
    // A board that cannot authenticate gets no identity: the reason is said, nothing is created.
    await vscode.commands.executeCommand('sphereExplorer.connectBoardToIotHub', { ...boardTarget(), hub: toRef(hub) });
    assert.match(takeErrors()[0] ?? '', /has no device certificate yet, so it could not authenticate to a hub: the board is not connected to the internet.*Nothing was created/);
    person().willPick('$(radio-tower) CoffeeShop');
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    await eventually(() => tb.board.deviceAuthenticationIsReady, (ready) => ready, 'the board got its certificate', 20_000);
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    await eventually(iotLines, (l) => l.some((x) => x.includes('Device certificate: ready')), 'ready in the view');
    assert.deepEqual(takeErrors(), []);
  });

  it('refuses to connect while the tenant CA is not verified on the hub, creating nothing', async () => {
    await vscode.commands.executeCommand('sphereExplorer.connectBoardToIotHub', { ...boardTarget(), hub: toRef(hub) });
    const shown = takeErrors();
    assert.equal(shown.length, 1, shown.join(' | '));
    assert.match(shown[0]!, /tenant's CA certificate is not on IoT hub "contoso-hub".*Nothing was created/);
    assert.equal(await hubDevice(), undefined);
  });

  it('creates the board’s identity (lower-case ID, CA-signed) once the CA is verified, and shows it Disconnected', async () => {
    await proveTenantCaOn(cloud.emu, tokens, hub, CONTOSO.id);
    // Another device's ID is refused before anything is sent.
    await vscode.commands.executeCommand('sphereExplorer.connectBoardToIotHub', { ...boardTarget(), hub: toRef(hub), deviceId: 'AB'.repeat(64) });
    assert.match(takeErrors()[0] ?? '', /is not the device ID of iot-board.*Nothing was created/);
    assert.equal(await hubDevice(), undefined);
    await vscode.commands.executeCommand('sphereExplorer.connectBoardToIotHub', { ...boardTarget(), hub: toRef(hub) });
    assert.deepEqual(takeErrors(), []);
    const identity = await hubDevice();
    assert.equal(identity?.deviceId, tb.board.deviceId.toLowerCase());
    assert.equal(identity?.authentication.type, 'certificateAuthority');
    assert.ok(person().info.some((m) => /now has an identity on IoT hub contoso-hub\. The board has its device certificate/.test(m)), person().info.join(' | '));
    await eventually(iotLines, (l) => l.some((x) => /contoso-hub — Disconnected · no activity yet/.test(x)), 'the link shown');
    // A second connect with the existing identity declined is the hub's own refusal.
    await vscode.commands.executeCommand('sphereExplorer.connectBoardToIotHub', { ...boardTarget(), hub: toRef(hub), useExisting: false });
    assert.match(takeErrors()[0] ?? '', /DeviceAlreadyExists/);
  });

  it('the AzureIoT sample makes the board connect, and the view says Connected with the last activity', async () => {
    await vscode.commands.executeCommand('sphereExplorer.enableDevelopment', boardTarget());
    const host = cloud.emu.hubHostName(hub.name);
    const packagePath = await writeIotSamplePackage(join(tb.dir, 'samples'), iotManifestSettings({ kind: 'hub', hubHostName: host }, CONTOSO.id));
    await vscode.commands.executeCommand('sphereExplorer.deployImagePackage', { ...boardTarget(), packagePath });
    assert.deepEqual(takeErrors(), []);
    await eventually(() => tb.board.iotConnection.state, (s) => s === 'connected', 'the board connected', 20_000);
    await eventually(iotLines, (l) => l.some((x) => /contoso-hub — Connected · last activity \d/.test(x)), 'Connected in the view', 20_000);
    // Under the tenant's claimed devices too (claimed outside the editor, so after a Refresh).
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    const claimedRow = `${tb.board.deviceId.toUpperCase().slice(0, 12)}…`;
    await eventually(() => api.renderView('sphereExplorer.devices', 3), (l) => l.some((x) => x.includes(claimedRow) && x.includes('contoso-hub: Connected')), 'the claimed device row says Connected', 20_000);
  });

  it('Monitor Telemetry streams the board’s messages with their times; Stop holds, Resume goes on', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('sphereExplorer.monitorTelemetry', boardTarget());
    assert.equal(uri.scheme, 'sphere-telemetry');
    const text = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText() ?? '';
    const messages = () => text().split('\n').filter((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}\{"temperature":/.test(l));
    await eventually(messages, (m) => m.length >= 3, 'three messages shown', 20_000);
    await vscode.commands.executeCommand('sphereExplorer.stopTelemetryMonitor', uri);
    await new Promise((r) => setTimeout(r, 400)); // the view redraws within 200 ms of a change
    const held = messages().length;
    await new Promise((r) => setTimeout(r, 1000)); // five telemetry intervals
    assert.equal(messages().length, held, 'no lines while stopped');
    assert.match(text(), /stopped \(Resume in the editor title\)/);
    await vscode.commands.executeCommand('sphereExplorer.resumeTelemetryMonitor', uri);
    await eventually(messages, (m) => m.length > held, 'lines again after Resume', 20_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses a DPS enrollment before its CA is verified there; then enrolls, and the board’s registration shows', async () => {
    await vscode.commands.executeCommand('sphereExplorer.createDpsEnrollmentGroup', { ...boardTarget(), dps: toRef(dps), hub: toRef(hub), enrollmentGroupId: 'sphere-contoso' });
    assert.match(takeErrors()[0] ?? '', /not on provisioning service "contoso-dps".*Nothing was created/);
    await proveTenantCaOn(cloud.emu, tokens, dps, CONTOSO.id);
    const enrolled = await vscode.commands.executeCommand<{ idScope: string; deviceProvisioningHostName: string; hubHostName: string }>('sphereExplorer.createDpsEnrollmentGroup', {
      ...boardTarget(),
      dps: toRef(dps),
      hub: toRef(hub),
      enrollmentGroupId: 'sphere-contoso',
    });
    assert.deepEqual(takeErrors(), []);
    await eventually(iotLines, (l) => l.some((x) => /contoso-dps → contoso-hub — not registered yet/.test(x)), 'the DPS link shown');
    // The board's app, now configured for DPS, registers (registration ID = its lower-case device ID) and is assigned.
    const settings = iotManifestSettings({ kind: 'dps', ...enrolled }, CONTOSO.id);
    const packagePath = await writeIotSamplePackage(join(tb.dir, 'samples-dps'), settings);
    await vscode.commands.executeCommand('sphereExplorer.deployImagePackage', { ...boardTarget(), packagePath });
    assert.deepEqual(takeErrors(), []);
    await eventually(iotLines, (l) => l.some((x) => /contoso-dps → contoso-hub — registered [\d/, :]+ · Connected/.test(x)), 'registered and connected through DPS', 30_000);
  });

  it('copies the app manifest settings of a link', async () => {
    const text = await vscode.commands.executeCommand<string>('sphereExplorer.copyIotAppManifestSettings', { link: { deviceId: tb.board.deviceId.toLowerCase(), tenantId: CONTOSO.id, hub: toRef(hub), hubHostName: cloud.emu.hubHostName(hub.name) } });
    assert.deepEqual(JSON.parse(text).CmdArgs, ['--ConnectionType', 'IoTHub', '--Hostname', cloud.emu.hubHostName(hub.name)]);
    assert.equal(await vscode.env.clipboard.readText(), text);
  });
});
