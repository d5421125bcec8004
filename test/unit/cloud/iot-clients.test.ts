// Our IoT Hub and DPS clients against the cloud emulator's own hub and DPS over HTTPS, signed in as a tenant
// Administrator: nothing is created before the tenant CA is verified; the board's identity is its lower-case device ID
// with CA-signed authentication, a duplicate is refused with the hub's own words or reused when asked; an enrollment
// group trusting the tenant CA is created, then updated in place; the registration a device made shows; and the
// telemetry stream carries what a device sends with Microsoft's own device SDK (azure-iot-device over MQTT), with the
// daily certificate the emulator's security service issued to that device. A board claimed in a catalog goes the same
// way, its CA read over ARM.
import { strict as assert } from 'node:assert';
import { Client, Message } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import { CloudApiError } from '../../../src/cloud/api-error';
import type { HubRef } from '../../../src/cloud/arm-certificate-client';
import { proveCaPossession, proveTenantCaPossession } from '../../../src/cloud/ca-proof-flow';
import { ArmSphereClient } from '../../../src/cloud/arm-sphere';
import { realSleep } from '../../../src/cloud/abort';
import { seededRandom } from '../../../emulator/common/seeded-random';
import { X509Certificate } from 'node:crypto';
import { dpsClientFor, enrollTenantInDps } from '../../../src/cloud/iot/dps-enrollment';
import { connectDeviceToHub, hubRegistryFor, IncompatibleIdentityError, type IotClients } from '../../../src/cloud/iot/hub-device-connection';
import { HubTelemetryStream, type TelemetryEvent } from '../../../src/cloud/iot/hub-telemetry-stream';
import { sasAuthorization } from '../../../src/cloud/iot/sas-authorization';
import { TenantCaNotVerifiedError, type CaOwner } from '../../../src/cloud/iot/tenant-ca-on-hub';
import { ArmFleetBackend, LegacyFleetBackend } from '../../../src/cloud/backend';
import { signedInPerSuite } from '../../helpers/cloud-harness';
import { call } from '../../helpers/cloud-emulator';
import { attestationBody, seededDeviceKey, type DeviceKey } from '../../helpers/device-keys';
import { registerOverHttps } from '../../helpers/iot-emulator';
import { testSeed } from '../../helpers/test-seed';

