// "Nothing done twice when a request is retried": a transport that lets the first create reach the emulator — which
// acts on it — and then loses its answer, as a connection dropped after sending does. The client then looks for what
// the first attempt made (a product by name, a device group by name, an image by ID, a deployment as the group's new
// current one) and answers with it, or sends again only when it is not there; with the emulator still running the
// first attempt's Operation, the second request is answered with that same Operation. Either way: one of each.
import { strict as assert } from 'node:assert';
import { NetworkError, type HttpRequest, type HttpResponse, type HttpTransport } from '../../../src/cloud/https-transport';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { signedInPerSuite } from '../../helpers/cloud-harness';
import { recordingLogger } from '../../helpers/recording-logger';
import { appImage, COMPONENTS } from '../../helpers/fleet-emulator';

/** Sends everything; the first request matching `drop` reaches the server, but its answer is lost. */
class LosesFirstAnswer implements HttpTransport {
  readonly sent: HttpRequest[] = [];
  private lost = false;
  constructor(
    private readonly inner: HttpTransport,
    private readonly drop: (request: HttpRequest) => boolean,
  ) {}
  async send(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push(request);
    const response = await this.inner.send(request);
    if (!this.lost && this.drop(request)) {
      this.lost = true;
      throw new NetworkError(`Could not reach ${new URL(request.url).origin}: ECONNRESET.`, 'ECONNRESET');
    }
    return response;
  }
  count(method: string, pathEnd: RegExp): number {
    return this.sent.filter((r) => r.method === method && pathEnd.test(new URL(r.url).pathname)).length;
  }
}

describe('cloud/SphereApiClient: a create whose answer was lost is not made twice', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  const contoso = () => suite.fx.emu.seed.tenants.contoso.id;
  let logLines: string[];

  const clientLosing = (drop: (r: HttpRequest) => boolean): { api: SphereApiClient; transport: LosesFirstAnswer } => {
    const transport = new LosesFirstAnswer(suite.session.transport, drop);
    logLines = [];
    const api = new SphereApiClient({
      settings: suite.fx.settings,
      tokens: suite.session.engine,
      transport,
      operationPollMs: 5,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      logger: recordingLogger(logLines),
    });
    return { api, transport };
  };
  const isPost = (path: RegExp) => (r: HttpRequest) => r.method === 'POST' && path.test(new URL(r.url).pathname);
  afterEach(() => {
    // A lost attempt's Operation may still run: end it here, not in the next test.
    suite.fx.emu.testHooks.settleOperations();
    suite.fx.emu.testHooks.setOperationDelay(0);
  });

  for (const delayMs of [0, 60_000]) {
    const when = delayMs === 0 ? 'done at once' : 'still running';
    it(`creates one product when the answer to the create is lost (Operation ${when})`, async () => {
      suite.fx.emu.testHooks.setOperationDelay(delayMs);
      const { api, transport } = clientLosing(isPost(/\/products$/));
      const name = delayMs === 0 ? 'Lost Answer One' : 'Lost Answer Two';
      const product = await api.createProduct(contoso(), { name, onProgress: () => suite.fx.emu.testHooks.settleOperations() });
      assert.equal(product.Name, name);
      const named = (await api.listProducts(contoso())).filter((p) => p.Name === name);
      assert.deepEqual(named.map((p) => p.Id), [product.Id], 'one product of that name');
      assert.deepEqual((await api.listDeviceGroups(contoso(), product.Id)).length, 5, 'with its five groups, once');
      assert.equal(transport.count('POST', /\/products$/), 1, 'the create was not sent again');
      assert.ok(logLines.some((l) => /the earlier attempt went through; not sending it again/.test(l)));
    });
  }

  it('creates one device group when the answer is lost', async () => {
    const { api, transport } = clientLosing(isPost(/\/devicegroups$/));
    const product = suite.fx.emu.seed.products.thermostat.id;
    const group = await api.createDeviceGroup(contoso(), { productId: product, name: 'Lost Answer Group' });
    assert.equal((await api.listDeviceGroups(contoso(), product)).filter((g) => g.Name === 'Lost Answer Group').length, 1);
    assert.equal((await api.findDeviceGroupByName(contoso(), 'Contoso Thermostat', 'Lost Answer Group'))?.Id, group.Id);
    assert.equal(transport.count('POST', /\/devicegroups$/), 1);
  });

  for (const delayMs of [0, 60_000]) {
    const when = delayMs === 0 ? 'done at once' : 'still running';
    it(`uploads one image and makes one deployment when their answers are lost (Operations ${when})`, async () => {
      const imageId = delayMs === 0 ? '3962c015-8f52-4d85-a043-acbc38f8b401' : '3962c015-8f52-4d85-a043-acbc38f8b402';
      suite.fx.emu.testHooks.setOperationDelay(delayMs);
      const settle = () => suite.fx.emu.testHooks.settleOperations();
      const upload = clientLosing(isPost(/\/images$/));
      const image = await upload.api.uploadImage(contoso(), appImage(COMPONENTS.sensor, imageId, 'Lost'), { onProgress: settle });
      assert.equal(image.Id, imageId);
      assert.equal((await upload.api.listImages(contoso())).filter((i) => i.Id === imageId).length, 1);
      // Done at once, the image is found and not sent again; still running, it is sent again and the service answers
      // with the running upload's Operation.
      assert.equal(upload.transport.count('POST', /\/images$/), delayMs === 0 ? 1 : 2);

      const group = suite.fx.emu.seed.products.thermostat.groups.productionOsEvaluation;
      const deploy = clientLosing(isPost(/\/deployments$/));
      const before = (await deploy.api.listDeployments(contoso(), group)).length;
      const deployment = await deploy.api.createDeployment(contoso(), group, [imageId], { onProgress: settle });
      assert.deepEqual(deployment.DeployedImages, [imageId]);
      const history = await deploy.api.listDeployments(contoso(), group);
      assert.equal(history.length, before + 1, 'one deployment');
      assert.equal(history[0]!.Id, deployment.Id);
      assert.equal(deploy.transport.count('POST', /\/deployments$/), delayMs === 0 ? 1 : 2);
    });
  }
});
