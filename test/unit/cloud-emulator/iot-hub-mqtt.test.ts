// A hub's device side over MQTT, with Microsoft's own device SDK (azure-iot-device + azure-iot-device-mqtt) as the
// peer: an X.509 CA-signed device connects to `127.0.0.1:<port>` with its certificate chain, its telemetry arrives on
// the emulator-only telemetry stream; the hub refuses expired certificates (by the emulator's adjustable clock), a
// CN that is not the device ID, a chain to an unverified or another hub's CA, and devices it has no identity for.
// mqtt.js stands in for a device that tries topics it may not use.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Client, Message } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import mqtt from 'mqtt';
import { AdjustableClock } from '../../../emulator/common/clock';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { ARM_SCOPE, seededEmulatorPerSuite, tokenFor } from '../../helpers/cloud-emulator';
import {
  callHost,
  issueDeviceCredential,
  makeDeviceCa,
  openTelemetryStream,
  policyKey,
  seededDeviceIds,
  serviceSas,
  uploadCa,
  type DeviceCa,
  type DeviceCredential,
} from '../../helpers/iot-emulator';
import { testSeed } from '../../helpers/test-seed';

const API = '?api-version=2021-04-12';
const DAY_MS = 24 * 3600 * 1000;
/** The SDK's retry policy interface: never retry, so a refused connection fails `open()` at once. */
const noRetry = { shouldRetry: () => false, nextRetryTimeout: () => 0 };

