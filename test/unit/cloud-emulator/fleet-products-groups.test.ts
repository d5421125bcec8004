// Products and device groups as the emulator manages them over real HTTPS: create (a product as a 202 Operation that
// runs InProgress then Complete, with or without its default groups; a group at once), read by ID and by name,
// rename and change, delete (an Operation, refused with the device count while devices are in), the naming rules
// and uniqueness in the service's words, who may do what (Reader reads, Contributor creates and changes, only an
// Administrator deletes), a deletion that fails because a device moved in while it ran, and all of it — including an
// Operation still running — kept across a restart.
import assert from 'node:assert/strict';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud/index';
import { assertApiError, call, removeDir, seededEmulatorPerSuite, seededStateDir, tokenFor, tokensFor } from '../../helpers/cloud-emulator';
import { operationEnd, type Json } from '../../helpers/fleet-emulator';

const DEFAULT_NAMES = ['Development', 'Field Test', 'Production', 'Production OS Evaluation', 'Field Test OS Evaluation'];

describe('cloud emulator: creating, changing and deleting products and device groups', () => {
  const seeded = seededEmulatorPerSuite({ operationDelayMs: 0 });
  let emulator: CloudEmulator;
  let tokens: Record<string, string>;
  let contoso: string;

  before(async () => {
    emulator = seeded.emulator;
    tokens = await tokensFor(emulator, ['avery@contoso.com', 'parker@contoso.com', 'riley@contoso.com']);
    contoso = emulator.seed.tenants.contoso.id;
  });
  afterEach(() => emulator.testHooks.setOperationDelay(0));

  const as = (user: string, path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, `/v2/tenants/${contoso}${path}`, { ...opts, token: tokens[`${user}@contoso.com`] });
  const createProduct = async (user: string, body: Json): Promise<Json> => {
    const res = await as(user, '/products', { method: 'POST', body });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.headers.location, `/v2/tenants/${contoso}/operations/${String((res.json as Json).OperationId)}`);
    return res.json as Json;
  };
  const productIdOf = (op: Json) => /products\/([0-9a-f-]{36})$/.exec(String(op.ResourceLocation))![1]!;
  const groupNames = async (productId: string) => ((await as('riley', `/products/${productId}/deviceGroups`)).json as { Items: Json[] }).Items.map((g) => g.Name);

  it('creates a product as an Operation (type 4) that goes InProgress → Complete, its default groups made on completion', async () => {
    emulator.testHooks.setOperationDelay(60_000);
    const op = await createProduct('parker', { Name: 'Coffee Maker', Description: 'CM-200', CreateDefaultGroups: true });
    assert.equal(op.OperationType, 4);
    assert.equal(op.State, 1, 'InProgress as answered');
    assert.equal(op.CompletedDateUTC, null);
    const id = productIdOf(op);
    // The product exists from the start (a client that lost the answer finds it by name); its groups do not yet.
    assert.deepEqual((await as('riley', `/products/name/coffee maker`)).json, { Id: id, TenantId: contoso, Name: 'Coffee Maker', Description: 'CM-200' });
    assert.deepEqual(await groupNames(id), []);
    assert.equal(((await as('riley', `/operations/${String(op.OperationId)}`)).json as Json).State, 1);

    emulator.testHooks.settleOperations();
    const done = await operationEnd(emulator, tokens['riley@contoso.com']!, op);
    assert.equal(done.State, 2);
    assert.equal(done.Error, null);
    assert.ok(typeof done.CompletedDateUTC === 'string');
    assert.deepEqual(await groupNames(id), DEFAULT_NAMES);
    const groups = ((await as('riley', `/products/${id}/deviceGroups`)).json as { Items: Json[] }).Items;
    assert.deepEqual(
      groups.map((g) => [g.UpdatePolicy, g.OsFeedType]),
      [[1, 0], [0, 0], [0, 0], [0, 1], [0, 1]],
    );
  });

  it('creates a product without default groups, reads it by ID and name, renames it and changes its description', async () => {
    const op = await createProduct('avery', { Name: 'Dishwasher', Description: 'DW100' });
    assert.equal(op.State, 2, 'a delay of 0 ends the Operation within its request');
    const id = productIdOf(op);
    assert.deepEqual(await groupNames(id), []);
    const renamed = await as('parker', `/products/${id}`, { method: 'PATCH', body: { Name: 'Dishwasher Pro' } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual(renamed.json, { Id: id, TenantId: contoso, Name: 'Dishwasher Pro', Description: 'DW100' });
    assert.equal(((await as('parker', `/products/${id}`, { method: 'PATCH', body: { Description: 'DW100 with Wi-Fi' } })).json as Json).Description, 'DW100 with Wi-Fi');
    assert.equal(((await as('riley', `/products/${id.toUpperCase()}`)).json as Json).Name, 'Dishwasher Pro');
    assertApiError(await as('riley', '/products/name/Dishwasher'), 404, 8, /No product named 'Dishwasher'/);
    const listed = ((await as('riley', '/products')).json as { Items: Json[] }).Items.map((p) => p.Name);
    assert.ok(listed.includes('Dishwasher Pro') && !listed.includes('Dishwasher'));
  });

  it('refuses names that are too long, have forbidden characters or are taken (any case), in the service’s words', async () => {
    const rule = /names for products and device groups can only contain alphanumeric characters and spaces, and cannot exceed 50 characters/;
    for (const Name of ['x'.repeat(51), 'Coffee-Maker', 'Café', 'Tab\there', '', '   ', 42]) {
      assertApiError(await as('avery', '/products', { method: 'POST', body: { Name } }), 400, 5, rule);
    }
    assertApiError(await as('avery', '/products', { method: 'POST', body: { Name: ' Padded' } }), 400, 5, /cannot start or end with a space/);
    assertApiError(await as('avery', '/products', { method: 'POST', body: { Name: 'contoso THERMOSTAT' } }), 409, 7, /A product named 'Contoso Thermostat' already exists in tenant 'Contoso Tenant'/);
    assertApiError(await as('avery', '/products', { method: 'POST', body: { Name: 'Ok', Description: 'd'.repeat(101) } }), 400, 5, /at most 100/);
    assertApiError(await as('avery', '/products', { method: 'POST', body: { Name: 'Ok', CreateDefaultGroups: 'yes' } }), 400, 5, /CreateDefaultGroups must be true or false/);
    assertApiError(await as('avery', '/products', { method: 'POST', body: '[1]', headers: { 'content-type': 'application/json' } }), 400, 5, /JSON object/);
    // Exactly 50 letters, digits and spaces is fine.
    const fifty = `Max ${'9'.repeat(46)}`;
    assert.equal(fifty.length, 50);
    assert.equal((await createProduct('avery', { Name: fifty })).State, 2);
    const thermostat = emulator.seed.products.thermostat;
    assertApiError(await as('avery', `/products/${thermostat.id}`, { method: 'PATCH', body: { Name: fifty.toLowerCase() } }), 409, 7, /already exists/);
    assertApiError(await as('avery', '/devicegroups', { method: 'POST', body: { Name: 'field test', ProductId: thermostat.id } }), 409, 7, /Product 'Contoso Thermostat' already has a device group named 'Field Test'/);
    assertApiError(await as('avery', '/devicegroups', { method: 'POST', body: { Name: 'Lab#1', ProductId: thermostat.id } }), 400, 5, rule);
    assertApiError(await as('avery', `/devicegroups/${thermostat.groups.production}`, { method: 'PATCH', body: { Name: 'y'.repeat(51) } }), 400, 5, rule);
  });

  it('creates a device group at once (200 DeviceGroupV2), finds it by names, changes its OS feed, update policy and crash dumps', async () => {
    const thermostat = emulator.seed.products.thermostat;
    const res = await as('parker', '/devicegroups', { method: 'POST', body: { Name: 'Beta Testers', Description: 'Friends and family', ProductId: thermostat.id.toUpperCase(), OsFeedType: 1, UpdatePolicy: 0 } });
    assert.equal(res.status, 200, res.text);
    const group = res.json as Json;
    assert.deepEqual({ ...group, Id: '' }, { Id: '', TenantId: contoso, OsFeedType: 1, ProductId: thermostat.id, Name: 'Beta Testers', Description: 'Friends and family', CurrentDeployment: null, UpdatePolicy: 0, AllowCrashDumpsCollection: false });
    assert.deepEqual((await as('riley', `/products/name/contoso%20thermostat/devicegroups/name/BETA%20TESTERS`)).json, group);
    assertApiError(await as('riley', `/products/name/Contoso%20Thermostat/devicegroups/name/Nope`), 404, 8, /has no device group named 'Nope'/);

    const patched = await as('parker', `/devicegroups/${String(group.Id)}`, { method: 'PATCH', body: { OSFeedType: 0, UpdatePolicy: 1, AllowCrashDumpsCollection: true, Description: 'Beta' } });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([(patched.json as Json).OsFeedType, (patched.json as Json).UpdatePolicy, (patched.json as Json).AllowCrashDumpsCollection, (patched.json as Json).Description], [0, 1, true, 'Beta']);
    // The DeviceGroupV2 spelling of the feed is taken too; bad values are refused with the allowed ones.
    assert.equal(((await as('parker', `/devicegroups/${String(group.Id)}`, { method: 'PATCH', body: { OsFeedType: 1 } })).json as Json).OsFeedType, 1);
    assertApiError(await as('parker', `/devicegroups/${String(group.Id)}`, { method: 'PATCH', body: { UpdatePolicy: 7 } }), 400, 5, /UpdatePolicy '7' is not valid; use 0 \(UpdateAll\) or 1 \(No3rdPartyAppUpdates\)/);
    assertApiError(await as('parker', `/devicegroups/${String(group.Id)}`, { method: 'PATCH', body: { AllowCrashDumpsCollection: 'on' } }), 400, 5, /true or false/);
    assertApiError(await as('parker', '/devicegroups', { method: 'POST', body: { Name: 'Orphans' } }), 400, 5, /ProductId is required/);
    assertApiError(await as('parker', '/devicegroups', { method: 'POST', body: { Name: 'Orphans', ProductId: '00000000-0000-4000-8000-000000000000' } }), 404, 8, /was not found/);
    const all = ((await as('riley', '/devicegroups')).json as { Items: Json[] }).Items;
    assert.ok(all.some((g) => g.Id === group.Id) && all.every((g) => g.TenantId === contoso));
  });

  it('creates the default groups of a product on request, only those missing, and answers with all five', async () => {
    const id = productIdOf(await createProduct('avery', { Name: 'Kettle' }));
    const first = await as('parker', `/products/${id}/devicegroups`, { method: 'POST' });
    assert.equal(first.status, 200, first.text);
    const items = (first.json as { Items: Json[] }).Items;
    assert.deepEqual(items.map((g) => g.Name), DEFAULT_NAMES);
    const again = await as('parker', `/products/${id}/devicegroups`, { method: 'POST' });
    assert.deepEqual((again.json as { Items: Json[] }).Items, items, 'asking twice makes nothing twice');
    assert.equal((await groupNames(id)).length, 5);
  });

  it('lets a Reader only read, a Contributor create and change but not delete, an Administrator delete', async () => {
    const rejected = /Reader role cannot create products in tenant 'Contoso Tenant'; it needs Administrator or Contributor/;
    assertApiError(await as('riley', '/products', { method: 'POST', body: { Name: 'Toaster' } }), 403, 6, rejected);
    const thermostat = emulator.seed.products.thermostat;
    assertApiError(await as('riley', `/products/${thermostat.id}`, { method: 'PATCH', body: { Description: 'x' } }), 403, 6);
    assertApiError(await as('riley', '/devicegroups', { method: 'POST', body: { Name: 'X', ProductId: thermostat.id } }), 403, 6);
    assertApiError(await as('riley', `/products/${thermostat.id}/devicegroups`, { method: 'POST' }), 403, 6);
    const id = productIdOf(await createProduct('parker', { Name: 'Toaster', CreateDefaultGroups: true }));
    assertApiError(await as('parker', `/products/${id}`, { method: 'DELETE' }), 403, 6, /Contributor role cannot delete products/);
    const group = ((await as('riley', `/products/${id}/deviceGroups`)).json as { Items: Json[] }).Items[0]!;
    assertApiError(await as('parker', `/devicegroups/${String(group.Id)}`, { method: 'DELETE' }), 403, 6, /Contributor role cannot delete device groups/);

    const deleted = await as('avery', `/devicegroups/${String(group.Id)}`, { method: 'DELETE' });
    assert.equal(deleted.status, 202, deleted.text);
    assert.equal((deleted.json as Json).OperationType, 9);
    assertApiError(await as('riley', `/devicegroups/${String(group.Id)}`), 404, 8);
    const gone = await as('avery', `/products/${id}`, { method: 'DELETE' });
    assert.equal((gone.json as Json).OperationType, 10);
    assert.equal((gone.json as Json).State, 2);
    assertApiError(await as('riley', `/products/${id}`), 404, 8);
    assert.deepEqual(((await as('riley', '/devicegroups')).json as { Items: Json[] }).Items.filter((g) => g.ProductId === id), [], 'its groups went with it');
  });

  it('refuses to delete a group or product that still holds devices, saying how many', async () => {
    const thermostat = emulator.seed.products.thermostat;
    const [first, second] = emulator.seed.claimedDeviceIds;
    for (const device of [first, second]) {
      assert.equal((await as('avery', `/devices/${device}/devicegroup`, { method: 'PUT', body: JSON.stringify(thermostat.groups.fieldTest), headers: { 'content-type': 'application/json' } })).status, 202);
    }
    assertApiError(await as('avery', `/devicegroups/${thermostat.groups.fieldTest}`, { method: 'DELETE' }), 409, 7, /Device group 'Field Test' cannot be deleted: it holds 2 devices\. Move them to another device group first\./);
    assertApiError(await as('avery', `/products/${thermostat.id}`, { method: 'DELETE' }), 409, 7, /Product 'Contoso Thermostat' cannot be deleted: its device groups hold 2 devices/);
    assert.equal((await as('riley', '/devicegroups/' + thermostat.groups.fieldTest + '/devices/count')).json, 2);
    assert.equal((await as('riley', `/products/${thermostat.id}/devices/count`)).json, 2);
    assert.equal((await as('riley', '/devices/count')).json, 2);
  });

  it('fails a deletion (State 3, with the reason) when a device moves into the group while it runs; asking again meanwhile gets the same Operation', async () => {
    const thermostat = emulator.seed.products.thermostat;
    emulator.testHooks.setOperationDelay(60_000);
    const started = await as('avery', `/devicegroups/${thermostat.groups.productionOsEvaluation}`, { method: 'DELETE' });
    assert.equal(started.status, 202, started.text);
    const op = started.json as Json;
    assert.equal(op.State, 1);
    const again = await as('avery', `/devicegroups/${thermostat.groups.productionOsEvaluation}`, { method: 'DELETE' });
    assert.equal((again.json as Json).OperationId, op.OperationId);
    // While the deletion runs, the group is still there, and a device moves in.
    const move = await as('parker', `/devices/${emulator.seed.claimedDeviceIds[0]}/devicegroup`, { method: 'PUT', body: JSON.stringify(thermostat.groups.productionOsEvaluation), headers: { 'content-type': 'application/json' } });
    assert.equal(move.status, 202, move.text);
    emulator.testHooks.settleOperations();
    const ended = await operationEnd(emulator, tokens['riley@contoso.com']!, op);
    assert.equal(ended.State, 3);
    assert.deepEqual(ended.Error, { Code: 7, Message: "Device group 'Production OS Evaluation' cannot be deleted: it holds 1 device. Move them to another device group first." });
    assert.equal((await as('riley', `/devicegroups/${thermostat.groups.productionOsEvaluation}`)).status, 200, 'the group stays');
  });

  it('answers malformed and unknown IDs and paths with BadRequest and NotFound', async () => {
    assertApiError(await as('avery', '/products/not-a-guid', { method: 'PATCH', body: {} }), 400, 5, /Product ID 'not-a-guid' is not valid/);
    assertApiError(await as('avery', '/devicegroups/00000000-0000-4000-8000-000000000000', { method: 'DELETE' }), 404, 8);
    assertApiError(await as('avery', `/products?maxPageSize=0`), 400, 5, /maxPageSize/);
    assertApiError(await as('avery', '/products', { headers: { 'Sphere-Continuation': 'bogus' } }), 400, 5, /Sphere-Continuation/);
  });
});

describe('cloud emulator: products and groups across a restart', () => {
  let stateDir: string;
  let emulator: CloudEmulator | undefined;
  beforeEach(async () => {
    stateDir = await seededStateDir();
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    removeDir(stateDir);
  });
  const restart = async (operationDelayMs: number): Promise<{ emu: CloudEmulator; token: string }> => {
    await emulator?.close();
    emulator = await startCloudEmulator({ port: 0, stateDir, seed: true, operationDelayMs });
    return { emu: emulator, token: await tokenFor(emulator, 'avery@contoso.com') };
  };

  it('keeps what was made, renamed and deleted, and finishes an Operation that was still running when it stopped', async () => {
    let { emu, token } = await restart(0);
    const t = emu.seed.tenants.contoso.id;
    const at = (path: string) => `/v2/tenants/${t}${path}`;
    const product = (await call(emu, at('/products'), { method: 'POST', token, body: { Name: 'Fridge' } })).json as Json;
    const productId = /products\/(.+)$/.exec(String(product.ResourceLocation))![1]!;
    const group = (await call(emu, at('/devicegroups'), { method: 'POST', token, body: { Name: 'Lab', ProductId: productId } })).json as Json;
    await call(emu, at(`/devicegroups/${String(group.Id)}`), { method: 'PATCH', token, body: { Name: 'Lab Two', AllowCrashDumpsCollection: true } });
    emu.testHooks.setOperationDelay(60_000);
    const pending = (await call(emu, at('/products'), { method: 'POST', token, body: { Name: 'Oven', CreateDefaultGroups: true } })).json as Json;
    assert.equal(pending.State, 1);

    ({ emu, token } = await restart(0));
    const lab = (await call(emu, at(`/devicegroups/${String(group.Id)}`), { token })).json as Json;
    assert.deepEqual([lab.Name, lab.AllowCrashDumpsCollection], ['Lab Two', true]);
    const ended = await operationEnd(emu, token, pending);
    assert.equal(ended.State, 2, 'the Operation acknowledged before the restart completed after it');
    const ovenId = /products\/(.+)$/.exec(String(pending.ResourceLocation))![1]!;
    assert.equal(((await call(emu, at(`/products/${ovenId}/deviceGroups`), { token })).json as { Items: Json[] }).Items.length, 5);
    assert.equal((await call(emu, at(`/devicegroups/${String(group.Id)}`), { method: 'DELETE', token })).status, 202);

    ({ emu, token } = await restart(0));
    assert.equal((await call(emu, at(`/devicegroups/${String(group.Id)}`), { token })).status, 404);
    assert.equal(((await call(emu, at(`/operations/${String(pending.OperationId)}`), { token })).json as Json).State, 2);
  });
});
