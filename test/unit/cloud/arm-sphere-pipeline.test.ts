// The ARM client's pipeline against a local HTTPS server answering with the shapes of Microsoft.AzureSphere
// 2024-04-01: api-version on every call, nextLink paging, long-running operations through Azure-AsyncOperation and
// through Location (and their failures, in the service's words), 429 with Retry-After waited out with a fake sleep
// (and told as progress), ARM's error shape, a subscription without the provider registered, and names refused
// before anything is sent. Trust comes from our HttpsTransport: without the test CA nothing connects.
import { strict as assert } from 'node:assert';
import { seededRandom } from '../../../emulator/common/seeded-random';
import { CloudApiError } from '../../../src/cloud/api-error';
import { InvalidArgumentError } from '../../../src/cloud/errors';
import { HttpsTransport, NetworkError } from '../../../src/cloud/https-transport';
import type { AccessTokenProvider } from '../../../src/cloud/sign-in-engine';
import { ArmOperationFailedError, ArmSphereClient, ProviderNotRegisteredError, type ArmProgress, type DeviceGroupRef } from '../../../src/cloud/arm-sphere';
import { appPackage } from '../../helpers/app-packages';
import { ArmTestServer, loopbackTls } from '../../helpers/arm-test-server';
import { testSeed } from '../../helpers/test-seed';

