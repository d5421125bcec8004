// Azure Sphere (Integrated) over ARM in the emulator (Microsoft.AzureSphere 2024-04-01, emulator/cloud/arm-sphere/):
// the seeded catalogs and what a catalog integrated from a tenant shares with it through both APIs, LROs polled to
// Succeeded and one that fails with the service's reason, nextLink paging, the path-name patterns, a subscription
// without the provider registered (and registering it), a Reader refused, a 429 with Retry-After, certificates with
// their chain and proof of possession, image upload (PUT and uploadImage) and a deployment.
import assert from 'node:assert/strict';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { ARM_SCOPE, call, seededEmulatorPerSuite, tokenFor, tokensFor, type HttpResult } from '../../helpers/cloud-emulator';
import { appImage, COMPONENTS } from '../../helpers/fleet-emulator';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const V = 'api-version=2024-04-01';

describe('cloud emulator: Azure Sphere (Integrated) over ARM', () => {
  const seeded = seededEmulatorPerSuite({ operationDelayMs: 0 });
  let emulator: CloudEmulator;
  let arm: Record<string, string>;
  let catalogPath: string;
  let labPath: string;

  before(async () => {
    emulator = seeded.emulator;
    arm = await tokensFor(emulator, ['avery@contoso.com', 'parker@contoso.com', 'riley@contoso.com', 'morgan@contoso.com'], ARM_SCOPE);
    arm.jordan = await tokenFor(emulator, 'jordan@fabrikam.com', ARM_SCOPE);
    const c = emulator.seed.catalogs;
    catalogPath = `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${c.contoso.name}`;
    labPath = `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${c.lab.name}`;
  });
  afterEach(() => emulator.testHooks.setOperationDelay(0));

  const as = (user: string, path: string, opts: Parameters<typeof call>[2] = {}): Promise<HttpResult> => {
    const url = path.startsWith('https://') ? path.slice(emulator.url.length) : `${path}${path.includes('?') ? '&' : '?'}${V}`;
    return call(emulator, url, { ...opts, token: arm[user.includes('@') ? user : `${user}@contoso.com`] ?? arm[user] });
  };
  const json = (r: HttpResult): Json => r.json as Json;
  const assertArmError = (r: HttpResult, status: number, code: string, message?: RegExp) => {
    assert.equal(r.status, status, r.text);
    assert.equal(json(r).error.code, code, r.text);
    if (message) assert.match(json(r).error.message, message);
  };
  /** Polls an Azure-AsyncOperation URL until the status is terminal. */
  const pollStatus = async (user: string, url: string): Promise<Json> => {
    for (let i = 0; i < 50; i++) {
      const r = await as(user, url);
      assert.equal(r.status, 200, r.text);
      if (json(r).status !== 'InProgress') return json(r);
      assert.ok(r.headers['retry-after'], 'Retry-After while in progress');
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the operation never ended');
  };

  it('lists the seeded catalogs and shows the integrated one backed by the Contoso Tenant', async () => {
    const c = emulator.seed.catalogs;
    const bySub = await as('avery', `/subscriptions/${c.subscriptionId}/providers/Microsoft.AzureSphere/catalogs`);
    assert.equal(bySub.status, 200, bySub.text);
    assert.deepEqual(json(bySub).value.map((x: Json) => x.name).sort(), ['contoso-catalog', 'contoso-lab']);
    const got = json(await as('avery', catalogPath));
    assert.equal(got.type, 'Microsoft.AzureSphere/catalogs');
    assert.equal(got.location, 'global');
    assert.equal(got.properties.tenantId, emulator.seed.tenants.contoso.id);
    assert.equal(got.properties.provisioningState, 'Succeeded');
    assert.equal(got.systemData.createdBy, 'avery@contoso.com');
    const lab = json(await as('avery', labPath));
    assert.equal(lab.properties.tenantId, c.lab.tenantId);
    // morgan holds no Azure role: the list shows nothing, a read is refused.
    assert.deepEqual(json(await as('morgan', `/subscriptions/${c.subscriptionId}/providers/Microsoft.AzureSphere/catalogs`)).value, []);
    assertArmError(await as('morgan', catalogPath), 403, 'AuthorizationFailed');
  });

  it('a catalog integrated from a tenant sees its products through both APIs', async () => {
    const products = json(await as('riley', `${catalogPath}/products`));
    assert.ok(products.value.some((p: Json) => p.name === 'Contoso Thermostat' && p.type === 'Microsoft.AzureSphere/catalogs/products'));
    const put = await as('parker', `${catalogPath}/products/Made In ARM`, { method: 'PUT', body: { properties: { description: 'from ARM' } } });
    assert.equal(put.status, 201, put.text);
    const sphereToken = await tokenFor(emulator, 'parker@contoso.com');
    const legacy = await call(emulator, `/v2/tenants/${emulator.seed.tenants.contoso.id}/products`, { token: sphereToken });
    assert.equal(legacy.status, 200, legacy.text);
    assert.ok((legacy.json as Json).Items.some((p: Json) => p.Name === 'Made In ARM' && p.Description === 'from ARM'));
    // The lab catalog has a fleet of its own.
    assert.deepEqual(json(await as('avery', `${labPath}/products`)).value, []);
  });

  it('runs a product create as an LRO polled to Succeeded, then the resource is there', async () => {
    emulator.testHooks.setOperationDelay(150);
    const put = await as('avery', `${catalogPath}/products/Slow Product`, { method: 'PUT', body: { properties: { description: 'd' } } });
    assert.equal(put.status, 201, put.text);
    assert.equal(json(put).properties.provisioningState, 'Provisioning');
    const status = await pollStatus('avery', String(put.headers['azure-asyncoperation']));
    assert.equal(status.status, 'Succeeded');
    assert.ok(status.startTime && status.endTime);
    assert.equal(json(await as('avery', `${catalogPath}/products/Slow Product`)).properties.provisioningState, 'Succeeded');
  });

  it('fails the LRO of deleting a device group that still holds a device, with the reason', async () => {
    const group = `${catalogPath}/products/Contoso Thermostat/deviceGroups/Kept Group`;
    assert.equal((await as('avery', group, { method: 'PUT', body: { properties: { description: 'x' } } })).status, 201);
    const device = emulator.seed.availableDeviceIds[0]!;
    const claim = await as('avery', `${group}/devices/${device}`, { method: 'PUT', body: {} });
    assert.equal(claim.status, 201, claim.text);
    const del = await as('avery', group, { method: 'DELETE' });
    assert.equal(del.status, 202, del.text);
    assert.ok(del.headers.location && del.headers['azure-asyncoperation'] && del.headers['retry-after']);
    const status = await pollStatus('avery', String(del.headers['azure-asyncoperation']));
    assert.equal(status.status, 'Failed');
    assert.equal(status.error.code, 'Conflict');
    assert.match(status.error.message, /Kept Group.*holds 1 device/);
    assertArmError(await as('avery', String(del.headers.location)), 409, 'Conflict', /holds 1 device/);
    assert.equal((await as('avery', group)).status, 200);
  });

  it('pages with nextLink, $maxpagesize, $skip and $top', async () => {
    const groups = `${catalogPath}/products/Contoso Thermostat/deviceGroups`;
    const all = json(await as('riley', groups)).value.map((g: Json) => g.name);
    assert.ok(all.length >= 5);
    const names: string[] = [];
    let page = json(await as('riley', `${groups}?$maxpagesize=2`));
    names.push(...page.value.map((g: Json) => g.name));
    while (page.nextLink) {
      assert.ok(String(page.nextLink).startsWith(`${emulator.url}/`));
      assert.ok(page.value.length <= 2);
      page = json(await as('riley', page.nextLink));
      names.push(...page.value.map((g: Json) => g.name));
    }
    assert.deepEqual(names, all);
    const topped = json(await as('riley', `${groups}?$skip=1&$top=3&$maxpagesize=2`));
    assert.deepEqual(topped.value.map((g: Json) => g.name), all.slice(1, 3));
    assert.deepEqual(json(await as('riley', topped.nextLink)).value.map((g: Json) => g.name), all.slice(3, 4));
    assertArmError(await as('riley', `${groups}?$maxpagesize=0`), 400, 'InvalidQueryParameterValue');
  });

  it('refuses names against the spec patterns, naming the pattern', async () => {
    const c = emulator.seed.catalogs;
    assertArmError(await as('avery', `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.AzureSphere/catalogs/bad%20name!`), 400, 'InvalidResourceName', /\^\[A-Za-z0-9_-\]\{1,50\}\$/);
    assertArmError(await as('avery', `${catalogPath}/products/x`, { method: 'PUT', body: { properties: {} } }), 400, 'InvalidResourceName', /productName 'x'/);
    assertArmError(await as('avery', `${catalogPath}/products/.default`, { method: 'PUT', body: { properties: {} } }), 400, 'InvalidResourceName', /reserved/);
    assertArmError(await as('avery', `${catalogPath}/products/.unassigned/deviceGroups/.unassigned/devices/ABC`), 400, 'InvalidResourceName', /deviceName/);
  });

  it('answers MissingSubscriptionRegistration until the provider is registered', async () => {
    const sub = emulator.seed.subscriptions.fabrikam.id;
    const r = await as('jordan', `/subscriptions/${sub}/providers/Microsoft.AzureSphere/catalogs`);
    assertArmError(r, 409, 'MissingSubscriptionRegistration', /The subscription is not registered to use namespace 'Microsoft\.AzureSphere'\. See https:\/\/aka\.ms\/rps-not-found/);
    assert.equal(json(await as('jordan', `/subscriptions/${sub}/providers/Microsoft.AzureSphere`)).registrationState, 'NotRegistered');
    const reg = await as('jordan', `/subscriptions/${sub}/providers/Microsoft.AzureSphere/register`, { method: 'POST' });
    assert.equal(reg.status, 200, reg.text);
    assert.equal(json(reg).registrationState, 'Registered');
    assert.deepEqual(json(await as('jordan', `/subscriptions/${sub}/providers/Microsoft.AzureSphere/catalogs`)).value, []);
  });

  it('refuses a Reader writes with AuthorizationFailed, lets them read', async () => {
    const r = await as('riley', `${catalogPath}/products/Riley Product`, { method: 'PUT', body: { properties: { description: '' } } });
    assertArmError(r, 403, 'AuthorizationFailed', /The client 'riley@contoso\.com' with object id '.*' does not have authorization to perform action 'Microsoft\.AzureSphere\/catalogs\/products\/write' over scope/);
    assert.equal((await as('riley', `${catalogPath}/products/Contoso Thermostat`)).status, 200);
    assertArmError(await as('riley', catalogPath, { method: 'DELETE' }), 403, 'AuthorizationFailed', /catalogs\/delete/);
  });

  it('answers 429 with Retry-After in ARM\'s error shape when throttled', async () => {
    emulator.testHooks.throttleNext(1, 7, '/subscriptions/');
    const r = await as('avery', catalogPath);
    assertArmError(r, 429, 'TooManyRequests');
    assert.equal(r.headers['retry-after'], '7');
    assert.equal((await as('avery', catalogPath)).status, 200);
  });

  it('gives the catalog CA, its chain and a proof of possession; the lab catalog has its own CA', async () => {
    const list = json(await as('riley', `${catalogPath}/certificates`));
    assert.equal(list.value.length, 1);
    const def = json(await as('riley', `${catalogPath}/certificates/.default`));
    assert.equal(def.name, list.value[0].name);
    assert.equal(def.properties.status, 'Active');
    assert.equal(json(await as('riley', `${catalogPath}/certificates/${def.name}`)).properties.thumbprint, def.properties.thumbprint);
    const chain = json(await as('riley', `${catalogPath}/certificates/.default/retrieveCertChain`, { method: 'POST' }));
    assert.ok(Buffer.from(chain.certificateChain, 'base64').length > 1000);
    const proof = await as('parker', `${catalogPath}/certificates/.default/retrieveProofOfPossessionNonce`, { method: 'POST', body: { proofOfPossessionNonce: 'ABC123' } });
    assert.equal(proof.status, 200, proof.text);
    assert.match(json(proof).subject, /CN=ABC123/);
    const lab = json(await as('avery', `${labPath}/certificates/.default`));
    assert.notEqual(lab.properties.thumbprint, def.properties.thumbprint);
  });

  it('uploads an image with PUT and with uploadImage, and deploys it', async () => {
    const id1 = 'a43206c8-f384-44a2-84ad-c86ce2937b01';
    const id2 = 'a43206c8-f384-44a2-84ad-c86ce2937b02';
    const put = await as('parker', `${catalogPath}/images/${id1}`, { method: 'PUT', body: { properties: { image: appImage(COMPONENTS.sensor, id1).toString('base64') } } });
    assert.equal(put.status, 201, put.text);
    assert.equal((await pollStatus('parker', String(put.headers['azure-asyncoperation']))).status, 'Succeeded');
    const image = json(await as('riley', `${catalogPath}/images/${id1}`));
    assert.equal(image.properties.imageType, 'Applications');
    assert.equal(image.properties.componentId, COMPONENTS.sensor);
    const up = await as('parker', `${catalogPath}/uploadImage`, { method: 'POST', body: { properties: { image: appImage(COMPONENTS.blink, id2, 'Blink').toString('base64') } } });
    assert.equal(up.status, 202, up.text);
    const result = await as('parker', String(up.headers.location));
    assert.equal(result.status, 200, result.text);
    assert.equal(json(result).name, id2);
    const group = `${catalogPath}/products/Contoso Thermostat/deviceGroups/Field Test`;
    const dep = await as('parker', `${group}/deployments/.default`, { method: 'PUT', body: { properties: { deployedImages: [{ properties: { imageId: id1 } }, { id: `${catalogPath}/images/${id2}` }] } } });
    assert.equal(dep.status, 201, dep.text);
    assert.equal((await pollStatus('parker', String(dep.headers['azure-asyncoperation']))).status, 'Succeeded');
    const current = json(await as('riley', `${group}/deployments/.default`));
    assert.deepEqual(current.properties.deployedImages.map((i: Json) => i.name).sort(), [id1, id2]);
    assert.equal(json(await as('riley', group)).properties.hasDeployment, true);
    const listed = json(await as('riley', `${catalogPath}/listDeployments`, { method: 'POST' }));
    assert.ok(listed.value.some((d: Json) => d.name === current.name));
    // An image in a current deployment cannot be deleted: the operation fails with the reason.
    const del = await as('parker', `${catalogPath}/images/${id1}`, { method: 'DELETE' });
    assert.equal(del.status, 202);
    assert.match((await pollStatus('parker', String(del.headers['azure-asyncoperation']))).error.message, /current deployment of device group 'Field Test'/);
  });
});