describe('cloud/iot clients against the emulated hub and DPS', function () {
  this.timeout(60_000);
  const suite = signedInPerSuite('avery@contoso.com');
  let clients: IotClients;
  let hub: HubRef;
  let dps: HubRef;
  let device: DeviceKey;
  const tenantId = () => suite.fx.emu.seed.tenants.contoso.id;
  const never = async () => assert.fail('not asked');
  /** The Contoso tenant's CA, read through the legacy backend. */
  const contosoCa = (): CaOwner => ({ scope: { id: tenantId(), name: suite.fx.emu.seed.tenants.contoso.name, kind: 'legacy' }, backend: new LegacyFleetBackend(clients.api) });

  before(async () => {
    const { sphere, arm, transport } = suite.session;
    clients = { arm, api: sphere, transport };
    const h = suite.fx.emu.seed.hubs.contosoHub;
    hub = { kind: 'iotHub', subscriptionId: h.subscriptionId, resourceGroup: h.resourceGroup, name: h.name };
    const d = suite.fx.emu.seed.hubs.contosoDps;
    dps = { kind: 'dps', subscriptionId: d.subscriptionId, resourceGroup: d.resourceGroup, name: d.name };
  });
  // The device is drawn from the first test's seed (testSeed() needs a running test), then claimed once.
  beforeEach(async () => {
    if (device) return;
    device = seededDeviceKey(testSeed());
    await clients.api.claimDevice(tenantId(), device.deviceId.toUpperCase());
  });

  it('creates nothing while the tenant CA is not verified on the hub, and says so', async () => {
    await assert.rejects(
      connectDeviceToHub(clients, { ca: contosoCa(), deviceId: device.deviceId.toUpperCase(), hub, useExisting: never }),
      (e: unknown) => e instanceof TenantCaNotVerifiedError && e.found === 'missing' && /not on IoT hub "contoso-hub"/.test(e.message),
    );
    assert.deepEqual(await (await hubRegistryFor(clients, hub)).listDevices(), []);
  });

  it('creates the lower-case CA-signed identity; a second create gets the hub’s DeviceAlreadyExists; reuse when asked', async () => {
    await proveTenantCaPossession({ sphere: clients.api, arm: clients.arm, tenantId: tenantId(), hub, certificateName: 'contoso-ca' });
    const created = await connectDeviceToHub(clients, { ca: contosoCa(), deviceId: device.deviceId.toUpperCase(), hub, useExisting: never });
    assert.equal(created.created, true);
    assert.equal(created.identity.deviceId, device.deviceId);
    assert.equal(created.identity.authentication?.type, 'certificateAuthority');
    assert.match(created.hostName, /^127\.0\.0\.1:\d+$/);

    let asked = 0;
    await assert.rejects(
      connectDeviceToHub(clients, { ca: contosoCa(), deviceId: device.deviceId, hub, useExisting: async () => (asked++, false) }),
      (e: unknown) => e instanceof CloudApiError && e.status === 409 && e.code === 'DeviceAlreadyExists' && /already registered/.test(e.message),
    );
    assert.equal(asked, 1);
    const reused = await connectDeviceToHub(clients, { ca: contosoCa(), deviceId: device.deviceId, hub, useExisting: async () => true });
    assert.equal(reused.created, false);
    assert.equal((await (await hubRegistryFor(clients, hub)).listDevices()).length, 1);
  });

  it('will not reuse an identity that authenticates another way', async () => {
    const registry = await hubRegistryFor(clients, hub);
    const other = seededDeviceKey(testSeed() + 1).deviceId;
    const key = await clients.arm.getSharedAccessPolicy(hub, 'iothubowner');
    const sas = await sasAuthorization(registry.hostName, async () => ({ keyName: key.keyName, key: key.primaryKey })).header({});
    const made = await call({ url: `https://${registry.hostName}`, caCertPem: suite.fx.emu.caCertPem }, `/devices/${other}?api-version=2021-04-12`, { method: 'PUT', headers: { authorization: sas }, body: { deviceId: other } });
    assert.equal(made.status, 200, made.text);
    await assert.rejects(connectDeviceToHub(clients, { ca: contosoCa(), deviceId: other, hub, useExisting: never }), IncompatibleIdentityError);
  });

  it('enrolls the tenant in DPS once the CA is verified there, then updates the group in place; the registration shows', async () => {
    await assert.rejects(
      enrollTenantInDps(clients, { ca: contosoCa(), dps, hub, enrollmentGroupId: 'sphere-contoso' }),
      (e: unknown) => e instanceof TenantCaNotVerifiedError && e.hub.kind === 'dps',
    );
    await proveTenantCaPossession({ sphere: clients.api, arm: clients.arm, tenantId: tenantId(), hub: dps, certificateName: 'contoso-ca' });
    const first = await enrollTenantInDps(clients, { ca: contosoCa(), dps, hub, enrollmentGroupId: 'sphere-contoso' });
    assert.equal(first.created, true);
    assert.deepEqual(first.group.attestation.x509?.caReferences?.primary, 'contoso-ca');
    assert.match(first.idScope, /^0ne[0-9A-F]{8}$/);
    const again = await enrollTenantInDps(clients, { ca: contosoCa(), dps, hub, enrollmentGroupId: 'sphere-contoso' });
    assert.equal(again.created, false);
    assert.notEqual(again.group.etag, first.group.etag);

    const { client } = await dpsClientFor(clients, dps);
    assert.equal(await client.getRegistrationState(device.deviceId), undefined);
    const credential = await dailyCredential(device);
    await registerOverHttps(suite.fx.emu, first.idScope, device.deviceId, credential);
    const state = await client.getRegistrationState(device.deviceId);
    assert.equal(state?.status, 'assigned');
    assert.equal(state?.assignedHub, first.hubHostName);
  });

  it('streams what Microsoft’s device SDK sends, with the device’s daily certificate, and the connection changes', async () => {
    const registry = await hubRegistryFor(clients, hub);
    const key = await clients.arm.getSharedAccessPolicy(hub, 'iothubowner');
    const stream = new HubTelemetryStream({
      hostName: registry.hostName,
      deviceId: device.deviceId,
      transport: suite.session.transport,
      authorization: sasAuthorization(registry.hostName, async () => ({ keyName: key.keyName, key: key.primaryKey })),
    });
    const events: TelemetryEvent[] = [];
    await new Promise<void>((resolve, reject) => stream.start({ onOpen: resolve, onEvent: (e) => events.push(e), onError: (e, retry) => !retry && reject(e) }));
    const credential = await dailyCredential(device);
    const sdk = Client.fromConnectionString(`HostName=${registry.hostName};DeviceId=${device.deviceId};x509=true`, Mqtt);
    await sdk.setOptions({ cert: credential.chainPem, key: credential.keyPem, ca: suite.fx.emu.caCertPem });
    try {
      await sdk.open();
      const message = new Message(JSON.stringify({ temperature: 21.5 }));
      message.contentType = 'application/json';
      message.contentEncoding = 'utf-8';
      await sdk.sendEvent(message);
      await until(() => events.some((e) => e.kind === 'message'));
      const sent = events.find((e): e is Extract<TelemetryEvent, { kind: 'message' }> => e.kind === 'message')!;
      assert.equal(sent.deviceId, device.deviceId);
      assert.deepEqual(JSON.parse(sent.body), { temperature: 21.5 });
      assert.ok(!Number.isNaN(Date.parse(sent.enqueuedTime)));
      assert.ok(events.some((e) => e.kind === 'connection' && e.connectionState === 'Connected'));
      assert.equal((await registry.getDevice(device.deviceId))?.connectionState, 'Connected');
    } finally {
      await sdk.close();
      stream.stop();
    }
  });

  it('a board claimed in a catalog: its CA is read over ARM, must be verified on the hub, then Microsoft’s SDK connects with the catalog-issued certificate', async () => {
    const catalogs = new ArmFleetBackend(
      new ArmSphereClient({ settings: suite.fx.settings, tokens: suite.session.engine, transport: suite.session.transport, retry: { sleep: (ms, signal) => realSleep(Math.min(ms, 20), signal), random: seededRandom(testSeed()) } }),
    );
    const lab = (await catalogs.listScopes({ subscriptionId: suite.fx.emu.seed.catalogs.subscriptionId })).find((c) => c.name === suite.fx.emu.seed.catalogs.lab.name)!;
    const labDevice = seededDeviceKey(testSeed() + 1);
    await catalogs.claimDevice(lab, labDevice.deviceId);
    const ca: CaOwner = { scope: lab, backend: catalogs };
    await assert.rejects(
      connectDeviceToHub(clients, { ca, deviceId: labDevice.deviceId, hub, useExisting: never }),
      (e: unknown) => e instanceof TenantCaNotVerifiedError && e.found === 'missing' && /^The CA certificate of catalog contoso-lab is not on IoT hub "contoso-hub"/.test(e.message),
    );
    await proveCaPossession({
      source: { getCaCertificate: (signal) => catalogs.getCaCertificate(lab, { signal }), getProofOfPossessionCertificate: (code, signal) => catalogs.getProofOfPossessionCertificate(lab, code, { signal }) },
      arm: clients.arm,
      hub,
      certificateName: 'contoso-lab-ca',
    });
    const created = await connectDeviceToHub(clients, { ca, deviceId: labDevice.deviceId, hub, useExisting: never });
    assert.equal(created.identity.deviceId, labDevice.deviceId);
    const credential = await dailyCredential(labDevice);
    const issuer = new X509Certificate(credential.certPem).issuer;
    assert.equal(issuer, new X509Certificate((await catalogs.getCaCertificate(lab)).der).subject, 'the daily certificate comes from the catalog’s CA');
    const sdk = Client.fromConnectionString(`HostName=${created.hostName};DeviceId=${labDevice.deviceId};x509=true`, Mqtt);
    await sdk.setOptions({ cert: credential.chainPem, key: credential.keyPem, ca: suite.fx.emu.caCertPem });
    try {
      await sdk.open();
      await sdk.sendEvent(new Message(JSON.stringify({ temperature: 19 })));
    } finally {
      await sdk.close();
    }
  });

  /** The device's daily certificate from the emulator's security service (as the board gets it), with its key. */
  async function dailyCredential(key: DeviceKey): Promise<{ chainPem: string; keyPem: string; certPem: string }> {
    const res = await call(suite.fx.emu, `/v2/devices/${key.deviceId}/dailycertificate`, { method: 'POST', body: attestationBody(key, new Date().toISOString()) });
    assert.equal(res.status, 200, res.text);
    const body = res.json as { certificatePem: string; chainPem: string };
    return { certPem: body.certificatePem, chainPem: body.chainPem, keyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }
});

async function until(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