const SUB = '0b1c8f7e-0000-4000-8000-00000000c0de';
const RG = 'sphere-catalogs';
const CATALOG = { subscriptionId: SUB, resourceGroup: RG, catalogName: 'contoso-catalog' };
const CAT_PATH = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.AzureSphere/catalogs/contoso-catalog`;
const GROUP: DeviceGroupRef = { ...CATALOG, productName: 'Thermostat', deviceGroupName: 'Field Test' };
const GROUP_PATH = `${CAT_PATH}/products/Thermostat/deviceGroups/Field%20Test`;
const DEVICE = 'AB'.repeat(64);

describe('cloud/arm-sphere: the pipeline against a local ARM-shaped server', function () {
  const server = new ArmTestServer();
  let transport: HttpsTransport;
  let sleeps: number[];
  let tokenCalls: { scopes: readonly string[]; forceRefresh?: boolean }[];
  let client: ArmSphereClient;

  const tokens: AccessTokenProvider = {
    async getAccessToken(scopes, options) {
      tokenCalls.push({ scopes, forceRefresh: options?.forceRefresh });
      return { token: `token-${tokenCalls.length}`, expiresOn: new Date(Date.now() + 3_600_000), scopes, account: { id: 'a.b', username: 'avery@contoso.com', displayName: 'Avery', directoryId: 'd' } };
    },
  };

  before(async () => {
    await server.start();
    transport = new HttpsTransport({ extraCaPem: loopbackTls().ca });
  });
  after(async () => {
    transport.close();
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    sleeps = [];
    tokenCalls = [];
    client = new ArmSphereClient({
      settings: { armEndpoint: `${server.url}/` },
      tokens,
      transport,
      retry: { sleep: async (ms) => void sleeps.push(ms), random: seededRandom(testSeed()) },
    });
  });

  it('sends api-version=2024-04-01 and the bearer token on every call, and follows nextLink page by page', async () => {
    server.route('GET', `${CAT_PATH}/products`, (req, s) => {
      const page = Number(req.query.get('page') ?? '1');
      const value = [{ id: `${CAT_PATH}/products/P${page}`, name: `P${page}`, properties: { description: `page ${page}` } }];
      // nextLink as ARM hands it out: absolute, with its own api-version (an older one here, replaced by ours).
      return { status: 200, json: page < 3 ? { value, nextLink: `${s.url}${CAT_PATH}/products?api-version=2022-09-01-preview&page=${page + 1}` } : { value } };
    });
    const products = await client.listProducts(CATALOG);
    assert.deepEqual(products.map((p) => p.name), ['P1', 'P2', 'P3']);
    assert.equal(server.requests.length, 3);
    for (const r of server.requests) {
      assert.deepEqual(r.query.getAll('api-version'), ['2024-04-01']);
      assert.match(String(r.headers.authorization), /^Bearer token-\d+$/);
    }
    assert.deepEqual(server.requests.map((r) => r.query.get('page')), [null, '2', '3']);
    assert.deepEqual(tokenCalls[0]!.scopes, ['https://management.azure.com/user_impersonation']);
  });

  it('asks the sign-in engine for every request, so a sign-in as someone else takes effect at once', async () => {
    server.route('GET', `${CAT_PATH}/products`, () => ({ status: 200, json: { value: [] } }));
    let user = 'avery';
    const perAccount: AccessTokenProvider = {
      async getAccessToken(scopes) {
        return { token: `token-of-${user}`, expiresOn: new Date(Date.now() + 3_600_000), scopes, account: { id: user, username: `${user}@contoso.com`, displayName: user, directoryId: 'd' } };
      },
    };
    const arm = new ArmSphereClient({ settings: { armEndpoint: `${server.url}/` }, tokens: perAccount, transport });
    await arm.listProducts(CATALOG);
    user = 'riley';
    await arm.listProducts(CATALOG);
    assert.deepEqual(server.requests.map((r) => r.headers.authorization), ['Bearer token-of-avery', 'Bearer token-of-riley']);
  });

  it('does not follow a nextLink to another host (the token stays with ARM)', async () => {
    server.route('GET', `${CAT_PATH}/products`, () => ({ status: 200, json: { value: [], nextLink: `https://attacker.example${CAT_PATH}/products?page=2` } }));
    await assert.rejects(client.listProducts(CATALOG), (err: Error) => err instanceof InvalidArgumentError && /not the Azure Resource Manager endpoint/.test(err.message));
    assert.equal(server.requests.length, 1);
  });

  it('waits for a PUT through Azure-AsyncOperation (Retry-After honoured, progress told) and reads the resource at the end', async () => {
    const status = `${CAT_PATH}/operationStatuses/op-1`;
    let created = false;
    server.route('PUT', `${CAT_PATH}/products/Thermostat`, (req, s) => {
      created = true;
      assert.deepEqual(JSON.parse(req.body.toString()), { properties: { description: 'Smart thermostats' } });
      return { status: 201, headers: { 'azure-asyncoperation': `${s.url}${status}?api-version=2024-04-01`, 'retry-after': '2' }, json: { id: `${CAT_PATH}/products/Thermostat`, name: 'Thermostat', properties: { provisioningState: 'Provisioning' } } };
    });
    server.sequence('GET', status, [
      { status: 200, headers: { 'retry-after': '3' }, json: { id: status, name: 'op-1', status: 'InProgress', percentComplete: 50 } },
      { status: 200, json: { id: status, name: 'op-1', status: 'Succeeded' } },
    ]);
    server.route('GET', `${CAT_PATH}/products/Thermostat`, () => ({
      status: 200,
      json: created ? { id: `${CAT_PATH}/products/Thermostat`, name: 'Thermostat', properties: { description: 'Smart thermostats', provisioningState: 'Succeeded' } } : {},
    }));
    const progress: ArmProgress[] = [];
    const product = await client.createProduct(CATALOG, 'Thermostat', 'Smart thermostats', { onProgress: (p) => progress.push(p) });
    assert.equal(product.properties?.description, 'Smart thermostats');
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path.replace(CAT_PATH, '')}`), [
      'PUT /products/Thermostat',
      'GET /operationStatuses/op-1',
      'GET /operationStatuses/op-1',
      'GET /products/Thermostat',
    ]);
    assert.deepEqual(sleeps, [2000, 3000], 'each wait is the Retry-After of the answer before it');
    assert.deepEqual(progress.map((p) => (p.kind === 'operation' ? `${p.status}${p.percentComplete === undefined ? '' : ` ${p.percentComplete}%`}` : p.kind)), ['running', 'running 50%', 'succeeded']);
  });

  it('waits for a DELETE and a PATCH through Location, whose final answer is the result', async () => {
    const loc = `${CAT_PATH}/operationResults/del-1`;
    server.route('DELETE', `${CAT_PATH}/products/Thermostat`, (_r, s) => ({ status: 202, headers: { location: `${s.url}${loc}`, 'retry-after': '1' } }));
    server.sequence('GET', loc, [{ status: 202, headers: { 'retry-after': '1' } }, { status: 204 }]);
    await client.deleteProduct(CATALOG, 'Thermostat');
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path.replace(CAT_PATH, '')}`), ['DELETE /products/Thermostat', 'GET /operationResults/del-1', 'GET /operationResults/del-1']);
    assert.deepEqual(sleeps, [1000, 1000]);

    server.reset();
    const patchLoc = `${CAT_PATH}/operationResults/patch-1`;
    server.route('PATCH', `${GROUP_PATH.replace('%20', ' ')}`, () => ({ status: 500 })); // never used: the path is encoded
    server.route('PATCH', GROUP_PATH, (_r, s) => ({ status: 202, headers: { location: `${s.url}${patchLoc}` } }));
    server.sequence('GET', patchLoc, [{ status: 200, json: { id: GROUP_PATH, name: 'Field Test', properties: { updatePolicy: 'No3rdPartyAppUpdates' } } }]);
    const group = await client.updateDeviceGroup(GROUP, { updatePolicy: 'No3rdPartyAppUpdates' });
    assert.equal(group.properties?.updatePolicy, 'No3rdPartyAppUpdates');
    assert.deepEqual(JSON.parse(server.requests[0]!.body.toString()), { properties: { updatePolicy: 'No3rdPartyAppUpdates' } });
  });

  it('a failed operation says the service\'s reason — from the status body (AAO) or the Location answer', async () => {
    const status = `${CAT_PATH}/operationStatuses/op-2`;
    server.route('PUT', `${GROUP_PATH}/deployments/.default`, (_r, s) => ({ status: 201, headers: { 'azure-asyncoperation': `${s.url}${status}` } }));
    server.sequence('GET', status, [{ status: 200, json: { id: status, status: 'Failed', error: { code: 'ImageNotFound', message: 'Image 6415a939-0000-4000-8000-000000000001 is not in the catalog.' } } }]);
    await assert.rejects(client.createDeployment(GROUP, ['6415a939-0000-4000-8000-000000000001']), (err: Error) => {
      assert.ok(err instanceof ArmOperationFailedError);
      assert.equal(err.message, 'Deploying image 6415a939-0000-4000-8000-000000000001 to "Thermostat/Field Test" failed: Image 6415a939-0000-4000-8000-000000000001 is not in the catalog (ImageNotFound).');
      return true;
    });

    server.reset();
    const loc = `${CAT_PATH}/operationResults/claim-1`;
    server.route('POST', `${GROUP_PATH}/claimDevices`, (_r, s) => ({ status: 202, headers: { location: `${s.url}${loc}` } }));
    server.sequence('GET', loc, [{ status: 409, json: { error: { code: 'DeviceAlreadyClaimed', message: 'The device is claimed by another catalog.' } } }]);
    await assert.rejects(client.claimDevices(GROUP, [DEVICE]), /Claiming device ABABABAB… into "Thermostat\/Field Test" failed: The device is claimed by another catalog \(DeviceAlreadyClaimed\)\./);
  });

  it('429: waits the Retry-After with a fake sleep, tells the wait as progress, then goes on; a wait past the limit fails at once', async () => {
    server.sequence('POST', `${CAT_PATH}/countDevices`, [{ status: 429, headers: { 'retry-after': '7' }, json: { error: { code: 'TooManyRequests', message: 'Slow down.' } } }, { status: 200, json: { value: 12 } }]);
    const progress: ArmProgress[] = [];
    assert.equal(await client.countDevices(CATALOG, { onProgress: (p) => progress.push(p) }), 12);
    assert.deepEqual(sleeps, [7000]);
    assert.deepEqual(progress, [{ kind: 'throttled', waitMs: 7000, attempt: 1, what: 'Counting devices of catalog contoso-catalog' }]);

    server.reset();
    sleeps.length = 0;
    server.sequence('GET', `${CAT_PATH}/images`, [{ status: 429, headers: { 'retry-after': '600' }, json: { error: { code: 'TooManyRequests', message: 'Slow down.' } } }]);
    await assert.rejects(client.listImages(CATALOG), (err: Error) => err instanceof CloudApiError && err.code === 'throttled' && /asks to wait 600 s; try again later\./.test(err.message));
    assert.deepEqual(sleeps, []);
    assert.equal(server.requests.length, 1);
  });

  it('a POST is not sent again after a 500; a GET is, with seeded backoff', async () => {
    server.sequence('POST', `${GROUP_PATH}/claimDevices`, [{ status: 500, json: { error: { code: 'InternalServerError', message: 'Something broke.' } } }]);
    await assert.rejects(client.claimDevices(GROUP, [DEVICE]), /failed: Something broke \(InternalServerError, HTTP 500\)\./);
    assert.equal(server.requests.length, 1);
    server.reset();
    server.sequence('GET', `${CAT_PATH}/certificates`, [{ status: 503 }, { status: 200, json: { value: [] } }]);
    assert.deepEqual(await client.listCertificates(CATALOG), []);
    assert.equal(server.requests.length, 2);
    assert.equal(sleeps.length, 1);
  });

  it("ARM's error shape becomes a sentence with the code and status", async () => {
    server.route('GET', `${CAT_PATH}/products/Thermostat`, () => ({
      status: 404,
      json: { error: { code: 'ResourceNotFound', message: "The Resource 'Microsoft.AzureSphere/catalogs/contoso-catalog/products/Thermostat' under resource group 'sphere-catalogs' was not found." } },
    }));
    await assert.rejects(client.getProduct(CATALOG, 'Thermostat'), (err: Error) => {
      assert.ok(err instanceof CloudApiError);
      assert.equal(err.status, 404);
      assert.equal(err.code, 'ResourceNotFound');
      assert.equal(err.requestId, 'req-1');
      assert.equal(err.message, "Reading product \"Thermostat\" failed: The Resource 'Microsoft.AzureSphere/catalogs/contoso-catalog/products/Thermostat' under resource group 'sphere-catalogs' was not found (ResourceNotFound, HTTP 404).");
      return true;
    });
  });

  it('a subscription without Microsoft.AzureSphere registered: a specific error that says how to register it', async () => {
    server.route('GET', `/subscriptions/${SUB}/providers/Microsoft.AzureSphere/catalogs`, () => ({
      status: 409,
      json: { error: { code: 'MissingSubscriptionRegistration', message: "The subscription is not registered to use namespace 'Microsoft.AzureSphere'." } },
    }));
    await assert.rejects(client.listCatalogs(SUB), (err: Error) => {
      assert.ok(err instanceof ProviderNotRegisteredError);
      assert.equal(err.subscriptionId, SUB);
      assert.match(err.message, /is not registered for the Microsoft\.AzureSphere resource provider; register it once with "az provider register --namespace Microsoft\.AzureSphere", or in the Azure portal: .*Resource providers/);
      return true;
    });
  });

  it('refuses names against the spec patterns before anything is sent', async () => {
    const refusals: [Promise<unknown>, RegExp][] = [
      [client.listProducts({ ...CATALOG, catalogName: 'contoso catalog' }), /catalog name "contoso catalog" must be 1–50 letters, digits, '-' or '_' \(it contains a space\)/],
      [client.listProducts({ ...CATALOG, catalogName: 'c'.repeat(51) }), /it is 51 characters long/],
      [client.createProduct(CATALOG, 'Thermo!', 'x'), /product name "Thermo!" .* \(it contains "!"\)/],
      [client.createProduct(CATALOG, 'ab', 'x'), /product name "ab" must be 3–50/],
      [client.createProduct(CATALOG, '.default', 'x'), /"\.default" is a reserved name; a product cannot be created/],
      [client.createDeviceGroup({ ...GROUP, deviceGroupName: '.unassigned' }, {}), /reserved name; a device group cannot be created/],
      [client.createDeviceGroup({ ...GROUP, deviceGroupName: 'Field Test ' }, {}), /device group name "Field Test " .* starts or ends with a space/],
      [client.getDevice(GROUP, 'AB'.repeat(63)), /A device ID is 128 hexadecimal characters; it has 126/],
      [client.getImage(CATALOG, 'not-a-guid'), /image ID must be a GUID/],
      [client.listResourceGroups('sub-1'), /subscription ID must be a GUID/],
      [client.listCatalogs(SUB, { resourceGroup: 'rg.' }), /resource group name "rg\." must be/],
      [client.createDeployment(GROUP, []), /at least one image/],
    ];
    for (const [promise, message] of refusals) await assert.rejects(promise, (err: Error) => err instanceof InvalidArgumentError && message.test(err.message));
    assert.equal(server.requests.length, 0);
  });

  it('uploads an image package as base64 JSON, encoded while sent, with byte progress, through Azure-AsyncOperation', async () => {
    const pkg = appPackage('0a1b2c3d-0000-4000-8000-00000000beef', { appBytes: 200_001, seed: testSeed() });
    const imageId = '6415a939-0000-4000-8000-000000000001';
    const imagePath = `${CAT_PATH}/images/${imageId}`;
    let uploaded: Buffer | undefined;
    server.route('GET', imagePath, () => (uploaded ? { status: 200, json: { id: imagePath, name: imageId, properties: { imageId, imageType: 'Applications', componentId: '0a1b2c3d-0000-4000-8000-00000000beef' } } } : { status: 404, json: { error: { code: 'ResourceNotFound', message: 'No such image.' } } }));
    server.route('PUT', imagePath, (req, s) => {
      uploaded = Buffer.from((JSON.parse(req.body.toString()) as { properties: { image: string } }).properties.image, 'base64');
      return { status: 201, headers: { 'azure-asyncoperation': `${s.url}${CAT_PATH}/operationStatuses/up-1` } };
    });
    server.route('GET', `${CAT_PATH}/operationStatuses/up-1`, () => ({ status: 200, json: { status: 'Succeeded' } }));
    const seen: number[] = [];
    const image = await client.uploadImage(CATALOG, pkg, { onUploadProgress: (sent, total) => (assert.equal(total, pkg.length), seen.push(sent)) });
    assert.ok(uploaded?.equals(pkg), 'the service received the package itself');
    assert.equal(image.properties?.imageType, 'Applications');
    assert.ok(seen.length > 2 && seen.at(-1) === pkg.length, `progress ends at the package size (${seen.at(-1)})`);
    assert.ok(seen.every((n, i) => i === 0 || n >= seen[i - 1]!), 'progress never goes back');
    // Uploading it again sends nothing: the catalog has it.
    const before = server.requests.length;
    await client.uploadImage(CATALOG, pkg);
    assert.deepEqual(server.requests.slice(before).map((r) => r.method), ['GET']);
  });

  it('uses our TLS trust: without the test CA the server is not trusted and nothing is answered', async () => {
    const untrusting = new HttpsTransport();
    try {
      const c = new ArmSphereClient({ settings: { armEndpoint: `${server.url}/` }, tokens, transport: untrusting, retry: { sleep: async () => {}, maxRetries: 0 } });
      await assert.rejects(c.listProducts(CATALOG), (err: Error) => err instanceof NetworkError && /not trusted/.test(err.message));
    } finally {
      untrusting.close();
    }
  });

  it('lists subscriptions and resource groups with their own api-versions', async () => {
    server.route('GET', '/subscriptions', () => ({ status: 200, json: { value: [{ id: `/subscriptions/${SUB}`, subscriptionId: SUB, displayName: 'Contoso', state: 'Enabled' }] } }));
    server.route('GET', `/subscriptions/${SUB}/resourcegroups`, () => ({ status: 200, json: { value: [{ id: `/subscriptions/${SUB}/resourceGroups/${RG}`, name: RG, location: 'westeurope' }] } }));
    assert.deepEqual((await client.listSubscriptions()).map((s) => s.displayName), ['Contoso']);
    assert.deepEqual((await client.listResourceGroups(SUB)).map((g) => g.name), [RG]);
    assert.deepEqual(server.requests.map((r) => r.query.get('api-version')), ['2022-12-01', '2021-04-01']);
  });
});
