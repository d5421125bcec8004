// The security service API over real HTTPS with tokens from the real token endpoint: the shapes of
// docs/cloud-api.md#security-service-api, roles and the checks they imply, one-way claims, tenant creation rules,
// paging, bearer verification, isolation, throttling.
import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { ARM_SCOPE, call, deviceId, removeDir, seededEmulatorPerSuite, assertApiError, tokensFor, startSeeded, tokenFor } from '../../helpers/cloud-emulator';

type Json = Record<string, unknown>;

describe('cloud emulator: security service API', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;
  let tokens: Record<string, string>;
  let contoso: string;
  let fabrikam: string;

  before(async () => {
    emulator = seeded.emulator;
    tokens = await tokensFor(emulator, ['avery@contoso.com', 'parker@contoso.com', 'riley@contoso.com', 'morgan@contoso.com', 'quinn@contoso.com', 'jordan@fabrikam.com']);
    contoso = emulator.seed.tenants.contoso.id;
    fabrikam = emulator.seed.tenants.fabrikam.id;
  });

  const as = (user: string, path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, path, { ...opts, token: tokens[user] });


  it('lists tenants as a bare array of {Id, Name, Roles} and gets one', async () => {
    const res = await as('avery@contoso.com', '/v2/tenants');
    assert.equal(res.status, 200);
    const names = (res.json as Json[]).map((t) => t.Name).sort();
    assert.deepEqual(names, ['Contoso Fleet', 'Contoso Tenant']);
    const one = await as('parker@contoso.com', `/v2/tenants/${contoso}`);
    assert.deepEqual(one.json, { Id: contoso, Name: 'Contoso Tenant', Roles: ['Contributor'] });
    assert.deepEqual((await as('morgan@contoso.com', '/v2/tenants')).json, []);
  });

  it('verifies bearer tokens: missing, tampered, wrong audience, expired and future ones are refused with 401', async () => {
    assert.equal((await call(emulator, '/v2/tenants')).status, 401);
    const [h, p, s] = tokens['avery@contoso.com']!.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Json;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, oid: emulator.seed.users.jordan.oid })).toString('base64url')}.${s}`;
    const tampered = await call(emulator, '/v2/tenants', { token: forged });
    assert.equal(tampered.status, 401);
    assert.match(String((tampered.json as Json).Message), /signature/);

    const armToken = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    const wrongAudience = await call(emulator, '/v2/tenants', { token: armToken });
    assert.equal(wrongAudience.status, 401);
    assert.match(String((wrongAudience.json as Json).Message), /audience/);

    try {
      emulator.testHooks.setAccessTokenLifetime(60);
      emulator.testHooks.setIssuedTokenClockOffset(-400); // exp = now - 340 s: outside the 300 s tolerance
      const expired = await tokenFor(emulator, 'avery@contoso.com');
      assert.match(String(((await call(emulator, '/v2/tenants', { token: expired })).json as Json).Message), /expired/);
      emulator.testHooks.setIssuedTokenClockOffset(-200); // exp = now - 140 s: inside the tolerance
      assert.equal((await call(emulator, '/v2/tenants', { token: await tokenFor(emulator, 'avery@contoso.com') })).status, 200);
      emulator.testHooks.setAccessTokenLifetime(3600);
      emulator.testHooks.setIssuedTokenClockOffset(600); // nbf ten minutes ahead
      const future = await call(emulator, '/v2/tenants', { token: await tokenFor(emulator, 'avery@contoso.com') });
      assert.equal(future.status, 401);
      assert.match(String((future.json as Json).Message), /not valid yet/);
    } finally {
      emulator.testHooks.setAccessTokenLifetime(3600);
      emulator.testHooks.setIssuedTokenClockOffset(0);
    }
  });

  it('honours a configured clock tolerance (0 s: a token 5 s in the future is refused)', async () => {
    const strict = await startSeeded({ clockToleranceSec: 0 });
    try {
      strict.emulator.testHooks.setIssuedTokenClockOffset(5);
      const res = await call(strict.emulator, '/v2/tenants', { token: await tokenFor(strict.emulator, 'avery@contoso.com') });
      assert.equal(res.status, 401);
      assert.match(String((res.json as Json).Message), /not valid yet/);
      strict.emulator.testHooks.setIssuedTokenClockOffset(0);
      assert.equal((await call(strict.emulator, '/v2/tenants', { token: await tokenFor(strict.emulator, 'avery@contoso.com') })).status, 200);
    } finally {
      await strict.emulator.close();
      removeDir(strict.stateDir);
    }
  });

  it('register-user: an unregistered user is refused until registered', async () => {
    assertApiError(await as('quinn@contoso.com', '/v2/tenants'), 403, 6, /not registered/);
    const reg = await as('quinn@contoso.com', '/v2/users/register', { method: 'POST' });
    assert.equal(reg.status, 200);
    assert.deepEqual(reg.json, { PrincipalId: emulator.seed.users.quinn.oid, DisplayName: 'Quinn Patel', Mail: 'quinn@contoso.com' });
    assert.equal((await as('quinn@contoso.com', '/v2/tenants')).status, 200);
    // register-user --new-user <email>: registering another account of the directory by email
    const other = await as('avery@contoso.com', '/v2/users/register', { method: 'POST', body: { Email: 'morgan@contoso.com' } });
    assert.equal((other.json as Json).PrincipalId, emulator.seed.users.morgan.oid);
    assertApiError(await as('avery@contoso.com', '/v2/users/register', { method: 'POST', body: { Email: 'ghost@contoso.com' } }), 404, 8);
  });

  it('users and roles: Administrator assigns and removes; others cannot; the last Administrator stays', async () => {
    const users = await as('riley@contoso.com', `/v2/tenants/${contoso}/users`);
    assert.equal(users.status, 200);
    const body = users.json as { TenantId: string; Principals: Json[] };
    assert.equal(body.TenantId, contoso);
    assert.deepEqual(body.Principals.find((p) => p.Mail === 'avery@contoso.com'), {
      PrincipalId: emulator.seed.users.avery.oid,
      DisplayName: 'Avery Howard',
      Mail: 'avery@contoso.com',
      Roles: ['Administrator'],
    });
    assertApiError(await as('parker@contoso.com', `/v2/tenants/${contoso}/users/morgan@contoso.com/role`, { method: 'PUT', body: { Role: 'Reader' } }), 403, 6, /Contributor role cannot assign roles/);
    const added = await as('avery@contoso.com', `/v2/tenants/${contoso}/users/morgan@contoso.com/role`, { method: 'PUT', body: { Role: 'Reader' } });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual((added.json as Json).Roles, ['Reader']);
    assert.deepEqual(((await as('morgan@contoso.com', `/v2/tenants/${contoso}`)).json as Json).Roles, ['Reader']);
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/users/morgan@contoso.com/role`, { method: 'PUT', body: { Role: 'Owner' } }), 400, 5, /not valid/);
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/users/jordan@fabrikam.com/role`, { method: 'PUT', body: { Role: 'Reader' } }), 400, 5, /another directory/);
    const removed = await as('avery@contoso.com', `/v2/tenants/${contoso}/users/morgan@contoso.com/role/Reader`, { method: 'DELETE' });
    assert.deepEqual((removed.json as Json).Roles, []);
    assertApiError(await as('morgan@contoso.com', `/v2/tenants/${contoso}`), 403, 6);
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/users/avery@contoso.com/role/Administrator`, { method: 'DELETE' }), 409, 7, /at least one Administrator/);
    assert.deepEqual((await as('avery@contoso.com', '/v2/roles')).json, ['Administrator', 'Contributor', 'Reader']);
    const byUser = await as('riley@contoso.com', `/v2/tenants/${contoso}/users/${emulator.seed.users.parker.oid}/role`);
    assert.deepEqual(byUser.json, { PrincipalId: emulator.seed.users.parker.oid, DisplayName: 'Parker Jones', Mail: 'parker@contoso.com', Roles: ['Contributor'] });
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/users/nobody@contoso.com/role`), 404, 8);
  });

  it('claim: 202 Operation, same tenant again is fine, another tenant is a Conflict, Reader cannot claim', async () => {
    const id = deviceId(0x1001);
    const claimed = await as('parker@contoso.com', `/v2/tenants/${contoso}/devices/${id.toLowerCase()}/claim`, { method: 'PUT' });
    assert.equal(claimed.status, 202, claimed.text);
    const op = claimed.json as Json;
    assert.deepEqual(Object.keys(op).sort(), ['CompletedDateUTC', 'CreatedDateUTC', 'DetailsLocation', 'Error', 'OperationId', 'OperationType', 'ResourceLocation', 'StartedDateUTC', 'State', 'TenantId']);
    assert.equal(op.OperationType, 0);
    assert.equal(op.State, 2);
    assert.equal(op.TenantId, contoso);
    const polled = await as('riley@contoso.com', `/v2/tenants/${contoso}/operations/${String(op.OperationId)}`);
    assert.deepEqual(polled.json, op);

    assert.equal((await as('avery@contoso.com', `/v2/tenants/${contoso}/devices/${id}/claim`, { method: 'PUT' })).status, 202);
    assertApiError(await as('jordan@fabrikam.com', `/v2/tenants/${fabrikam}/devices/${id}/claim`, { method: 'PUT' }), 409, 7, /never be moved/);
    assertApiError(await as('riley@contoso.com', `/v2/tenants/${contoso}/devices/${deviceId(0x1002)}/claim`, { method: 'PUT' }), 403, 6, /Reader role cannot claim/);
    assertApiError(await as('parker@contoso.com', `/v2/tenants/${contoso}/devices/ABC/claim`, { method: 'PUT' }), 400, 5, /128 hexadecimal/);

    const device = await as('riley@contoso.com', `/v2/tenants/${contoso}/devices/${id}`);
    assert.deepEqual(device.json, {
      DeviceId: id,
      TenantId: contoso,
      ProductId: null,
      DeviceGroupId: null,
      ChipSku: 0,
      LastAvailableOSVersion: null,
      LastInstalledOSVersion: null,
      LastOSUpdateUTC: null,
      LastUpdateRequestUTC: null,
    });
    assertApiError(await as('jordan@fabrikam.com', `/v2/tenants/${fabrikam}/devices/${id}`), 404, 8);
  });

  it('pages the device list with Items, ContinuationToken, Sphere-Continuation and maxPageSize', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: emulator.caCertPem });
    try {
      const ids = Array.from({ length: 23 }, (_, i) => deviceId(0x2000 + i));
      await Promise.all(ids.map((id) => as('avery@contoso.com', `/v2/tenants/${contoso}/devices/${id}/claim`, { method: 'PUT', agent })));
      const seen: string[] = [];
      let continuation: string | null = null;
      let pages = 0;
      do {
        const res = await as('avery@contoso.com', `/v2/tenants/${contoso}/devices?maxPageSize=5`, { headers: continuation ? { 'Sphere-Continuation': continuation } : {}, agent });
        assert.equal(res.status, 200, res.text);
        const body = res.json as { Items: Json[]; ContinuationToken: string | null };
        assert.ok(body.Items.length <= 5);
        seen.push(...body.Items.map((d) => String(d.DeviceId)));
        continuation = body.ContinuationToken;
        pages += 1;
      } while (continuation);
      assert.equal(new Set(seen).size, seen.length, 'no device twice');
      for (const id of ids) assert.ok(seen.includes(id), `${id} listed`);
      assert.ok(pages >= 5);
      assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/devices`, { headers: { 'Sphere-Continuation': 'garbage' } }), 400, 5, /Sphere-Continuation/);
      assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/devices?maxPageSize=0`), 400, 5, /maxPageSize/);
    } finally {
      agent.destroy();
    }
  });

  it('tenant create: needs registration and an unused unclaimed board; one tenant per board; a second tenant in a directory needs ForceAdditional', async () => {
    const board = emulator.seed.availableDeviceIds[0];
    assertApiError(await as('jordan@fabrikam.com', '/v2/tenants/create', { method: 'POST', body: { DeviceId: emulator.seed.claimedDeviceIds[0], TenantFriendlyName: 'X' } }), 409, 7, /already claimed/);
    assertApiError(await as('jordan@fabrikam.com', '/v2/tenants/create', { method: 'POST', body: { DeviceId: board, TenantFriendlyName: 'Fabrikam Two' } }), 409, 7, /already has an Azure Sphere tenant/);
    assertApiError(await as('jordan@fabrikam.com', '/v2/tenants/create', { method: 'POST', body: { DeviceId: board, TenantFriendlyName: '' } }), 400, 5, /TenantFriendlyName/);
    assertApiError(await as('jordan@fabrikam.com', '/v2/tenants/create', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } }), 400, 5, /not valid JSON/);

    const created = await as('jordan@fabrikam.com', '/v2/tenants/create', { method: 'POST', body: { DeviceId: board, TenantFriendlyName: 'Fabrikam Two', ForceAdditional: true } });
    assert.equal(created.status, 200, created.text);
    const op = created.json as Json;
    assert.equal(op.OperationType, 8);
    assert.equal(op.State, 2);
    const newTenant = String(op.TenantId);
    assert.equal(op.ResourceLocation, `/v2/tenants/${newTenant}`);
    assert.deepEqual((await as('jordan@fabrikam.com', `/v2/tenants/${newTenant}`)).json, { Id: newTenant, Name: 'Fabrikam Two', Roles: ['Administrator'] });
    assertApiError(await as('jordan@fabrikam.com', '/v2/tenants/create', { method: 'POST', body: { DeviceId: board, TenantFriendlyName: 'Fabrikam Three', ForceAdditional: true } }), 409, 7, /already been used to create a tenant/);
    // The board is still unclaimed: it can now be claimed into the new tenant.
    assert.equal((await as('jordan@fabrikam.com', `/v2/tenants/${newTenant}/devices/${board}/claim`, { method: 'PUT' })).status, 202);
    const certs = (await as('jordan@fabrikam.com', `/v2/tenants/${newTenant}/certificates`)).json as Json[];
    assert.equal(certs.length, 1, 'a new tenant gets its own CA');
  });

  it('isolation: a user from another directory gets 403 from every tenant-scoped endpoint', async () => {
    const board = deviceId(0x3001);
    const paths: [string, string, object?][] = [
      ['GET', `/v2/tenants/${contoso}`],
      ['GET', `/v2/tenants/${contoso}/users`],
      ['GET', `/v2/tenants/${contoso}/users/avery@contoso.com/role`],
      ['PUT', `/v2/tenants/${contoso}/users/jordan@fabrikam.com/role`, { Role: 'Administrator' }],
      ['DELETE', `/v2/tenants/${contoso}/users/avery@contoso.com/role/Administrator`],
      ['GET', `/v2/tenants/${contoso}/devices`],
      ['GET', `/v2/tenants/${contoso}/devices/${emulator.seed.claimedDeviceIds[0]}`],
      ['PUT', `/v2/tenants/${contoso}/devices/${board}/claim`],
      ['GET', `/v2/tenants/${contoso}/operations/00000000-0000-0000-0000-000000000000`],
      ['GET', `/v2/tenants/${contoso}/certificates`],
      ['GET', `/v2/tenants/${contoso}/cert`],
      ['GET', `/v2/tenants/${contoso}/certchain`],
      ['GET', `/v2/tenants/${contoso}/verification/ABC123`],
    ];
    for (const [method, path, body] of paths) {
      const res = await as('jordan@fabrikam.com', path, { method, body });
      assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
      assert.equal((res.json as Json).Code, 6);
    }
    assert.ok(!((await as('jordan@fabrikam.com', '/v2/tenants')).json as Json[]).some((t) => t.Id === contoso));
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/devices/${board}`), 404, 8);
  });

  it('injected throttling answers 429 with Retry-After, then lets requests through', async () => {
    emulator.testHooks.throttleNext(2, 7);
    const first = await as('avery@contoso.com', '/v2/tenants');
    assert.equal(first.status, 429);
    assert.equal(first.headers['retry-after'], '7');
    assert.equal((first.json as Json).Code, 0);
    assert.equal((await as('avery@contoso.com', '/v2/tenants')).status, 429);
    assert.equal((await as('avery@contoso.com', '/v2/tenants')).status, 200);
  });
});
