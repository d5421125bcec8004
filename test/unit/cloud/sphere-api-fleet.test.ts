// The security service client's fleet and capability methods against the emulator over HTTPS: products and their
// device groups, moving a device (waiting for its Operation; the device then shows the group), a capability image
// that decodes to the device and capabilities asked for, the development-mode plan over real data, and validation
// before anything is sent.
import { strict as assert } from 'node:assert';
import { CloudApiError } from '../../../src/cloud/api-error';
import { planGroupChange } from '../../../src/cloud/development-mode';
import { InvalidArgumentError } from '../../../src/cloud/errors';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { OperationState, OperationType, UpdatePolicy } from '../../../src/cloud/sphere-api-types';
import { readCapabilityImage } from '../../../src/device/image-package';
import { RecordingTransport } from '../../helpers/recording-transport';
import { signedIn, signedInPerSuite } from '../../helpers/cloud-harness';


describe('cloud/SphereApiClient: products, device groups, capability images', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  let transport: RecordingTransport;
  let api: SphereApiClient;
  const seed = () => suite.fx.emu.seed;
  const contoso = () => seed().tenants.contoso.id;
  const thermostat = () => seed().products.thermostat;

  beforeEach(() => {
    transport = new RecordingTransport(suite.session.transport);
    api = new SphereApiClient({ settings: suite.fx.settings, tokens: suite.session.engine, transport, operationPollMs: 1 });
  });

  it('lists the tenant’s products and a product’s device groups, and reads one group', async () => {
    const products = await api.listProducts(contoso().toUpperCase());
    assert.deepEqual(
      products.map((p) => [p.Id, p.Name]),
      [[thermostat().id, 'Contoso Thermostat']],
    );
    const groups = await api.listDeviceGroups(contoso(), thermostat().id);
    assert.deepEqual(
      groups.map((g) => g.Name),
      ['Development', 'Field Test', 'Production', 'Production OS Evaluation', 'Field Test OS Evaluation'],
    );
    assert.equal(groups[0]!.UpdatePolicy, UpdatePolicy.No3rdPartyAppUpdates);
    assert.deepEqual(await api.getDeviceGroup(contoso(), thermostat().groups.fieldTest), groups[1]);
    assert.deepEqual(await api.listProducts(seed().tenants.contosoFleet.id), []);
  });

  it('moves a device into a group, sending the group ID as a JSON string, and waits for the Operation', async () => {
    const device = seed().claimedDeviceIds[0].toLowerCase();
    const before = await api.getDevice(contoso(), device);
    assert.equal(before.ProductId, null);
    assert.equal(before.DeviceGroupId, null);

    const op = await api.moveDeviceToGroup(contoso(), device, thermostat().groups.development.toUpperCase());
    assert.equal(op.OperationType, OperationType.DeviceUpdateDeviceGroup);
    assert.equal(op.State, OperationState.Complete);
    const put = transport.sent.find((r) => r.method === 'PUT')!;
    assert.match(put.url, /\/v2\/tenants\/[0-9a-f-]{36}\/devices\/D4D4[0-9A-F]{124}\/devicegroup$/);
    assert.equal(put.body, JSON.stringify(thermostat().groups.development));

    const after = await api.getDevice(contoso(), device);
    assert.equal(after.ProductId, thermostat().id);
    assert.equal(after.DeviceGroupId, thermostat().groups.development);
    assert.ok((await api.listDevices(contoso())).some((d) => d.DeviceId === after.DeviceId && d.DeviceGroupId === thermostat().groups.development));
  });

  it('plans Enable Development / Cloud Test from what the service says about the device', async () => {
    const inProduct = await api.getDevice(contoso(), seed().claimedDeviceIds[0]);
    const groups = await api.listDeviceGroups(contoso(), inProduct.ProductId!);
    assert.equal(planGroupChange('development', inProduct, groups, 'Contoso Thermostat').kind, 'alreadyThere');
    const toTest = planGroupChange('fieldTest', inProduct, groups);
    assert.equal(toTest.kind === 'move' && toTest.group.Id, thermostat().groups.fieldTest);
    const loose = await api.getDevice(contoso(), seed().claimedDeviceIds[1]);
    assert.equal(planGroupChange('development', loose, []).kind, 'noProduct');
  });

  it('maps the service’s refusals: a group of another tenant is NotFound, a Reader is Forbidden', async () => {
    const fleet = seed().tenants.contosoFleet.id;
    const board = seed().availableDeviceIds[2];
    await api.claimDevice(fleet, board);
    await assert.rejects(api.moveDeviceToGroup(fleet, board, thermostat().groups.development), (e: unknown) => {
      assert.ok(e instanceof CloudApiError);
      assert.equal(e.code, 'NotFound');
      assert.match(e.message, /^Moving device C3C3C3C3… to device group 7e3a0002-.* failed: Device group .* was not found in tenant 'Contoso Fleet' \(NotFound, HTTP 404\)\.$/);
      return true;
    });
    const riley = await signedIn(suite.fx, 'riley@contoso.com');
    try {
      await assert.rejects(riley.sphere.moveDeviceToGroup(contoso(), seed().claimedDeviceIds[1], thermostat().groups.development), (e: unknown) => e instanceof CloudApiError && e.code === 'Forbidden');
      await assert.rejects(riley.sphere.createCapabilityImage(contoso(), seed().claimedDeviceIds[1], [11]), (e: unknown) => e instanceof CloudApiError && e.status === 403);
    } finally {
      riley.dispose();
    }
  });

  it('downloads a capability image that decodes to the device and the capabilities asked for', async () => {
    const device = seed().claimedDeviceIds[1];
    for (const capabilities of [[11], [11, 13], []]) {
      const bytes = await api.createCapabilityImage(contoso(), device.toLowerCase(), capabilities);
      const file = readCapabilityImage(bytes);
      assert.equal(file.deviceId, device.toLowerCase());
      assert.deepEqual(file.capabilities, capabilities);
    }
    const post = transport.sent.find((r) => r.method === 'POST')!;
    assert.match(post.url, /\/deviceCapabilityImage$/);
    assert.deepEqual(JSON.parse(String(post.body)), { DeviceId: device, Capabilities: [11] });
    await assert.rejects(api.createCapabilityImage(contoso(), 'F0'.repeat(64), [11]), (e: unknown) => e instanceof CloudApiError && e.code === 'NotFound');
  });

  it('reports a capability response without base64 bytes as an invalid response', async () => {
    const device = seed().claimedDeviceIds[1];
    for (const body of ['{}', '{"SignedDeviceCapabilityImageBytes":"not base64!"}', '{"SignedDeviceCapabilityImageBytes":""}']) {
      transport.rewrite = (_req, res) => ({ ...res, body: Buffer.from(body) });
      await assert.rejects(api.createCapabilityImage(contoso(), device, [11]), (e: unknown) => e instanceof CloudApiError && e.code === 'invalid_response' && /did not return the image as base64/.test(e.message));
    }
  });

  it('rejects bad arguments before sending anything', async () => {
    const t = contoso();
    const device = seed().claimedDeviceIds[0];
    const group = thermostat().groups.development;
    await assert.rejects(api.listProducts('contoso'), /tenant ID must be a GUID/);
    await assert.rejects(api.listDeviceGroups(t, 'thermostat'), /product ID must be a GUID/);
    await assert.rejects(api.getDeviceGroup(t, ''), /device group ID must be a GUID/);
    await assert.rejects(api.moveDeviceToGroup(t, device, 'Development'), /device group ID must be a GUID/);
    await assert.rejects(api.moveDeviceToGroup(t, 'D4', group), /128 hexadecimal characters; it has 2/);
    await assert.rejects(api.createCapabilityImage(t, 'xyz', [11]), /128 hexadecimal characters; it contains characters/);
    await assert.rejects(api.createCapabilityImage(t, device, [99]), /Unknown device capability 99; use 11 \(enableAppDevelopment\), 12 \(enableRfTestMode\), 13 \(enableFieldServicing\)/);
    await assert.rejects(api.createCapabilityImage(t, device, [11, 11]), /Device capability 11 is listed twice/);
    await assert.rejects(api.createCapabilityImage(t, device, '11' as unknown as number[]), /must be a list of numbers/);
    for (const call of [() => api.listProducts(''), () => api.createCapabilityImage(t, device, [11.5])]) await assert.rejects(call(), InvalidArgumentError);
    assert.equal(transport.sent.length, 0);
  });
});
