// The emulated DPS: enrollment groups on its service API (SAS from ARM listkeys) with the spec's shapes and its
// refusals; device registration on the global provisioning endpoint over HTTPS (requests by hand, with the device's
// certificate chain) and over MQTT with Microsoft's provisioning SDK as the peer; the identity DPS makes on the
// assigned hub, which the device then connects to with the device SDK.
import assert from 'node:assert/strict';
import { Client } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { ARM_SCOPE, seededEmulatorPerSuite, tokenFor } from '../../helpers/cloud-emulator';
import {
  callHost,
  deviceCall,
  issueDeviceCredential,
  makeDeviceCa,
  policyKey,
  registerOverHttps,
  registerWithSdk,
  seededDeviceIds,
  serviceSas,
  uploadCa,
  type DeviceCa,
} from '../../helpers/iot-emulator';
import { testSeed } from '../../helpers/test-seed';

type Json = Record<string, unknown>;
const API = '?api-version=2021-10-01';

/** The DPS error shape exactly, with the code in `x-ms-error-code` too. */
function assertDpsError(res: { status: number; json: unknown; text: string; headers: Record<string, unknown> }, status: number, errorCode: number, message?: RegExp): void {
  assert.equal(res.status, status, res.text);
  const body = res.json as Json;
  assert.deepEqual(Object.keys(body).sort(), ['errorCode', 'message', 'timestampUtc', 'trackingId']);
  assert.equal(body.errorCode, errorCode);
  assert.match(String(body.trackingId), /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(String(body.timestampUtc))));
  if (message) assert.match(String(body.message), message);
  assert.equal(res.headers['x-ms-error-code'], String(errorCode));
}

