// The one fleet model against the cloud emulator, through both backends: the Contoso Tenant (security service) and
// contoso-catalog (ARM, integrated from that tenant) are one fleet, so what one backend does the other sees — the same
// products, a device claimed into a group, an image uploaded with progress, a deployment, the CA chain and a proof of
// possession. Also: scopes with their linked tenant, a subscription without the provider registered skipped with the
// reason, and each backend refusing the other's scope.
import { strict as assert } from 'node:assert';
import { realSleep } from '../../../src/cloud/abort';
import { ArmSphereClient, ProviderNotRegisteredError } from '../../../src/cloud/arm-sphere';
import { ArmFleetBackend, LegacyFleetBackend, type FleetBackend, type FleetProgress, type FleetScope } from '../../../src/cloud/backend';
import { verifyProofOfPossession } from '../../../src/cloud/certificates';
import { InvalidArgumentError } from '../../../src/cloud/errors';
import { seededRandom } from '../../../emulator/common/seeded-random';
import { signedIn, signedInPerSuite, type SignedIn } from '../../helpers/cloud-harness';
import { appImage, COMPONENTS } from '../../helpers/fleet-emulator';
import { testSeed } from '../../helpers/test-seed';

describe('cloud/backend: one fleet model over the legacy tenant and its ARM catalog (emulator)', function () {
  this.timeout(60_000);
  const suite = signedInPerSuite('avery@contoso.com');
  const seed = () => suite.fx.emu.seed;
  let legacy: LegacyFleetBackend;
  let arm: ArmFleetBackend;
  let tenant: FleetScope;
  let catalog: FleetScope;

  /** The ARM client on the session's engine and transport; operation waits shortened (the emulator asks for 1 s). */
  const armClient = (session: SignedIn): ArmSphereClient =>
    new ArmSphereClient({ settings: suite.fx.settings, tokens: session.engine, transport: session.transport, retry: { sleep: (ms, signal) => realSleep(Math.min(ms, 20), signal), random: seededRandom(testSeed()) } });

  beforeEach(async () => {
    legacy = new LegacyFleetBackend(suite.session.sphere);
    arm = new ArmFleetBackend(armClient(suite.session));
    tenant = (await legacy.listScopes()).find((s) => s.id === seed().tenants.contoso.id)!;
    catalog = (await arm.listScopes({ subscriptionId: seed().catalogs.subscriptionId })).find((s) => s.name === seed().catalogs.contoso.name)!;
  });

  it('lists scopes of both kinds; the integrated catalog names its legacy tenant', async () => {
    assert.deepEqual({ kind: tenant.kind, name: tenant.name, tenantId: tenant.tenantId }, { kind: 'legacy', name: seed().tenants.contoso.name, tenantId: seed().tenants.contoso.id });
    assert.equal(catalog.kind, 'catalog');
    assert.equal(catalog.tenantId, seed().tenants.contoso.id);
    assert.equal(catalog.subscriptionId, seed().catalogs.subscriptionId);
    assert.equal(catalog.resourceGroup, seed().catalogs.resourceGroup);
    const names = (await arm.listScopes()).map((s) => s.name).sort();
    assert.deepEqual(names, [seed().catalogs.contoso.name, seed().catalogs.lab.name].sort());
    await assert.rejects(arm.listProducts(tenant), InvalidArgumentError);
    await assert.rejects(legacy.listProducts(catalog), InvalidArgumentError);
  });

  it('both backends list the same products and device groups of the integrated tenant', async () => {
    const viaLegacy = await legacy.listProducts(tenant);
    const viaArm = await arm.listProducts(catalog);
    assert.deepEqual(viaArm.map((p) => [p.name, p.description]).sort(), viaLegacy.map((p) => [p.name, p.description]).sort());
    const thermostat = seed().products.thermostat.name;
    const legacyGroups = await legacy.listDeviceGroups(tenant, viaLegacy.find((p) => p.name === thermostat)!.id);
    const armGroups = await arm.listDeviceGroups(catalog, viaArm.find((p) => p.name === thermostat)!.id);
    const shape = (g: { name: string; osFeed: string; updatePolicy: string }) => `${g.name}|${g.osFeed}|${g.updatePolicy}`;
    assert.deepEqual(armGroups.map(shape).sort(), legacyGroups.map(shape).sort());
  });

  it('claims a board into a device group through ARM, and the legacy tenant sees it there; counts agree', async () => {
    const product = (await arm.listProducts(catalog)).find((p) => p.name === seed().products.thermostat.name)!;
    const fieldTest = (await arm.listDeviceGroups(catalog, product.id)).find((g) => g.name === 'Field Test')!;
    const deviceId = seed().availableDeviceIds[0]!;
    const progress: FleetProgress[] = [];
    const claimed = await arm.claimDevice(catalog, deviceId, { groupId: fieldTest.id, onProgress: (p) => progress.push(p) });
    assert.equal(claimed.id, deviceId.toUpperCase());
    assert.equal(claimed.groupId?.toLowerCase(), fieldTest.id.toLowerCase());
    const last = progress.at(-1);
    assert.equal(last?.kind === 'operation' ? last.status : last?.kind, 'succeeded');
    const seen = await legacy.getDevice(tenant, deviceId);
    assert.equal(seen.groupId, seed().products.thermostat.groups.fieldTest);
    const armPages: string[] = [];
    for await (const page of arm.listDevicePages(catalog, fieldTest.id)) armPages.push(...page.items.map((d) => d.id));
    assert.ok(armPages.includes(deviceId.toUpperCase()));
    assert.equal(await arm.countDevices(catalog, { groupId: fieldTest.id }), await legacy.countDevices(tenant, { groupId: seed().products.thermostat.groups.fieldTest }));
    assert.equal(await arm.countDevices(catalog), await legacy.countDevices(tenant));
  });

  it('uploads an image through ARM with progress, deploys it to a group, and the legacy tenant sees both', async () => {
    const imageId = '5eed0001-0000-4000-8000-00000000a001';
    const pkg = appImage(COMPONENTS.sensor, imageId, 'SensorApp', testSeed());
    const sent: number[] = [];
    const image = await arm.uploadImage(catalog, pkg, { onUploadProgress: (n, total) => (assert.equal(total, pkg.length), sent.push(n)) });
    assert.equal(image.id, imageId);
    assert.equal(image.type, 10);
    assert.equal(sent.at(-1), pkg.length);
    assert.equal((await legacy.getImage(tenant, imageId)).componentId, COMPONENTS.sensor);

    const product = (await arm.listProducts(catalog)).find((p) => p.name === seed().products.thermostat.name)!;
    const production = (await arm.listDeviceGroups(catalog, product.id)).find((g) => g.name === 'Production')!;
    const deployment = await arm.createDeployment(catalog, production.id, [imageId], { knownImages: [image] });
    assert.deepEqual(deployment.imageIds, [imageId]);
    const legacyDeployments = await legacy.listDeployments(tenant, seed().products.thermostat.groups.production);
    assert.ok(legacyDeployments.some((d) => d.imageIds.includes(imageId)), 'the legacy tenant shows the deployment');
    assert.ok((await arm.listDeviceGroups(catalog, product.id)).find((g) => g.name === 'Production')!.hasDeployment);
  });

  it('the CA chain and a proof-of-possession certificate are the same CA through both backends', async () => {
    const [legacyCa, armCa] = await Promise.all([legacy.getCaCertificate(tenant), arm.getCaCertificate(catalog)]);
    assert.equal(armCa.thumbprint, legacyCa.thumbprint);
    const [legacyChain, armChain] = await Promise.all([legacy.getCaCertificateChain(tenant), arm.getCaCertificateChain(catalog)]);
    assert.deepEqual(armChain.map((c) => c.thumbprint), legacyChain.map((c) => c.thumbprint));
    const code = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718';
    const proof = await arm.getProofOfPossessionCertificate(catalog, code);
    verifyProofOfPossession(proof, armCa, code);
    const listed = await arm.listCaCertificates(catalog);
    assert.ok(listed.some((c) => c.status === 'Active'));
  });

  it('a capability image for a claimed device, found across the catalog', async () => {
    const deviceId = seed().claimedDeviceIds[0]!;
    const [viaArm, viaLegacy] = await Promise.all([arm.createCapabilityImage(catalog, deviceId, [11]), legacy.createCapabilityImage(tenant, deviceId, [11])]);
    assert.ok(viaArm.length > 0 && viaLegacy.length > 0);
    await assert.rejects(arm.createCapabilityImage(catalog, deviceId, [12]), /not offered by Azure Sphere catalogs/);
  });

  it('creates, changes and deletes a product and group through ARM; a taken name and a rename are refused', async () => {
    const backends: [FleetBackend, FleetScope][] = [[arm, catalog]];
    for (const [backend, scope] of backends) {
      const created = await backend.createProduct(scope, { name: 'Lab Gateway', description: 'Gateways in the lab' });
      const groups = await backend.listDeviceGroups(scope, created.id);
      assert.ok(groups.length >= 5, `the default groups were made (${groups.map((g) => g.name).join(', ')})`);
      await assert.rejects(backend.createProduct(scope, { name: 'lab gateway' }), /already has a product named "Lab Gateway"/);
      assert.equal((await backend.updateProduct(scope, created.id, { description: 'Changed' })).description, 'Changed');
      await assert.rejects(backend.updateProduct(scope, created.id, { name: 'Renamed' }), /cannot be renamed/);
      const group = await backend.createDeviceGroup(scope, created.id, { name: 'Canary', updatePolicy: 'No3rdPartyAppUpdates', allowCrashDumps: true });
      assert.deepEqual([group.name, group.updatePolicy, group.allowCrashDumps], ['Canary', 'No3rdPartyAppUpdates', true]);
      assert.equal((await backend.updateDeviceGroup(scope, group.id, { osFeed: 'RetailEval' })).osFeed, 'RetailEval');
      await backend.deleteDeviceGroup(scope, group.id);
      await backend.deleteProduct(scope, created.id);
      assert.ok(!(await backend.listProducts(scope)).some((p) => p.name === 'Lab Gateway'));
    }
  });

  it('lists only the subscription and resource group asked for', async () => {
    const { subscriptionId, resourceGroup } = seed().catalogs;
    assert.deepEqual((await arm.listScopes({ subscriptionId, resourceGroup })).map((s) => s.name).sort(), [seed().catalogs.contoso.name, seed().catalogs.lab.name]);
    assert.deepEqual(await arm.listScopes({ subscriptionId, resourceGroup: 'sphere-demo' }), []);
    await assert.rejects(arm.listScopes({ subscriptionId: seed().subscriptions.fabrikam.id }), (err: Error) => /is not among the subscriptions this account can see/.test(err.message));
  });

  it('a subscription without Microsoft.AzureSphere registered is skipped with the reason; asked directly, it says how to register', async () => {
    const jordan = await signedIn(suite.fx, seed().users.jordan.email);
    try {
      const skipped: [{ id: string; name: string }, Error][] = [];
      const fabrikam = new ArmFleetBackend(armClient(jordan));
      assert.deepEqual(await fabrikam.listScopes({ onSkipped: (sub, err) => skipped.push([sub, err]) }), []);
      assert.deepEqual(skipped.map(([sub]) => sub), [{ id: seed().subscriptions.fabrikam.id, name: seed().subscriptions.fabrikam.displayName }]);
      assert.ok(skipped[0]![1] instanceof ProviderNotRegisteredError);
      await assert.rejects(fabrikam.listScopes(), (err: Error) => err instanceof ProviderNotRegisteredError && /az provider register --namespace Microsoft\.AzureSphere/.test(err.message));
      // Registered (as `az provider register` does, waiting for Registered), the subscription is asked like any other.
      await armClient(jordan).registerProvider(seed().subscriptions.fabrikam.id);
      assert.deepEqual(await fabrikam.listScopes(), []);
      await assert.rejects(armClient(suite.session).registerProvider(seed().subscriptions.fabrikam.id), (err: Error) => /Registering Microsoft\.AzureSphere in subscription .* failed: .*(AuthorizationFailed|HTTP 403)/.test(err.message));
    } finally {
      jordan.dispose();
    }
  });
});