describe('cloud emulator: IoT hub device MQTT with the Azure IoT device SDK', () => {
  const clock = new AdjustableClock();
  const log: string[] = [];
  const seeded = seededEmulatorPerSuite({ clock, log: (line) => log.push(line) });
  let emulator: CloudEmulator;
  let host: string;
  let ownerSas: string;
  let deviceCa: DeviceCa;
  /** A root above `tenantCa`; only the tenant CA is uploaded and verified (a verified intermediate as trust anchor). */
  let rootCa: DeviceCa;
  let tenantCa: DeviceCa;
  let unverifiedCa: DeviceCa;
  let fabrikamCa: DeviceCa;
  const clients: Client[] = [];

  before(async () => {
    emulator = seeded.emulator;
    host = emulator.hubHostName('contoso-hub');
    const avery = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    const jordan = await tokenFor(emulator, 'jordan@fabrikam.com', ARM_SCOPE);
    ownerSas = serviceSas(host, 'iothubowner', await policyKey(emulator, avery, emulator.seed.hubs.contosoHub, 'iothubowner'));
    deviceCa = makeDeviceCa('Contoso devices CA');
    rootCa = makeDeviceCa('Contoso root CA');
    tenantCa = makeDeviceCa('Contoso tenant CA', rootCa);
    unverifiedCa = makeDeviceCa('Never verified CA');
    fabrikamCa = makeDeviceCa('Fabrikam devices CA');
    await uploadCa(emulator, avery, emulator.seed.hubs.contosoHub, 'devices-ca', deviceCa);
    await uploadCa(emulator, avery, emulator.seed.hubs.contosoHub, 'tenant-ca', tenantCa);
    await uploadCa(emulator, avery, emulator.seed.hubs.contosoHub, 'unverified-ca', unverifiedCa, false);
    await uploadCa(emulator, jordan, emulator.seed.hubs.fabrikamHub, 'fabrikam-ca', fabrikamCa);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  async function createIdentity(deviceId: string, status: 'enabled' | 'disabled' = 'enabled'): Promise<void> {
    const res = await callHost(emulator, host, `/devices/${deviceId}${API}`, ownerSas, { method: 'PUT', body: { deviceId, status, authentication: { type: 'certificateAuthority' } } });
    assert.equal(res.status, 200, res.text);
  }

  async function deviceClient(deviceId: string, credential: DeviceCredential): Promise<Client> {
    const client = Client.fromConnectionString(`HostName=${host};DeviceId=${deviceId};x509=true`, Mqtt);
    client.setRetryPolicy(noRetry);
    clients.push(client);
    await client.setOptions({ cert: credential.chainPem, key: credential.keyPem, ca: emulator.caCertPem });
    return client;
  }

  it('accepts a CA-signed device, shows it connected, answers its twin request, and streams its telemetry and connection changes', async () => {
    const [deviceId, otherId] = seededDeviceIds(testSeed(), 2) as [string, string];
    await createIdentity(deviceId);
    const stream = await openTelemetryStream(emulator, host, ownerSas);
    const client = await deviceClient(deviceId, issueDeviceCredential(deviceCa, deviceId));
    await client.open();
    await stream.waitFor((e) => e.event === 'connection' && e.data.deviceId === deviceId && e.data.connectionState === 'Connected');

    const message = new Message(JSON.stringify({ temperature: 21.5 }));
    message.contentType = 'application/json';
    message.contentEncoding = 'utf-8';
    message.properties.add('alert', 'none');
    await client.sendEvent(message);
    const arrived = await stream.waitFor((e) => e.event === 'message' && e.data.deviceId === deviceId);
    assert.equal(arrived.data.body, '{"temperature":21.5}');
    assert.ok(Math.abs(Date.parse(String(arrived.data.enqueuedTime)) - Date.now()) < 60_000);
    assert.deepEqual(arrived.data.properties, { alert: 'none', '$.ct': 'application/json', '$.ce': 'utf-8' });

    const twin = await client.getTwin();
    assert.deepEqual(twin.properties.desired.$version, 1);

    const identity = (await callHost(emulator, host, `/devices/${deviceId}${API}`, ownerSas)).json as Record<string, string>;
    assert.equal(identity.connectionState, 'Connected');
    assert.notEqual(identity.lastActivityTime, '0001-01-01T00:00:00Z');

    const filtered = await openTelemetryStream(emulator, host, ownerSas, otherId);
    const all = await openTelemetryStream(emulator, host, ownerSas);
    await all.waitFor((e) => e.event === 'message' && e.data.deviceId === deviceId);
    assert.deepEqual(filtered.events, [], "a stream for another device gets none of this device's history");
    await client.close();
    await stream.waitFor((e) => e.event === 'connection' && e.data.deviceId === deviceId && e.data.connectionState === 'Disconnected');
    for (const s of [stream, filtered, all]) s.close();
    assert.equal(((await callHost(emulator, host, `/devices/${deviceId}${API}`, ownerSas)).json as Record<string, string>).connectionState, 'Disconnected');
  });

  it('accepts a chain that ends at a verified intermediate (the tenant CA), the root above it never uploaded', async () => {
    const [deviceId] = seededDeviceIds(testSeed(), 1) as [string];
    await createIdentity(deviceId);
    await (await deviceClient(deviceId, issueDeviceCredential(tenantCa, deviceId, { above: [rootCa.certPem] }))).open();
    await (await deviceClient(deviceId, issueDeviceCredential(tenantCa, deviceId))).open();
  });

  it('refuses an expired certificate (by the emulator clock), a CN that is not the device ID, an unverified or foreign CA, a missing or disabled identity', async () => {
    const [id, other, unknown, disabled] = seededDeviceIds(testSeed(), 4) as [string, string, string, string];
    await createIdentity(id);
    await createIdentity(disabled, 'disabled');
    const refusedFor = async (deviceId: string, credential: DeviceCredential, reason: RegExp): Promise<void> => {
      log.length = 0;
      const client = await deviceClient(deviceId, credential);
      await assert.rejects(client.open(), /not authorized/i);
      assert.ok(log.some((line) => line.includes(deviceId) && reason.test(line)), `refused for ${reason}: ${log.join('\n')}`);
    };

    const shortLived = issueDeviceCredential(deviceCa, id, { validDays: 1 });
    await (await deviceClient(id, shortLived)).open();
    clock.advance(2 * DAY_MS);
    try {
      await refusedFor(id, shortLived, /expired/);
    } finally {
      clock.advance(-2 * DAY_MS);
    }
    await refusedFor(id, issueDeviceCredential(deviceCa, other), /CN '[0-9a-f]+' is not/);
    await refusedFor(id, issueDeviceCredential(unverifiedCa, id), /uploaded but not verified/);
    await refusedFor(id, issueDeviceCredential(fabrikamCa, id), /does not reach a CA certificate/);
    await refusedFor(unknown, issueDeviceCredential(deviceCa, unknown), /no device identity/);
    await refusedFor(disabled, issueDeviceCredential(deviceCa, disabled), /disabled/);
  });

  it('a second connection with the same device ID drops the first', async () => {
    const [deviceId] = seededDeviceIds(testSeed(), 1) as [string];
    await createIdentity(deviceId);
    const credential = issueDeviceCredential(deviceCa, deviceId);
    const first = await deviceClient(deviceId, credential);
    await first.open();
    const dropped = once(first, 'disconnect');
    await (await deviceClient(deviceId, credential)).open();
    await dropped;
    const identity = (await callHost(emulator, host, `/devices/${deviceId}${API}`, ownerSas)).json as Record<string, string>;
    assert.equal(identity.connectionState, 'Connected', 'the second connection is the one that counts');
  });

  it('lets a device subscribe and publish only on its own topics', async () => {
    const [deviceId, otherId] = seededDeviceIds(testSeed(), 2) as [string, string];
    await createIdentity(deviceId);
    const credential = issueDeviceCredential(deviceCa, deviceId);
    const client = await mqtt.connectAsync(`mqtts://${host}`, {
      clientId: deviceId,
      username: `${host}/${deviceId}/?api-version=2021-04-12`,
      protocolVersion: 4,
      cert: credential.chainPem,
      key: credential.keyPem,
      ca: emulator.caCertPem,
      reconnectPeriod: 0,
    });
    try {
      const granted = await client.subscribeAsync([`devices/${deviceId}/messages/devicebound/#`, '$iothub/twin/res/#', '$iothub/methods/POST/#'], { qos: 1 });
      assert.deepEqual(
        granted.map((g) => g.qos),
        [1, 1, 1],
      );
      // SUBACK 0x80 for each, which mqtt.js reports as a failed subscription; the connection stays.
      for (const topic of [`devices/${otherId}/messages/devicebound/#`, '#', '$SYS/#', 'devices/+/messages/events/#']) {
        await assert.rejects(client.subscribeAsync(topic, { qos: 1 }), /Subscribe error/, topic);
      }
      const reply = new Promise<[string, Buffer]>((resolve) => client.once('message', (topic, payload) => resolve([topic, payload])));
      await client.publishAsync('$iothub/twin/GET/?$rid=42', '');
      const [topic, payload] = await reply;
      assert.equal(topic, '$iothub/twin/res/200/?$rid=42');
      assert.deepEqual(JSON.parse(payload.toString()), { desired: { $version: 1 }, reported: { $version: 1 } });

      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(`devices/${otherId}/messages/events/`, 'not mine', { qos: 1 });
      await closed;
    } finally {
      await client.endAsync(true);
    }
  });
});
