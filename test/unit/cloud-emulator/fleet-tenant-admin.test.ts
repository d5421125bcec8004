// Tenant administration in the emulator: renaming the tenant (Administrators only, the tenant name rules, unique in
// the directory, kept across a restart), the published role paths (POST …/role/{role}/assign and …/unassign) beside
// the emulator's own, and the error report: the seeded events of the seeded devices, newest first, a page at a time,
// for any role.
import assert from 'node:assert/strict';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud/index';
import { assertApiError, call, removeDir, seededEmulatorPerSuite, seededStateDir, tokenFor, tokensFor } from '../../helpers/cloud-emulator';
import type { Json } from '../../helpers/fleet-emulator';

describe('cloud emulator: tenant name, roles and error reports', () => {
  const seeded = seededEmulatorPerSuite({ operationDelayMs: 0 });
  let emulator: CloudEmulator;
  let tokens: Record<string, string>;
  let contoso: string;

  before(async () => {
    emulator = seeded.emulator;
    tokens = await tokensFor(emulator, ['avery@contoso.com', 'parker@contoso.com', 'riley@contoso.com', 'morgan@contoso.com']);
    contoso = emulator.seed.tenants.contoso.id;
  });
  const as = (user: string, path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, `/v2/tenants/${contoso}${path}`, { ...opts, token: tokens[`${user}@contoso.com`] });

  it('renames the tenant (Administrator only) and every role sees the new name', async () => {
    const res = await as('avery', '', { method: 'PATCH', body: { Name: '  Contoso Devices ' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { Id: contoso, Name: 'Contoso Devices', Roles: ['Administrator'] });
    assert.equal(((await as('riley', '')).json as Json).Name, 'Contoso Devices');
    assertApiError(await as('parker', '', { method: 'PATCH', body: { Name: 'Mine' } }), 403, 6, /Contributor role cannot rename the tenant in tenant 'Contoso Devices'; it needs Administrator/);
    assertApiError(await as('riley', '', { method: 'PATCH', body: { Name: 'Mine' } }), 403, 6);
    assertApiError(await as('avery', '', { method: 'PATCH', body: { Name: 'x'.repeat(51) } }), 400, 5, /Name must be 1 to 50 printable characters/);
    assertApiError(await as('avery', '', { method: 'PATCH', body: { Name: 'Bell\u0007' } }), 400, 5, /printable/);
    assertApiError(await as('avery', '', { method: 'PATCH', body: { Name: 'contoso fleet' } }), 409, 7, /A tenant named 'Contoso Fleet' already exists in this directory/);
    assert.equal((await as('avery', '', { method: 'PATCH', body: { Name: 'Contoso Tenant' } })).status, 200);
  });

  it('assigns and unassigns roles on the published paths, Administrator only', async () => {
    const assigned = await as('avery', '/users/morgan@contoso.com/role/Contributor/assign', { method: 'POST' });
    assert.equal(assigned.status, 200, assigned.text);
    assert.deepEqual((assigned.json as Json).Roles, ['Contributor']);
    assert.equal((await as('morgan', '/products')).status, 200, 'the new role works at once');
    assertApiError(await as('parker', '/users/riley@contoso.com/role/Administrator/assign', { method: 'POST' }), 403, 6, /cannot assign roles/);
    assertApiError(await as('avery', '/users/morgan@contoso.com/role/Owner/assign', { method: 'POST' }), 400, 5, /Role 'Owner' is not valid/);
    const unassigned = await as('avery', '/users/morgan@contoso.com/role/contributor/unassign', { method: 'POST' });
    assert.equal(unassigned.status, 200, unassigned.text);
    assert.deepEqual((unassigned.json as Json).Roles, []);
    assertApiError(await as('morgan', '/products'), 403, 6);
  });

  it('serves the seeded error report newest first, a page at a time, to every role', async () => {
    const full = await as('riley', '/getDeviceInsights');
    assert.equal(full.status, 200, full.text);
    const items = (full.json as { Items: Json[]; ContinuationToken: null }).Items;
    assert.equal(items.length, 4);
    assert.deepEqual(Object.keys(items[0]!), ['DeviceId', 'Description', 'EventCategory', 'EventClass', 'EventType', 'EventCount', 'StartTimestampInUnix', 'EndTimestampInUnix']);
    assert.deepEqual(new Set(items.map((e) => e.DeviceId)), new Set(emulator.seed.claimedDeviceIds));
    assert.ok(items.some((e) => e.EventType === 'Planned') && items.some((e) => e.EventType === 'Unplanned'));
    const pages: Json[][] = [];
    let token: string | null = null;
    do {
      const headers: Record<string, string> = token ? { 'Sphere-Continuation': token } : {};
      const page = (await as('avery', '/getDeviceInsights?maxPageSize=3', { headers })).json as { Items: Json[]; ContinuationToken: string | null };
      pages.push(page.Items);
      token = page.ContinuationToken;
    } while (token);
    assert.deepEqual(pages.map((p) => p.length), [3, 1]);
    assert.deepEqual(pages.flat(), items);
    assertApiError(await as('morgan', '/getDeviceInsights'), 403, 6);
    assertApiError(await as('riley', '/getDeviceInsights?maxPageSize=1001'), 400, 5, /maxPageSize/);
  });
});

describe('cloud emulator: a renamed tenant across a restart', () => {
  it('keeps the new name', async () => {
    const stateDir = await seededStateDir();
    let emulator = await startCloudEmulator({ port: 0, stateDir, seed: true });
    try {
      const t = emulator.seed.tenants.fabrikam.id;
      const renamed = await call(emulator, `/v2/tenants/${t}`, { method: 'PATCH', token: await tokenFor(emulator, 'jordan@fabrikam.com'), body: { Name: 'Fabrikam Labs' } });
      assert.equal(renamed.status, 200, renamed.text);
      await emulator.close();
      emulator = await startCloudEmulator({ port: 0, stateDir, seed: true });
      assert.equal(((await call(emulator, `/v2/tenants/${t}`, { token: await tokenFor(emulator, 'jordan@fabrikam.com') })).json as Json).Name, 'Fabrikam Labs');
    } finally {
      await emulator.close();
      removeDir(stateDir);
    }
  });
});
