// A simulated board's app connecting to the cloud emulator's own IoT hub with the board's daily device certificate,
// as Microsoft's AzureIoT sample does on a real board: straight to the hub (`--Hostname`) or through DPS
// (`--ScopeID`). The identity is made on the hub's service API, the tenant CA verified by proof of possession, and
// the telemetry read from the hub's stream. One AdjustableClock is shared by the emulator and the board, so a renewed
// certificate (and, through DPS, a new registration) can be made to happen.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { SimulatedBoard } from '../../../emulator/board';
import { AdjustableClock } from '../../../emulator/common/clock';
import { BoardFixture, callBoard, get, waitFor } from '../../helpers/board-fixture';
import { ARM_SCOPE, call, seededEmulatorPerSuite, tokenFor } from '../../helpers/cloud-emulator';
import { installDeviceKey, seededDeviceKey } from '../../helpers/device-keys';
import { createCaSignedDevice, createEnrollmentGroup, proveTenantCaOn, sharedAccessKey, telemetryStream, type ArmHub, type Tokens } from '../../helpers/emulated-iot';
import { testSeed } from '../../helpers/test-seed';
import { deploy, productionPackage, setAppState } from './sideload-steps';

const HOUR_MS = 3600 * 1000;
const HUB_APP = 'a1e7c5d2-3b4f-4e6a-9c8d-0f1e2d3c4b5a';
const DPS_APP = 'b2f8d6e3-4c5a-4f7b-8d9e-1a2b3c4d5e6f';

/** An application package configured like the AzureIoT sample: CmdArgs for the hub or DPS, the tenant to authenticate as. */
function iotApp(componentId: string, cmdArgs: string[], tenantId: string): Buffer {
  return productionPackage(componentId, {
    name: 'AzureIoT',
    manifest: {
      SchemaVersion: 1,
      Name: 'AzureIoT',
      ComponentId: componentId,
      EntryPoint: '/bin/app',
      CmdArgs: cmdArgs,
      Capabilities: { AllowedConnections: ['127.0.0.1'], DeviceAuthentication: tenantId },
      ApplicationType: 'Default',
      TargetApplicationRuntimeVersion: 12,
    },
  });
}

