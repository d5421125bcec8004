// The fleet endpoints over real HTTPS with tokens from the real token endpoint: the seeded product and its default
// device groups in the legacy v2 shapes, who may read and who may move, the move as a 202 Operation that the device
// listing reflects, a group of another tenant refused, and moves (and the seeded fleet) kept across a restart.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud/index';
import { call, deviceId, removeDir, seededEmulatorPerSuite, assertApiError, tokensFor, seededStateDir, tokenFor } from '../../helpers/cloud-emulator';

type Json = Record<string, unknown>;
const GROUP_KEYS = ['AllowCrashDumpsCollection', 'CurrentDeployment', 'Description', 'Id', 'Name', 'OsFeedType', 'ProductId', 'TenantId', 'UpdatePolicy'];


describe('cloud emulator: products, device groups and device moves', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;
  let tokens: Record<string, string>;
  let contoso: string;
  let product: CloudEmulator['seed']['products']['thermostat'];

  before(async () => {
    emulator = seeded.emulator;
    tokens = await tokensFor(emulator, ['avery@contoso.com', 'parker@contoso.com', 'riley@contoso.com', 'morgan@contoso.com', 'jordan@fabrikam.com']);
    contoso = emulator.seed.tenants.contoso.id;
    product = emulator.seed.products.thermostat;
  });

  const as = (user: string, path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, path, { ...opts, token: tokens[user] });
  /** A move: the body is the group ID as a bare JSON string. */
  const move = (user: string, tenantId: string, device: string, body: string) =>
    as(user, `/v2/tenants/${tenantId}/devices/${device}/devicegroup`, { method: 'PUT', body, headers: { 'content-type': 'application/json' } });

  it('lists the tenant’s products as {Items:[Product]} for every role, and reads one', async () => {
    for (const user of ['avery@contoso.com', 'riley@contoso.com']) {
      const res = await as(user, `/v2/tenants/${contoso}/products`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { Items: [{ Id: product.id, TenantId: contoso, Name: 'Contoso Thermostat', Description: product.description }], ContinuationToken: null });
    }
    assert.deepEqual((await as('avery@contoso.com', `/v2/tenants/${contoso}/products/${product.id.toUpperCase()}`)).json, { Id: product.id, TenantId: contoso, Name: 'Contoso Thermostat', Description: product.description });
    assert.deepEqual((await as('jordan@fabrikam.com', `/v2/tenants/${emulator.seed.tenants.fabrikam.id}/products`)).json, { Items: [], ContinuationToken: null });
    assertApiError(await as('morgan@contoso.com', `/v2/tenants/${contoso}/products`), 403, 6, /does not have access/);
    assertApiError(await as('jordan@fabrikam.com', `/v2/tenants/${contoso}/products`), 403, 6);
  });

  it('lists the five default device groups as DeviceGroupV2, Development without app updates, the OS Evaluation groups on RetailEval', async () => {
    const res = await as('riley@contoso.com', `/v2/tenants/${contoso}/products/${product.id}/deviceGroups`);
    assert.equal(res.status, 200, res.text);
    const groups = (res.json as { Items: Json[] }).Items;
    for (const g of groups) {
      assert.deepEqual(Object.keys(g).sort(), GROUP_KEYS);
      assert.equal(g.TenantId, contoso);
      assert.equal(g.ProductId, product.id);
      assert.equal(g.CurrentDeployment, null);
      assert.equal(g.AllowCrashDumpsCollection, false);
    }
    assert.deepEqual(
      groups.map((g) => [g.Name, g.UpdatePolicy, g.OsFeedType]),
      [
        ['Development', 1, 0],
        ['Field Test', 0, 0],
        ['Production', 0, 0],
        ['Production OS Evaluation', 0, 1],
        ['Field Test OS Evaluation', 0, 1],
      ],
    );
    assert.deepEqual(groups.map((g) => g.Id), Object.values(product.groups));
    // The lower-case spelling of the path works too, and one group reads back alike.
    assert.equal((await as('riley@contoso.com', `/v2/tenants/${contoso}/products/${product.id}/devicegroups`)).status, 200);
    assert.deepEqual((await as('riley@contoso.com', `/v2/tenants/${contoso}/devicegroups/${product.groups.development}`)).json, groups[0]);
  });

  it('answers unknown or malformed product and group IDs with NotFound and BadRequest', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/products/${unknown}`), 404, 8, /Product '.*' was not found/);
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/products/${unknown}/deviceGroups`), 404, 8);
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/devicegroups/${unknown}`), 404, 8, /Device group '.*' was not found/);
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${contoso}/devicegroups/nope`), 400, 5, /must be a GUID/);
    // Another tenant's group is not found from here, even for someone who is Administrator of both.
    assertApiError(await as('avery@contoso.com', `/v2/tenants/${emulator.seed.tenants.contosoFleet.id}/devicegroups/${product.groups.development}`), 404, 8);
  });

  it('moves a claimed device: 202 Operation (type 2) with Location; the device then shows its product and group', async () => {
    const device = emulator.seed.claimedDeviceIds[0];
    const before = (await as('riley@contoso.com', `/v2/tenants/${contoso}/devices/${device}`)).json as Json;
    assert.equal(before.ProductId, null);
    assert.equal(before.DeviceGroupId, null);

    const res = await move('parker@contoso.com', contoso, device.toLowerCase(), JSON.stringify(product.groups.development.toUpperCase()));
    assert.equal(res.status, 202, res.text);
    const op = res.json as Json;
    assert.equal(op.OperationType, 2);
    assert.equal(op.State, 2);
    assert.equal(op.TenantId, contoso);
    assert.equal(op.ResourceLocation, `/v2/tenants/${contoso}/devices/${device}`);
    assert.equal(res.headers.location, `/v2/tenants/${contoso}/operations/${String(op.OperationId)}`);
    assert.deepEqual((await as('riley@contoso.com', `/v2/tenants/${contoso}/operations/${String(op.OperationId)}`)).json, op);

    const after = (await as('riley@contoso.com', `/v2/tenants/${contoso}/devices/${device}`)).json as Json;
    assert.equal(after.ProductId, product.id);
    assert.equal(after.DeviceGroupId, product.groups.development);
    const listed = ((await as('riley@contoso.com', `/v2/tenants/${contoso}/devices`)).json as { Items: Json[] }).Items;
    assert.deepEqual(
      listed.map((d) => [d.DeviceId, d.ProductId, d.DeviceGroupId]),
      [
        [device, product.id, product.groups.development],
        [emulator.seed.claimedDeviceIds[1], null, null],
      ],
    );

    // And on to Field Test, by an Administrator.
    assert.equal((await move('avery@contoso.com', contoso, device, JSON.stringify(product.groups.fieldTest))).status, 202);
    assert.equal(((await as('riley@contoso.com', `/v2/tenants/${contoso}/devices/${device}`)).json as Json).DeviceGroupId, product.groups.fieldTest);
  });

  it('refuses a Reader, a device not in the tenant, a bad device ID and a body that is not a JSON string, and changes nothing', async () => {
    const device = emulator.seed.claimedDeviceIds[1];
    const group = JSON.stringify(product.groups.development);
    assertApiError(await move('riley@contoso.com', contoso, device, group), 403, 6, /Reader role cannot move devices/);
    assertApiError(await move('morgan@contoso.com', contoso, device, group), 403, 6);
    assertApiError(await move('avery@contoso.com', contoso, deviceId(0x7001), group), 404, 8, /not claimed to tenant/);
    assertApiError(await move('avery@contoso.com', contoso, 'ABC', group), 400, 5, /128 hexadecimal/);
    assertApiError(await move('avery@contoso.com', contoso, device, JSON.stringify({ DeviceGroupId: product.groups.development })), 400, 5, /JSON string/);
    assertApiError(await move('avery@contoso.com', contoso, device, product.groups.development), 400, 5, /not valid JSON/);
    assertApiError(await move('avery@contoso.com', contoso, device, ''), 400, 5, /JSON string/);
    assertApiError(await move('avery@contoso.com', contoso, device, '"not-a-guid"'), 400, 5, /must be a GUID/);
    assert.equal(((await as('avery@contoso.com', `/v2/tenants/${contoso}/devices/${device}`)).json as Json).DeviceGroupId, null);
  });

  it('refuses a move into a group of another tenant (NotFound), even for an Administrator of both', async () => {
    const fleet = emulator.seed.tenants.contosoFleet.id;
    const board = deviceId(0x7002);
    assert.equal((await as('avery@contoso.com', `/v2/tenants/${fleet}/devices/${board}/claim`, { method: 'PUT' })).status, 202);
    assertApiError(await move('avery@contoso.com', fleet, board, JSON.stringify(product.groups.development)), 404, 8, /Device group '.*' was not found in tenant 'Contoso Fleet'/);
    const device = (await as('avery@contoso.com', `/v2/tenants/${fleet}/devices/${board}`)).json as Json;
    assert.equal(device.ProductId, null);
    assert.equal(device.DeviceGroupId, null);
    // Nor can the Contoso tenant's path move the Fleet tenant's device into its own group.
    assertApiError(await move('avery@contoso.com', contoso, board, JSON.stringify(product.groups.development)), 404, 8, /not claimed to tenant/);
  });
});

