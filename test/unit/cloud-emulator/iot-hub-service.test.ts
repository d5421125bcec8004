// The emulated IoT hubs and DPS in ARM (host names, ID scope, linked hubs, listkeys) and a hub's service REST API on
// its own port: the identity registry with SAS tokens signed by hand, its errors in the hub's shape, etags, the query
// with paging.
import assert from 'node:assert/strict';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { ARM_SCOPE, seededEmulatorPerSuite, tokenFor } from '../../helpers/cloud-emulator';
import { arm, armPath, callHost, policyKey, seededDeviceIds, serviceSas } from '../../helpers/iot-emulator';
import { testSeed } from '../../helpers/test-seed';

type Json = Record<string, unknown>;
const API = '?api-version=2021-04-12';

/** The hub's error shape exactly, with its code in the message and in `iothub-errorcode`. */
function assertHubError(res: { status: number; json: unknown; text: string; headers: Record<string, unknown> }, status: number, code: string, message?: RegExp): void {
  assert.equal(res.status, status, res.text);
  const body = res.json as Json;
  assert.deepEqual(Object.keys(body).sort(), ['ExceptionMessage', 'Message']);
  assert.match(String(body.Message), new RegExp(`^ErrorCode:${code};`));
  if (message) assert.match(String(body.Message), message);
  assert.match(String(body.ExceptionMessage), /^Tracking ID:[0-9a-f]{32}-G:0-TimeStamp:\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
  assert.equal(res.headers['iothub-errorcode'], code);
}

describe('cloud emulator: IoT hubs and DPS in ARM, and the hub service REST API', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;
  let armToken: string;
  let host: string;
  let ownerSas: string;

  before(async () => {
    emulator = seeded.emulator;
    armToken = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    host = emulator.hubHostName('contoso-hub');
    ownerSas = serviceSas(host, 'iothubowner', await policyKey(emulator, armToken, emulator.seed.hubs.contosoHub, 'iothubowner'));
  });

  /** `sas` null: no Authorization header. */
  const hub = (path: string, opts: Parameters<typeof callHost>[4] = {}, sas: string | null = ownerSas) => callHost(emulator, host, path, sas ?? undefined, opts);

  it('ARM describes each hub with its host name and each DPS with its endpoints, ID scope and linked hubs', async () => {
    const { contosoHub, contosoDps, fabrikamHub } = emulator.seed.hubs;
    assert.match(host, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(emulator.hubHostName('fabrikam-hub'), host);
    const got = await arm(emulator, armToken, armPath(contosoHub));
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.json, {
      id: armPath(contosoHub),
      name: 'contoso-hub',
      type: 'Microsoft.Devices/IotHubs',
      location: contosoHub.location,
      properties: { state: 'Active', provisioningState: 'Succeeded', hostName: host },
    });
    const listed = await arm(emulator, armToken, `/subscriptions/${contosoHub.subscriptionId}/providers/Microsoft.Devices/IotHubs`);
    assert.deepEqual((listed.json as { value: Json[] }).value, [got.json]);

    const dps = (await arm(emulator, armToken, armPath(contosoDps))).json as { properties: Json };
    assert.equal(dps.properties.serviceOperationsHostName, emulator.provisioningServiceHostName('contoso-dps'));
    assert.equal(dps.properties.deviceProvisioningHostName, emulator.provisioningHost);
    assert.match(String(dps.properties.idScope), /^0ne[0-9A-F]{8}$/);
    assert.equal(dps.properties.idScope, emulator.idScope('contoso-dps'));
    assert.deepEqual(dps.properties.iotHubs, [{ name: host, location: contosoHub.location }], 'only the hubs of its own subscription are linked');

    const jordan = await tokenFor(emulator, 'jordan@fabrikam.com', ARM_SCOPE);
    assert.equal((await arm(emulator, jordan, armPath(contosoHub))).status, 403, 'another directory may not read the hub');
    assert.equal((await arm(emulator, jordan, `${armPath(fabrikamHub)}/listkeys`, { method: 'POST' })).status, 200);
    assert.equal((await arm(emulator, armToken, `${armPath({ ...contosoHub, name: 'nope' })}`)).status, 404);
  });

  it('listkeys gives the hub policies and the DPS owner policy, with rights as Azure names them, stable between calls', async () => {
    const keys = await arm(emulator, armToken, `${armPath(emulator.seed.hubs.contosoHub)}/listkeys`, { method: 'POST' });
    const value = (keys.json as { value: Json[] }).value;
    assert.deepEqual(
      value.map((p) => [p.keyName, p.rights]),
      [
        ['iothubowner', 'RegistryWrite, ServiceConnect, DeviceConnect'],
        ['service', 'ServiceConnect'],
        ['device', 'DeviceConnect'],
        ['registryRead', 'RegistryRead'],
        ['registryReadWrite', 'RegistryWrite'],
      ],
    );
    for (const p of value) {
      assert.equal(Buffer.from(String(p.primaryKey), 'base64').length, 32);
      assert.notEqual(p.primaryKey, p.secondaryKey);
    }
    const again = await arm(emulator, armToken, `${armPath(emulator.seed.hubs.contosoHub)}/listkeys`, { method: 'POST' });
    assert.deepEqual(again.json, keys.json);
    const dps = await arm(emulator, armToken, `${armPath(emulator.seed.hubs.contosoDps)}/listkeys`, { method: 'POST' });
    assert.deepEqual(
      (dps.json as { value: Json[] }).value.map((p) => [p.keyName, p.rights]),
      [['provisioningserviceowner', 'ServiceConfig, DeviceConnect, EnrollmentWrite']],
    );
  });

  it('creates, reads, lists, updates with etags and deletes device identities; a duplicate is 409 DeviceAlreadyExists', async () => {
    const [caId, sasId] = seededDeviceIds(testSeed(), 2) as [string, string];
    const created = await hub(`/devices/${caId}${API}`, { method: 'PUT', body: { deviceId: caId, status: 'enabled', authentication: { type: 'certificateAuthority' } } });
    assert.equal(created.status, 200, created.text);
    const device = created.json as Json;
    assert.deepEqual(Object.keys(device).sort(), [
      'authentication',
      'capabilities',
      'cloudToDeviceMessageCount',
      'connectionState',
      'connectionStateUpdatedTime',
      'deviceId',
      'etag',
      'generationId',
      'lastActivityTime',
      'moduleId',
      'status',
      'statusReason',
      'statusUpdatedTime',
    ]);
    assert.equal(device.deviceId, caId);
    assert.equal(device.connectionState, 'Disconnected');
    assert.equal(device.lastActivityTime, '0001-01-01T00:00:00Z');
    assert.equal(device.cloudToDeviceMessageCount, 0);
    assert.match(String(device.generationId), /^\d{18}$/);
    assert.deepEqual(device.authentication, {
      type: 'certificateAuthority',
      symmetricKey: { primaryKey: null, secondaryKey: null },
      x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
    });
    assert.equal(created.headers.etag, `"${String(device.etag)}"`);

    const duplicate = await hub(`/devices/${caId}${API}`, { method: 'PUT', body: { deviceId: caId, authentication: { type: 'certificateAuthority' } } });
    assertHubError(duplicate, 409, 'DeviceAlreadyExists', new RegExp(`A device with ID '${caId}' is already registered\\.$`));

    const sas = await hub(`/devices/${sasId}${API}`, { method: 'PUT', body: { deviceId: sasId } });
    const keys = (sas.json as { authentication: { type: string; symmetricKey: { primaryKey: string; secondaryKey: string } } }).authentication;
    assert.equal(keys.type, 'sas', 'no authentication given: sas, with keys the hub makes');
    assert.equal(Buffer.from(keys.symmetricKey.primaryKey, 'base64').length, 32);

    assert.deepEqual((await hub(`/devices/${caId}${API}`)).json, device);
    const listed = (await hub(`/devices${API}`)).json as Json[];
    assert.deepEqual(listed.map((d) => d.deviceId), [caId, sasId]);

    const stale = await hub(`/devices/${caId}${API}`, { method: 'PUT', headers: { 'If-Match': '"bm9wZQ=="' }, body: { deviceId: caId, status: 'disabled', authentication: { type: 'certificateAuthority' } } });
    assertHubError(stale, 412, 'PreconditionFailed');
    const disabled = await hub(`/devices/${caId}${API}`, { method: 'PUT', headers: { 'If-Match': `"${String(device.etag)}"` }, body: { deviceId: caId, status: 'disabled', authentication: { type: 'certificateAuthority' } } });
    assert.equal(disabled.status, 200, disabled.text);
    const after = disabled.json as Json;
    assert.equal(after.status, 'disabled');
    assert.equal(after.generationId, device.generationId, 'an update keeps the generation');
    assert.notEqual(after.etag, device.etag);
    assert.notEqual(after.statusUpdatedTime, '0001-01-01T00:00:00Z');

    assertHubError(await hub(`/devices/${caId}${API}`, { method: 'DELETE', headers: { 'If-Match': `"${String(device.etag)}"` } }), 412, 'PreconditionFailed');
    assert.equal((await hub(`/devices/${caId}${API}`, { method: 'DELETE', headers: { 'If-Match': '*' } })).status, 204);
    assertHubError(await hub(`/devices/${caId}${API}`), 404, 'DeviceNotFound', new RegExp(`;${caId}$`));
    assertHubError(await hub(`/devices/${caId}${API}`, { method: 'DELETE', headers: { 'If-Match': '*' } }), 404, 'DeviceNotFound');
    assertHubError(await hub(`/devices/${caId}${API}`, { method: 'PUT', headers: { 'If-Match': '*' }, body: { deviceId: caId } }), 404, 'DeviceNotFound');
    assert.equal((await hub(`/devices/${sasId}${API}`, { method: 'DELETE' })).status, 204);
  });

  it('refuses bad device IDs and bodies with ArgumentInvalid', async () => {
    const [id] = seededDeviceIds(testSeed(), 1) as [string];
    assertHubError(await hub(`/devices/${'a'.repeat(129)}${API}`, { method: 'PUT', body: {} }), 400, 'ArgumentInvalid', /up to 128/);
    assertHubError(await hub(`/devices/${encodeURIComponent('bad/id~')}${API}`, { method: 'PUT', body: {} }), 400, 'ArgumentInvalid');
    assertHubError(await hub(`/devices/${id}${API}`, { method: 'PUT', body: { deviceId: 'other' } }), 400, 'ArgumentInvalid', /not the one in the path/);
    assertHubError(await hub(`/devices/${id}${API}`, { method: 'PUT', body: { authentication: { type: 'password' } } }), 400, 'ArgumentInvalid', /authentication\.type/);
    assertHubError(await hub(`/devices/${id}${API}`, { method: 'PUT', body: { authentication: { type: 'selfSigned' } } }), 400, 'ArgumentInvalid', /primaryThumbprint/);
    assertHubError(await hub(`/devices/${id}${API}`, { method: 'PUT', body: 'not json' }), 400, 'ArgumentInvalid');
    assertHubError(await hub(`/devices/${id}`), 400, 'ArgumentInvalid', /api-version/);
    assertHubError(await hub(`/twins/${id}${API}`), 404, 'NotFound');
  });

  it('queries SELECT * FROM devices in pages with x-ms-max-item-count and x-ms-continuation, and a WHERE on a property', async () => {
    const ids = seededDeviceIds(testSeed(), 5);
    for (const [i, id] of ids.entries()) {
      const res = await hub(`/devices/${id}${API}`, { method: 'PUT', body: { deviceId: id, status: i % 2 ? 'disabled' : 'enabled', authentication: { type: 'certificateAuthority' } } });
      assert.equal(res.status, 200, res.text);
    }
    const seen: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const res = await hub(`/devices/query${API}`, { method: 'POST', headers: { 'x-ms-max-item-count': '2', ...(continuation ? { 'x-ms-continuation': continuation } : {}) }, body: { query: 'SELECT * FROM devices' } });
      assert.equal(res.status, 200, res.text);
      const page = res.json as Json[];
      assert.ok(page.length <= 2);
      for (const twin of page) {
        assert.equal(twin.authenticationType, 'certificateAuthority');
        assert.deepEqual((twin.properties as Json).desired, { $version: 1 });
      }
      seen.push(...page.map((t) => String(t.deviceId)));
      continuation = res.headers['x-ms-continuation'] as string | undefined;
      pages++;
    } while (continuation);
    assert.deepEqual(seen, ids);
    assert.equal(pages, 3);

    const enabled = await hub(`/devices/query${API}`, { method: 'POST', body: { query: "SELECT * FROM devices WHERE status = 'enabled' AND capabilities.iotEdge = false" } });
    assert.deepEqual((enabled.json as Json[]).map((t) => t.deviceId), ids.filter((_, i) => i % 2 === 0));
    assertHubError(await hub(`/devices/query${API}`, { method: 'POST', body: { query: 'SELECT deviceId FROM devices.modules' } }), 400, 'ArgumentInvalid', /not supported/);
    assertHubError(
      await hub(`/devices/query${API}`, { method: 'POST', headers: { 'x-ms-continuation': 'bm90IGEgdG9rZW4' }, body: { query: 'SELECT * FROM devices' } }),
      400,
      'ArgumentInvalid',
      /continuation/,
    );
    for (const id of ids) await hub(`/devices/${id}${API}`, { method: 'DELETE', headers: { 'If-Match': '*' } });
  });

  it('refuses a missing, wrong, expired, foreign or under-privileged SAS token with 401 IotHubUnauthorizedAccess', async () => {
    const [id] = seededDeviceIds(testSeed(), 1) as [string];
    const ownerKey = await policyKey(emulator, armToken, emulator.seed.hubs.contosoHub, 'iothubowner');
    const readKey = await policyKey(emulator, armToken, emulator.seed.hubs.contosoHub, 'registryRead');
    const fabrikamKey = await policyKey(emulator, await tokenFor(emulator, 'jordan@fabrikam.com', ARM_SCOPE), emulator.seed.hubs.fabrikamHub, 'iothubowner');
    const cases: [string | null, RegExp][] = [
      [null, /no SharedAccessSignature/],
      ['Bearer abc', /not a SharedAccessSignature/],
      [serviceSas(host, 'iothubowner', ownerKey, Math.floor(Date.now() / 1000) - 10), /expired/],
      [serviceSas(host, 'iothubowner', fabrikamKey), /does not match/],
      [serviceSas(emulator.hubHostName('fabrikam-hub'), 'iothubowner', ownerKey), /another resource/],
      [serviceSas(host, 'nobody', ownerKey), /no shared access policy named 'nobody'/],
    ];
    for (const [sas, reason] of cases) {
      const res = await hub(`/devices${API}`, {}, sas);
      assertHubError(res, 401, 'IotHubUnauthorizedAccess', reason);
      assert.doesNotMatch(res.text, new RegExp(ownerKey.replace(/[+/=]/g, '.')), 'the key never appears in an error');
    }
    const reader = serviceSas(host, 'registryRead', readKey);
    assert.equal((await hub(`/devices${API}`, {}, reader)).status, 200, 'registryRead may list');
    assertHubError(await hub(`/devices/${id}${API}`, { method: 'PUT', body: { deviceId: id } }, reader), 401, 'IotHubUnauthorizedAccess', /does not grant RegistryWrite/);
    assertHubError(await hub('/$emulator/telemetry', {}, reader), 401, 'IotHubUnauthorizedAccess', /does not grant ServiceConnect/);
  });
});