describe('cloud emulator: DPS enrollment groups and device registration', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;
  let dpsHost: string;
  let hubHost: string;
  let dpsSas: string;
  let hubSas: string;
  let idScope: string;
  /** Referenced by an enrollment group (caReferences). */
  let groupCa: DeviceCa;
  /** Verified on the DPS but named by no group: the root above `intermediateCa`, a signingCertificates group's CA. */
  let rootCa: DeviceCa;
  let intermediateCa: DeviceCa;
  let disabledGroupCa: DeviceCa;
  let strangerCa: DeviceCa;

  before(async () => {
    emulator = seeded.emulator;
    dpsHost = emulator.provisioningServiceHostName('contoso-dps');
    hubHost = emulator.hubHostName('contoso-hub');
    idScope = emulator.idScope('contoso-dps');
    const avery = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    const { contosoDps, contosoHub } = emulator.seed.hubs;
    dpsSas = serviceSas(dpsHost, 'provisioningserviceowner', await policyKey(emulator, avery, contosoDps, 'provisioningserviceowner'));
    hubSas = serviceSas(hubHost, 'iothubowner', await policyKey(emulator, avery, contosoHub, 'iothubowner'));
    groupCa = makeDeviceCa('Contoso provisioning CA');
    rootCa = makeDeviceCa('Contoso root CA');
    intermediateCa = makeDeviceCa('Contoso line 2 CA', rootCa);
    disabledGroupCa = makeDeviceCa('Contoso retired CA');
    strangerCa = makeDeviceCa('Not enrolled CA');
    await uploadCa(emulator, avery, contosoDps, 'group-ca', groupCa);
    await uploadCa(emulator, avery, contosoDps, 'root-ca', rootCa);
    await uploadCa(emulator, avery, contosoDps, 'retired-ca', disabledGroupCa);
    await uploadCa(emulator, avery, contosoDps, 'stranger-ca', strangerCa, false);
    for (const [id, body] of [
      ['contoso-devices', { attestation: { type: 'x509', x509: { caReferences: { primary: 'group-ca' } } }, iotHubs: [hubHost], allocationPolicy: 'hashed' }],
      ['line-2', { attestation: { type: 'x509', x509: { signingCertificates: { primary: { certificate: intermediateCa.certPem } } } } }],
      ['retired', { attestation: { type: 'x509', x509: { caReferences: { primary: 'retired-ca' } } }, provisioningStatus: 'disabled' }],
    ] as const) {
      const res = await dps(`/enrollmentGroups/${id}${API}`, { method: 'PUT', body: { enrollmentGroupId: id, ...body } });
      assert.equal(res.status, 200, res.text);
    }
  });

  const dps = (path: string, opts: Parameters<typeof callHost>[4] = {}, sas: string | null = dpsSas) => callHost(emulator, dpsHost, path, sas ?? undefined, opts);

  it('keeps enrollment groups with etags, answers them in the spec shape, pages the query, deletes them', async () => {
    const created = await dps(`/enrollmentGroups/Extra-Group${API}`, {
      method: 'PUT',
      body: { enrollmentGroupId: 'Extra-Group', attestation: { type: 'x509', x509: { caReferences: { primary: 'group-ca' } } }, iotHubHostName: hubHost, capabilities: { iotEdge: false } },
    });
    assert.equal(created.status, 200, created.text);
    const group = created.json as Json;
    assert.equal(group.enrollmentGroupId, 'Extra-Group');
    assert.deepEqual(group.attestation, { type: 'x509', x509: { caReferences: { primary: 'group-ca' } } });
    assert.equal(group.iotHubHostName, hubHost);
    assert.equal(group.provisioningStatus, 'enabled');
    assert.deepEqual(group.reprovisionPolicy, { updateHubAssignment: true, migrateDeviceData: true });
    assert.ok(group.etag && group.createdDateTimeUtc && group.lastUpdatedDateTimeUtc);
    assert.deepEqual((await dps(`/enrollmentGroups/extra-group${API}`)).json, group, 'group IDs are case-insensitive');

    const signing = ((await dps(`/enrollmentGroups/line-2${API}`)).json as { attestation: { x509: { signingCertificates: { primary: { info: Json } } } } }).attestation.x509.signingCertificates.primary;
    assert.match(String(signing.info.subjectName), /CN=Contoso line 2 CA/);
    assert.match(String(signing.info.issuerName), /CN=Contoso root CA/);
    assert.match(String(signing.info.sha1Thumbprint), /^[0-9A-F]{40}$/);
    const mechanism = await dps(`/enrollmentGroups/line-2/attestationmechanism${API}`, { method: 'POST' });
    assert.equal((mechanism.json as Json).type, 'x509');

    const ids: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await dps(`/enrollmentGroups/query${API}`, { method: 'POST', headers: { 'x-ms-max-item-count': '1', ...(continuation ? { 'x-ms-continuation': continuation } : {}) }, body: { query: 'SELECT * FROM enrollmentGroups' } });
      assert.equal(page.status, 200, page.text);
      assert.equal(page.headers['x-ms-item-type'], 'enrollmentGroup');
      ids.push(...(page.json as Json[]).map((g) => String(g.enrollmentGroupId)));
      continuation = page.headers['x-ms-continuation'] as string | undefined;
    } while (continuation);
    assert.deepEqual(ids, ['contoso-devices', 'line-2', 'retired', 'Extra-Group']);

    const update = (etag: string) => dps(`/enrollmentGroups/Extra-Group${API}`, { method: 'PUT', headers: { 'If-Match': etag }, body: { enrollmentGroupId: 'Extra-Group', attestation: { type: 'x509', x509: { caReferences: { primary: 'group-ca' } } }, provisioningStatus: 'disabled' } });
    assertDpsError(await update('c3RhbGU='), 412, 412001);
    const updated = await update(String(group.etag));
    assert.equal(updated.status, 200, updated.text);
    assert.equal((updated.json as Json).provisioningStatus, 'disabled');
    assert.equal((updated.json as Json).createdDateTimeUtc, group.createdDateTimeUtc);
    assert.notEqual((updated.json as Json).etag, group.etag);

    assertDpsError(await dps(`/enrollmentGroups/Extra-Group${API}`, { method: 'DELETE', headers: { 'If-Match': String(group.etag) } }), 412, 412001);
    assert.equal((await dps(`/enrollmentGroups/Extra-Group${API}`, { method: 'DELETE', headers: { 'If-Match': String((updated.json as Json).etag) } })).status, 204);
    assertDpsError(await dps(`/enrollmentGroups/Extra-Group${API}`), 404, 404201, /was not found/);
  });

  it('refuses groups whose CA is unknown or unverified, hubs that are not linked, other attestations, and bad tokens', async () => {
    const put = (id: string, body: Json, sas: string | null = dpsSas) => dps(`/enrollmentGroups/${id}${API}`, { method: 'PUT', body: { enrollmentGroupId: id, ...body } }, sas);
    const x509 = (x: Json) => ({ attestation: { type: 'x509', x509: x } });
    assertDpsError(await put('g', x509({ caReferences: { primary: 'nope' } })), 400, 400001, /no certificate named 'nope'/);
    assertDpsError(await put('g', x509({ caReferences: { primary: 'stranger-ca' } })), 400, 400001, /'stranger-ca' is not verified/);
    assertDpsError(await put('g', { ...x509({ caReferences: { primary: 'group-ca' } }), iotHubs: [emulator.hubHostName('fabrikam-hub')] }), 400, 400001, /not an IoT hub linked to this DPS \(linked: 127\.0\.0\.1:\d+\)/);
    assertDpsError(await put('g', { ...x509({ caReferences: { primary: 'group-ca' } }), iotHubHostName: 'contoso-hub.azure-devices.net' }), 400, 400001, /not an IoT hub linked/);
    assertDpsError(await put('g', { attestation: { type: 'symmetricKey', symmetricKey: {} } }), 400, 400001, /'symmetricKey' is not supported/);
    assertDpsError(await put('g', x509({ caReferences: { primary: 'group-ca' }, signingCertificates: { primary: { certificate: rootCa.certPem } } })), 400, 400001, /either caReferences or signingCertificates/);
    assertDpsError(await put('g', x509({ signingCertificates: { primary: { certificate: issueDeviceCredential(rootCa, 'leaf').certPem } } })), 400, 400001, /not a CA certificate/);
    assertDpsError(await put('g', x509({ signingCertificates: { primary: { certificate: 'not pem' } } })), 400, 400001, /could not be read/);
    assertDpsError(await put('g', { ...x509({ caReferences: { primary: 'group-ca' } }), allocationPolicy: 'static' }), 400, 400001, /exactly one IoT hub/);
    assertDpsError(await put('g', { ...x509({ caReferences: { primary: 'group-ca' } }), allocationPolicy: 'custom' }), 400, 400001, /not supported/);
    assertDpsError(await put('-g', x509({ caReferences: { primary: 'group-ca' } })), 400, 400001, /Enrollment group ID/);
    assertDpsError(await dps(`/enrollmentGroups/g${API}`, { method: 'PUT', body: { enrollmentGroupId: 'h', ...x509({ caReferences: { primary: 'group-ca' } }) } }), 400, 400001, /not the one in the path/);
    assertDpsError(await dps('/enrollmentGroups/contoso-devices'), 400, 400001, /api-version/);
    assertDpsError(await put('g', x509({ caReferences: { primary: 'group-ca' } }), null), 401, 401002, /no SharedAccessSignature/);
    assertDpsError(await put('g', x509({ caReferences: { primary: 'group-ca' } }), hubSas), 401, 401002);
    assertDpsError(await dps(`/enrollmentGroups/g${API}`), 404, 404201);
  });

  it('registers a device with the provisioning SDK over MQTT; DPS makes its CA-signed identity on the hub, which the device SDK then connects to', async function () {
    this.timeout(60_000);
    const [registrationId] = seededDeviceIds(testSeed(), 1) as [string];
    const credential = issueDeviceCredential(groupCa, registrationId);
    const { result, error } = await registerWithSdk(emulator, idScope, registrationId, credential);
    assert.equal(error, undefined, JSON.stringify(error));
    assert.equal(result?.assignedHub, hubHost);
    assert.equal(result?.deviceId, registrationId);

    const identity = (await callHost(emulator, hubHost, `/devices/${registrationId}?api-version=2021-04-12`, hubSas)).json as { authentication: { type: string }; status: string };
    assert.equal(identity.authentication.type, 'certificateAuthority');
    assert.equal(identity.status, 'enabled');

    const state = await dps(`/registrations/${registrationId}${API}`);
    assert.equal(state.status, 200, state.text);
    assert.deepEqual(Object.keys(state.json as Json).sort(), ['assignedHub', 'createdDateTimeUtc', 'deviceId', 'etag', 'lastUpdatedDateTimeUtc', 'registrationId', 'status', 'substatus']);
    assert.equal((state.json as Json).status, 'assigned');
    const listed = await dps(`/registrations/contoso-devices/query${API}`, { method: 'POST' });
    assert.deepEqual((listed.json as Json[]).map((r) => r.registrationId), [registrationId]);

    // The hub trusts the DPS's CA only once it is verified there too: the device's chain is checked by the hub itself.
    const avery = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    await uploadCa(emulator, avery, emulator.seed.hubs.contosoHub, 'group-ca', groupCa);
    const device = Client.fromConnectionString(`HostName=${String(result?.assignedHub)};DeviceId=${registrationId};x509=true`, Mqtt);
    device.setRetryPolicy({ shouldRetry: () => false, nextRetryTimeout: () => 0 });
    await device.setOptions({ cert: credential.chainPem, key: credential.keyPem, ca: emulator.caCertPem });
    await device.open();
    await device.close();

    const refused = await registerWithSdk(emulator, idScope, registrationId, issueDeviceCredential(strangerCa, registrationId));
    assert.equal(refused.result, undefined);
    assert.equal(refused.error?.name, 'UnauthorizedError', 'the SDK reads the 401 reply');
  });

  it('registers over HTTPS: 202 and an operation, then assigned with the x509 result; a second registration keeps the hub', async () => {
    const [registrationId] = seededDeviceIds(testSeed(), 1) as [string];
    const credential = issueDeviceCredential(groupCa, registrationId);
    const started = await deviceCall(emulator, emulator.provisioningHost, `/${idScope}/registrations/${registrationId}/register?api-version=2019-03-31`, credential, { method: 'PUT', body: { registrationId } });
    assert.equal(started.status, 202, started.text);
    assert.equal(started.headers['retry-after'], '1');
    assert.equal((started.json as Json).status, 'assigning');
    assert.match(String((started.json as Json).operationId), /^5\.[0-9a-f]{16}\.[0-9a-f-]{36}$/);

    const first = await registerOverHttps(emulator, idScope, registrationId, credential);
    assert.equal(first.status, 'assigned');
    const state = first.registrationState as Json;
    assert.equal(state.assignedHub, hubHost);
    assert.equal(state.deviceId, registrationId);
    assert.equal(state.status, 'assigned');
    assert.equal(state.substatus, 'initialAssignment');
    const x509 = state.x509 as { enrollmentGroupId: string; certificateInfo: Json; signingCertificateInfo: Json };
    assert.equal(x509.enrollmentGroupId, 'contoso-devices');
    assert.equal(x509.certificateInfo.subjectName, `CN=${registrationId}`);
    assert.match(String(x509.signingCertificateInfo.subjectName), /CN=Contoso provisioning CA/);

    const second = await registerOverHttps(emulator, idScope, registrationId, credential);
    assert.equal((second.registrationState as Json).assignedHub, hubHost);
    assert.equal((second.registrationState as Json).createdDateTimeUtc, state.createdDateTimeUtc);
    const lookup = await deviceCall(emulator, emulator.provisioningHost, `/${idScope}/registrations/${registrationId}?api-version=2021-06-01`, credential, { method: 'POST', body: { registrationId } });
    assert.equal(lookup.status, 200, lookup.text);
    assert.equal((lookup.json as Json).assignedHub, hubHost);
  });

  it('registers through a signingCertificates group whose root is verified on the DPS; a disabled group answers disabled', async () => {
    const [lineTwo, retired] = seededDeviceIds(testSeed(), 2) as [string, string];
    const viaIntermediate = await registerOverHttps(emulator, idScope, lineTwo, issueDeviceCredential(intermediateCa, lineTwo));
    assert.equal(viaIntermediate.status, 'assigned');
    assert.equal(((viaIntermediate.registrationState as Json).x509 as Json).enrollmentGroupId, 'line-2');
    assert.equal((viaIntermediate.registrationState as Json).assignedHub, hubHost, 'a group without hubs assigns among the linked hubs');

    const disabled = await registerOverHttps(emulator, idScope, retired, issueDeviceCredential(disabledGroupCa, retired));
    assert.equal(disabled.status, 'disabled');
    assert.equal((disabled.registrationState as Json).assignedHub, undefined);
    assert.equal((await callHost(emulator, hubHost, `/devices/${retired}?api-version=2021-04-12`, hubSas)).status, 404, 'no identity for a disabled group');
  });

  it('refuses upper-case registration IDs (400004), a CN that is not the registration ID, unenrolled CAs (401002), unknown scopes and API versions', async () => {
    const [id, other] = seededDeviceIds(testSeed(), 2) as [string, string];
    const register = (registrationId: string, credential = issueDeviceCredential(groupCa, registrationId), scope = idScope, version = '2021-06-01') =>
      deviceCall(emulator, emulator.provisioningHost, `/${scope}/registrations/${registrationId}/register?api-version=${version}`, credential, { method: 'PUT', body: { registrationId } });
    const upper = id.toUpperCase();
    assertDpsError(await register(upper), 400, 400004, /^Invalid RegistrationId/);
    assertDpsError(await register(id, issueDeviceCredential(groupCa, other)), 401, 401002, /CN '[0-9a-f]+' is not the registration ID/);
    assertDpsError(await register(id, issueDeviceCredential(strangerCa, id)), 401, 401002, /no enrollment group/);
    assertDpsError(await register(id, issueDeviceCredential(makeDeviceCa('Unknown CA'), id)), 401, 401002, /no enrollment group/);
    assertDpsError(await register(id, undefined, '0ne00000000'), 404, 404001, /ID scope/);
    assertDpsError(await register(id, undefined, idScope, '2018-11-01'), 400, 400001, /api-version/);
    assertDpsError(await deviceCall(emulator, emulator.provisioningHost, `/${idScope}/registrations/${id}/operations/5.x.y?api-version=2021-06-01`, issueDeviceCredential(groupCa, id)), 404, 404203);
  });
});