describe('cloud emulator: fleet durability', () => {
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
  /** (Re)starts the emulator on the state folder; tokens are minted per start (the port, hence the issuer, may change). */
  const restart = async (seed: boolean): Promise<{ emu: CloudEmulator; token: string }> => {
    await emulator?.close();
    emulator = await startCloudEmulator({ port: 0, stateDir, seed });
    return { emu: emulator, token: await tokenFor(emulator, 'avery@contoso.com') };
  };

  it('a move survives a restart, with its Operation', async () => {
    let { emu, token } = await restart(true);
    const contoso = emu.seed.tenants.contoso.id;
    const device = emu.seed.claimedDeviceIds[1];
    const group = emu.seed.products.thermostat.groups.production;
    const res = await call(emu, `/v2/tenants/${contoso}/devices/${device}/devicegroup`, { method: 'PUT', token, body: JSON.stringify(group), headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 202, res.text);
    const operationId = String((res.json as Json).OperationId);

    ({ emu, token } = await restart(true));
    const after = (await call(emu, `/v2/tenants/${contoso}/devices/${device}`, { token })).json as Json;
    assert.equal(after.DeviceGroupId, group);
    assert.equal(after.ProductId, emu.seed.products.thermostat.id);
    assert.equal((await call(emu, `/v2/tenants/${contoso}/operations/${operationId}`, { token })).status, 200);
    // Seeding again on start adds no second product.
    assert.equal(((await call(emu, `/v2/tenants/${contoso}/products`, { token })).json as { Items: Json[] }).Items.length, 1);
  });

  it('a state folder seeded before products existed gets the seeded product on its next seeded start, once', async () => {
    // Take the fleet records out of a seeded journal: what a folder seeded by an older emulator holds.
    const journal = join(stateDir, 'journal.log');
    const lines = readFileSync(journal, 'utf8').split('\n').filter((l) => l.length > 0);
    const older = lines.filter((l) => !/"t":"(product|deviceGroup|seededFleet)"/.test(l));
    assert.equal(lines.length - older.length, 7, 'one product, five groups and the marker');
    writeFileSync(journal, older.map((l) => `${l}\n`).join(''));
    const productNames = async ({ emu, token }: { emu: CloudEmulator; token: string }) =>
      ((await call(emu, `/v2/tenants/${emu.seed.tenants.contoso.id}/products`, { token })).json as { Items: Json[] }).Items.map((p) => p.Name);

    assert.deepEqual(await productNames(await restart(false)), [], 'not seeded: no product');
    assert.deepEqual(await productNames(await restart(true)), ['Contoso Thermostat']);
    assert.deepEqual(await productNames(await restart(true)), ['Contoso Thermostat']);
  });
});
