// The security service client managing the fleet against the emulator over HTTPS: products and device groups
// created, found by name, changed and deleted; the default groups; devices of a group page by page and their counts;
// Operations reported as they run (onProgress sees InProgress, then Complete) and a failed one surfacing the
// service's reason; tenant rename and roles on the published paths; and every bad input refused with its own
// sentence before anything is sent.
import { strict as assert } from 'node:assert';
import { CloudApiError } from '../../../src/cloud/api-error';
import { InvalidArgumentError } from '../../../src/cloud/errors';
import { OperationFailedError } from '../../../src/cloud/operations';
import { collectAll } from '../../../src/cloud/paging';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { OperationState, OperationType, OsFeedType, UpdatePolicy } from '../../../src/cloud/sphere-api-types';
import { RecordingTransport } from '../../helpers/recording-transport';
import { signedIn, signedInPerSuite } from '../../helpers/cloud-harness';


const DEFAULT_NAMES = ['Development', 'Field Test', 'Production', 'Production OS Evaluation', 'Field Test OS Evaluation'];

describe('cloud/SphereApiClient: managing products and device groups', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  let transport: RecordingTransport;
  let api: SphereApiClient;
  const seed = () => suite.fx.emu.seed;
  const contoso = () => seed().tenants.contoso.id;

  before(() => suite.fx.emu.testHooks.setOperationDelay(0));
  beforeEach(() => {
    transport = new RecordingTransport(suite.session.transport);
    api = new SphereApiClient({ settings: suite.fx.settings, tokens: suite.session.engine, transport, operationPollMs: 5 });
  });
  afterEach(() => suite.fx.emu.testHooks.setOperationDelay(0));

  it('creates a product with its default groups, reporting the Operation InProgress then Complete', async () => {
    suite.fx.emu.testHooks.setOperationDelay(150);
    const states: number[] = [];
    const product = await api.createProduct(contoso(), { name: 'Coffee Maker', description: 'CM-200', onProgress: (state) => states.push(state) });
    assert.deepEqual({ ...product, Id: '' }, { Id: '', TenantId: contoso(), Name: 'Coffee Maker', Description: 'CM-200' });
    assert.equal(states[0], OperationState.InProgress);
    assert.equal(states.at(-1), OperationState.Complete);
    assert.deepEqual(new Set(states), new Set([OperationState.InProgress, OperationState.Complete]));
    assert.deepEqual((await api.listDeviceGroups(contoso(), product.Id)).map((g) => g.Name), DEFAULT_NAMES);
    assert.deepEqual(await api.findProductByName(contoso(), 'coffee maker'), product);
    assert.equal(await api.findProductByName(contoso(), 'Tea Maker'), undefined);
    const post = transport.sent.find((r) => r.method === 'POST')!;
    assert.deepEqual(JSON.parse(String(post.body)), { Name: 'Coffee Maker', Description: 'CM-200', CreateDefaultGroups: true });
  });

  it('creates, finds, changes and deletes a device group, and makes a product’s default groups on request', async () => {
    const product = await api.createProduct(contoso(), { name: 'Dishwasher', createDefaultGroups: false });
    assert.deepEqual(await api.listDeviceGroups(contoso(), product.Id), []);
    const group = await api.createDeviceGroup(contoso(), { productId: product.Id, name: 'Beta', description: 'Friends', osFeedType: OsFeedType.RetailEval, updatePolicy: UpdatePolicy.No3rdPartyAppUpdates });
    assert.deepEqual([group.Name, group.OsFeedType, group.UpdatePolicy, group.AllowCrashDumpsCollection, group.CurrentDeployment], ['Beta', 1, 1, false, null]);
    assert.deepEqual(await api.findDeviceGroupByName(contoso(), 'DISHWASHER', 'beta'), group);
    const changed = await api.updateDeviceGroup(contoso(), group.Id, { name: 'Beta Two', osFeedType: OsFeedType.Retail, allowCrashDumpsCollection: true });
    assert.deepEqual([changed.Name, changed.OsFeedType, changed.AllowCrashDumpsCollection], ['Beta Two', 0, true]);
    const patch = transport.sent.find((r) => r.method === 'PATCH')!;
    assert.deepEqual(JSON.parse(String(patch.body)), { Name: 'Beta Two', OSFeedType: 0, AllowCrashDumpsCollection: true });
    const renamed = await api.updateProduct(contoso(), product.Id, { name: 'Dishwasher Pro' });
    assert.equal(renamed.Name, 'Dishwasher Pro');

    const defaults = await api.createDefaultDeviceGroups(contoso(), product.Id);
    assert.deepEqual(defaults.map((g) => g.Name), DEFAULT_NAMES);
    assert.deepEqual((await api.createDefaultDeviceGroups(contoso(), product.Id)).map((g) => g.Id), defaults.map((g) => g.Id));
    assert.equal((await api.listAllDeviceGroups(contoso())).filter((g) => g.ProductId === product.Id).length, 6);

    const deleted = await api.deleteDeviceGroup(contoso(), group.Id);
    assert.deepEqual([deleted.OperationType, deleted.State], [OperationType.DeleteDeviceGroup, OperationState.Complete]);
    const gone = await api.deleteProduct(contoso(), product.Id);
    assert.equal(gone.OperationType, OperationType.DeleteProduct);
    await assert.rejects(api.getProduct(contoso(), product.Id), (e: unknown) => e instanceof CloudApiError && e.status === 404);
  });

  it('lists a group’s devices page by page, counts them, and refuses a move to another product’s group before sending it', async () => {
    const thermostat = seed().products.thermostat;
    const [first, second] = seed().claimedDeviceIds;
    await api.moveDeviceToGroup(contoso(), first, thermostat.groups.production);
    await api.moveDeviceToGroup(contoso(), second, thermostat.groups.production, { withinProduct: true }); // from no product: allowed
    const pages = [];
    for await (const page of api.listDevicesInGroupPages(contoso(), thermostat.groups.production, { maxPageSize: 1 })) pages.push(page.items.map((d) => d.DeviceId));
    assert.deepEqual(pages, [[first], [second]]);
    assert.equal(await api.countDevicesInGroup(contoso(), thermostat.groups.production), 2);
    assert.equal(await api.countDevicesInProduct(contoso(), thermostat.id), 2);
    assert.equal(await api.countDevices(contoso()), 2);
    assert.deepEqual((await collectAll(api.listDevicesInProductPages(contoso(), thermostat.id))).map((d) => d.DeviceId), [first, second]);

    const other = await api.createProduct(contoso(), { name: 'Kettle' });
    const kettleGroup = (await api.listDeviceGroups(contoso(), other.Id))[0]!;
    const before = transport.writes().length;
    await assert.rejects(api.moveDeviceToGroup(contoso(), first, kettleGroup.Id, { withinProduct: true }), (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, /^Device D4D4D4D4… is in product 7e3a0001-.*, and device group "Development" belongs to product .*; a device moves only between the groups of its product\.$/);
      return true;
    });
    await assert.rejects(api.deleteDeviceGroup(contoso(), thermostat.groups.production), /^InvalidArgumentError: Device group 7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a03 still holds 2 devices; move them to another group before deleting it\.$/);
    await assert.rejects(api.deleteProduct(contoso(), thermostat.id), /^InvalidArgumentError: Product 7e3a0001-1c2d-4e5f-8a9b-0c1d2e3f4a01 still has 2 devices in its device groups/);
    assert.equal(transport.writes().length, before, 'nothing that changes anything was sent');
  });

  it('surfaces a failed Operation with the service’s reason: a device moved in while the group was being deleted', async () => {
    const product = await api.createProduct(contoso(), { name: 'Toaster' });
    const group = (await api.listDeviceGroups(contoso(), product.Id))[1]!;
    suite.fx.emu.testHooks.setOperationDelay(60_000);
    let moved: Promise<unknown> | undefined;
    const deletion = api.deleteDeviceGroup(contoso(), group.Id, {
      onProgress: (state) => {
        // While the deletion runs, someone moves a device in; then the service finishes its work.
        if (state === OperationState.InProgress && !moved) {
          moved = api.moveDeviceToGroup(contoso(), seed().claimedDeviceIds[0], group.Id).then(() => suite.fx.emu.testHooks.settleOperations());
        }
      },
    });
    await assert.rejects(deletion, (e: unknown) => {
      assert.ok(e instanceof OperationFailedError);
      assert.equal(e.message, `Deleting device group ${group.Id} failed: Device group 'Field Test' cannot be deleted: it holds 1 device. Move them to another device group first.`);
      assert.equal(e.operation.State, OperationState.Failed);
      return true;
    });
    await moved;
    assert.equal((await api.getDeviceGroup(contoso(), group.Id)).Name, 'Field Test');
  });

  it('renames the tenant and changes roles on the published paths', async () => {
    const renamed = await api.renameTenant(contoso(), 'Contoso Devices');
    assert.deepEqual(renamed, { Id: contoso(), Name: 'Contoso Devices', Roles: ['Administrator'] });
    await api.renameTenant(contoso(), 'Contoso Tenant');
    const added = await api.addRole(contoso(), 'morgan@contoso.com', 'Reader');
    assert.deepEqual(added.Roles, ['Reader']);
    const removed = await api.removeRole(contoso(), 'morgan@contoso.com', 'Reader');
    assert.deepEqual(removed.Roles, []);
    assert.deepEqual(transport.writes().filter((w) => w.includes('/role/')), [
      `POST /v2/tenants/${contoso()}/users/morgan%40contoso.com/role/Reader/assign`,
      `POST /v2/tenants/${contoso()}/users/morgan%40contoso.com/role/Reader/unassign`,
    ]);
  });

  it('lets a Contributor create but not delete, and a Reader only read, with the service’s words', async () => {
    const parker = await signedIn(suite.fx, 'parker@contoso.com');
    const riley = await signedIn(suite.fx, 'riley@contoso.com');
    try {
      const product = await parker.sphere.createProduct(contoso(), { name: 'Fridge', createDefaultGroups: false });
      await assert.rejects(parker.sphere.deleteProduct(contoso(), product.Id), (e: unknown) => e instanceof CloudApiError && e.status === 403 && /Contributor role cannot delete products/.test(e.message));
      await assert.rejects(riley.sphere.createProduct(contoso(), { name: 'Freezer' }), (e: unknown) => {
        assert.ok(e instanceof CloudApiError);
        assert.equal(e.code, 'Forbidden');
        assert.equal(e.serverMessage, "The Reader role cannot create products in tenant 'Contoso Tenant'; it needs Administrator or Contributor.");
        return true;
      });
      await assert.rejects(parker.sphere.renameTenant(contoso(), 'Mine'), (e: unknown) => e instanceof CloudApiError && e.status === 403);
      assert.ok((await riley.sphere.listProducts(contoso())).some((p) => p.Id === product.Id));
    } finally {
      parker.dispose();
      riley.dispose();
    }
  });

  it('refuses bad input before sending anything, each with its own sentence', async () => {
    const t = contoso();
    const p = seed().products.thermostat.id;
    const g = seed().products.thermostat.groups.development;
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => api.createProduct(t, { name: 'x'.repeat(51) }), /^The product name is 51 characters long; at most 50 are allowed\.$/],
      [() => api.createProduct(t, { name: 'Coffee-Maker!' }), /^The product name "Coffee-Maker!" contains "-", "!"; names can only contain letters, digits and spaces\.$/],
      [() => api.createProduct(t, { name: '   ' }), /^The product name is empty\.$/],
      [() => api.createProduct(t, { name: 'Ok', description: 'line\nbreak' }), /description contains control characters/],
      [() => api.createProduct('tenant', { name: 'Ok' }), /tenant ID must be a GUID/],
      [() => api.createDeviceGroup(t, { productId: 'thermostat', name: 'Ok' }), /product ID must be a GUID/],
      [() => api.createDeviceGroup(t, { productId: p, name: 'Lab#1' }), /device group name "Lab#1" contains "#"/],
      [() => api.createDeviceGroup(t, { productId: p, name: 'Ok', updatePolicy: 2 }), /Unknown update policy 2; use 0 \(UpdateAll\) or 1 \(No3rdPartyAppUpdates\)/],
      [() => api.createDeviceGroup(t, { productId: p, name: 'Ok', osFeedType: 5 }), /Unknown OS feed 5/],
      [() => api.updateDeviceGroup(t, g, {}), /Nothing to change/],
      [() => api.updateProduct(t, p, {}), /Nothing to change/],
      [() => api.updateDeviceGroup(t, g, { name: 'Tab\there' }), /contains U\+0009/],
      [() => api.deleteDeviceGroup(t, 'Development'), /device group ID must be a GUID/],
      [() => api.renameTenant(t, 'x'.repeat(51)), /at most 50/],
      [() => api.findDeviceGroupByName(t, 'Contoso Thermostat', 'Field/Test'), /contains "\/"/],
    ];
    for (const [call, message] of cases) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        assert.match(e.message, message);
        return true;
      });
    }
    // A name the tenant or product has (in any case) is refused after looking, before creating.
    await assert.rejects(api.createProduct(t, { name: 'CONTOSO THERMOSTAT' }), /already has a product named "Contoso Thermostat"; product names are unique in a tenant, whatever their case/);
    await assert.rejects(api.createDeviceGroup(t, { productId: p, name: 'field test' }), /already has a device group named "Field Test"/);
    assert.deepEqual(transport.writes(), []);
  });
});