describe('board-sim: an app on IoT Hub with the device certificate', function () {
  this.timeout(60_000);
  const clock = new AdjustableClock();
  const seeded = seededEmulatorPerSuite({ clock });
  const fixture = new BoardFixture();
  let tokens: Tokens;
  let tenantId: string;
  let hub: ArmHub;
  let dps: ArmHub;
  const closers: (() => void)[] = [];

  before(async () => {
    const emulator = seeded.emulator;
    tokens = { sphere: await tokenFor(emulator, 'avery@contoso.com'), arm: await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE) };
    tenantId = emulator.seed.tenants.contoso.id;
    hub = { ...emulator.seed.hubs.contosoHub };
    dps = { ...emulator.seed.hubs.contosoDps };
    await proveTenantCaOn(emulator, tokens, hub, tenantId);
  });
  afterEach(() => closers.splice(0).forEach((close) => close()));
  after(() => fixture.cleanup());

  /** A claimed board on Wi-Fi with a device certificate, its key from the test's seed. */
  async function readyBoard(name: string): Promise<SimulatedBoard> {
    installDeviceKey(path.join(fixture.root, `state-${name}`), seededDeviceKey(testSeed()));
    const emulator = seeded.emulator;
    const board = await fixture.start(name, {
      cloudUrl: emulator.url,
      cloudCaPem: emulator.caCertPem,
      provisioningHost: emulator.provisioningHost,
      clock,
      attestationTiming: { checkMs: 50, retryMaxMs: 400 },
      iotTiming: { telemetryIntervalMs: 100, retryMinMs: 100, retryMaxMs: 800, connectTimeoutMs: 10_000 },
      log: () => undefined, // attestation notes; the tests read the board's state instead
    });
    const claimed = await call(emulator, `/v2/tenants/${tenantId}/devices/${board.deviceId}/claim`, { method: 'PUT', token: tokens.sphere });
    assert.equal(claimed.status, 202, claimed.text);
    const wifi = await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'CoffeeShop', securityState: 'open' } });
    assert.equal(wifi.status, 201, wifi.raw);
    await waitFor(async () => (((await get(board, '/net/status')).body as { deviceAuthenticationIsReady: boolean }).deviceAuthenticationIsReady ? true : undefined), 'device auth ready', 10_000);
    return board;
  }

  const waitState = (board: SimulatedBoard, state: string, what: string, extra: (b: SimulatedBoard) => boolean = () => true) =>
    waitFor(() => (board.iotConnection.state === state && extra(board) ? board.iotConnection : undefined), `${what} (now ${JSON.stringify(board.iotConnection)})`, 20_000);

  it('connects straight to the hub named in --Hostname, sends telemetry the hub receives, and reconnects with a renewed certificate', async () => {
    const board = await readyBoard('hub');
    const emulator = seeded.emulator;
    const hubHost = emulator.hubHostName(hub.name);
    const key = await sharedAccessKey(emulator, tokens, hub);
    const stream = telemetryStream(emulator, hubHost, key, board.deviceId, clock);
    closers.push(stream.close);

    // Started before the hub knows the device: refused (CONNACK), and retried.
    await deploy(board, iotApp(HUB_APP, ['--ConnectionType', 'IoTHub', '--Hostname', hubHost], tenantId));
    const refused = await waitState(board, 'refused', 'refused by a hub without the identity');
    assert.match(refused.lastError ?? '', /refused the connection/);
    assert.equal(refused.componentId, HUB_APP);

    await createCaSignedDevice(emulator, hubHost, key, board.deviceId, clock);
    const connected = await waitState(board, 'connected', 'connected once the identity exists');
    assert.equal(connected.hub, hubHost);
    await waitFor(() => (stream.messages.length >= 2 ? true : undefined), 'telemetry on the hub\'s stream', 20_000);
    const message = stream.messages[0]!;
    assert.equal(message.deviceId, board.deviceId);
    assert.equal(message.properties['$.ct'], 'application/json');
    assert.equal(message.properties['$.ce'], 'utf-8');
    const body = JSON.parse(message.body) as { temperature: number; humidity: number };
    assert.deepEqual(Object.keys(body).sort(), ['humidity', 'temperature']);
    assert.ok(body.temperature > 0 && body.temperature < 40 && body.humidity > 0 && body.humidity < 100, message.body);
    const output = board.appOutput(HUB_APP).join('\n');
    assert.match(output, /INFO: Azure IoT Hub connection complete/);
    assert.match(output, /INFO: Sending Azure IoT Hub telemetry: \{"temperature":/);
    assert.ok(!/PRIVATE KEY|BEGIN CERTIFICATE/.test(output), 'no key or certificate in the app output');

    const serial = board.deviceCertificate!.certificatePem;
    clock.advance(21 * HOUR_MS); // renewal is due: a new certificate, so a new connection with it
    await board.checkDeviceAuth();
    await waitFor(() => (board.deviceCertificate!.certificatePem !== serial ? true : undefined), 'the renewal');
    await waitState(board, 'connected', 'connected again with the renewed certificate', (b) => b.iotConnection.connections >= 2);
    const sent = stream.messages.length;
    await waitFor(() => (stream.messages.length > sent ? true : undefined), 'telemetry after the renewal', 20_000);

    await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: false } });
    await waitState(board, 'idle', 'idle while the board is offline');
    assert.match(board.iotConnection.lastError ?? '', /device auth not ready/);
    await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: true } });
    await waitState(board, 'connected', 'connected again once online');

    assert.equal((await setAppState(board, HUB_APP, 'stop')).status, 200);
    await waitFor(() => (board.iotConnectionOf(HUB_APP) === undefined && board.iotConnection.state === 'idle' ? true : undefined), 'no connection once the app stops');
  });

  it('registers with DPS by --ScopeID, connects to the hub it assigns, and registers again with a renewed certificate', async () => {
    const emulator = seeded.emulator;
    await proveTenantCaOn(emulator, tokens, dps, tenantId, 'sphere-tenant-ca');
    const dpsKey = await sharedAccessKey(emulator, tokens, dps);
    await createEnrollmentGroup(emulator, emulator.provisioningServiceHostName(dps.name), dpsKey, 'sphere-devices', 'sphere-tenant-ca', clock);
    const board = await readyBoard('dps');
    const hubHost = emulator.hubHostName(hub.name);
    const stream = telemetryStream(emulator, hubHost, await sharedAccessKey(emulator, tokens, hub), board.deviceId, clock);
    closers.push(stream.close);

    await deploy(board, iotApp(DPS_APP, ['--ConnectionType', 'DPS', '--ScopeID', emulator.idScope(dps.name)], tenantId));
    const connected = await waitState(board, 'connected', 'connected through DPS');
    assert.equal(connected.hub, hubHost, 'the hub DPS assigned (the one linked to it)');
    assert.equal(connected.registrations, 1);
    await waitFor(() => (stream.messages.length > 0 ? true : undefined), 'telemetry on the assigned hub', 20_000);
    assert.match(board.appOutput(DPS_APP).join('\n'), new RegExp(`INFO: DPS assigned hub ${hubHost.replace(/\./g, '\\.')}`));

    clock.advance(21 * HOUR_MS);
    await board.checkDeviceAuth();
    await waitState(board, 'connected', 'registered and connected again with the renewed certificate', (b) => b.iotConnection.registrations >= 2 && b.iotConnection.connections >= 2);
  });

  it('leaves an app whose DeviceAuthentication names another tenant idle, saying why', async () => {
    const board = await readyBoard('other-tenant');
    const other = seeded.emulator.seed.tenants.fabrikam.id;
    await deploy(board, iotApp(HUB_APP, ['--Hostname', seeded.emulator.hubHostName(hub.name)], other));
    const idle = await waitFor(() => (board.iotConnection.lastError ? board.iotConnection : undefined), 'the reason');
    assert.equal(idle.state, 'idle');
    assert.match(idle.lastError!, new RegExp(`names tenant ${other}, but the board's device certificate is from tenant ${tenantId}`));
    assert.throws(() => board.deviceAuthCertificatePath('00000000-0000-4000-8000-000000000000'), /No application/);
    assert.equal(board.deviceAuthCertificatePath(HUB_APP), path.join(fixture.root, 'state-other-tenant', 'daa', other));
  });
});
