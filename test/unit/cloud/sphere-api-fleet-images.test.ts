// The client's images, deployments and error report against the emulator over HTTPS: an image package uploaded from
// bytes and from a file as a stream (progress a chunk at a time up to its size), checked with the
// sideloading reader first; an upload cancelled midway leaving nothing behind; an image the tenant has not sent
// again; a deployment and its history, the images targeted at a device; a Reader's deployment refused with the
// service's 403; bad deployments refused before sending; the error report and its CSV.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudApiError } from '../../../src/cloud/api-error';
import { LegacyFleetBackend } from '../../../src/cloud/backend';
import { insightsToCsv } from '../../../src/cloud/error-report-csv';
import { CancelledError, InvalidArgumentError } from '../../../src/cloud/errors';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { readImagePackage } from '../../../src/device/image-package';
import { appPackageOfSize } from '../../helpers/app-packages';
import { RecordingTransport } from '../../helpers/recording-transport';
import { signedIn, signedInPerSuite } from '../../helpers/cloud-harness';
import { appImage, boardConfigImage, capabilityImage, COMPONENTS } from '../../helpers/fleet-emulator';
import { testSeed } from '../../helpers/test-seed';


const IMAGE = {
  app: 'a43206c8-f384-44a2-84ad-c86ce2937a3e',
  fromFile: '583d37d2-dc16-441f-b927-933edd4c1085',
  cancelled: '583d37d2-dc16-441f-b927-933edd4c1086',
  board: '985453bb-eb5c-4ff2-8e06-aef4786ac445',
} as const;

describe('cloud/SphereApiClient: images, deployments and the error report', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  let transport: RecordingTransport;
  let api: SphereApiClient;
  let dir: string;
  const seed = () => suite.fx.emu.seed;
  const contoso = () => seed().tenants.contoso.id;

  before(() => {
    suite.fx.emu.testHooks.setOperationDelay(0);
    dir = mkdtempSync(join(tmpdir(), 'fleet-images-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    transport = new RecordingTransport(suite.session.transport);
    api = new SphereApiClient({ settings: suite.fx.settings, tokens: suite.session.engine, transport, operationPollMs: 5 });
  });

  it('uploads a package from bytes, reporting the bytes sent, and returns its metadata; the same image is not sent again', async () => {
    const bytes = appImage(COMPONENTS.sensor, IMAGE.app, 'SensorApp', testSeed());
    const progress: [number, number][] = [];
    const states: number[] = [];
    const image = await api.uploadImage(contoso(), bytes, { onUploadProgress: (sent, total) => progress.push([sent, total]), onProgress: (s) => states.push(s) });
    assert.deepEqual(image, { Id: IMAGE.app, Name: 'SensorApp', ComponentId: COMPONENTS.sensor, Description: null, ImageType: 10, Type: 10 });
    assert.ok(progress.length >= 1);
    assert.deepEqual(progress.at(-1), [bytes.length, bytes.length]);
    assert.ok(progress.every(([sent], i) => i === 0 || sent > progress[i - 1]![0]), 'progress only grows');
    assert.equal(states.at(-1), 2);
    const upload = transport.sent.find((r) => r.method === 'POST')!;
    assert.equal(upload.headers?.['content-type'], 'application/octet-stream');

    const posts = transport.posts().length;
    assert.deepEqual(await api.uploadImage(contoso(), bytes), image, 'already there: answered from the tenant');
    assert.equal(transport.posts().length, posts, 'and not sent again');
  });

  it('streams a package from a file, 64 KiB at a time', async () => {
    const bytes = appPackageOfSize(COMPONENTS.blink, 300 * 1024, { imageId: IMAGE.fromFile, name: 'Blink', seed: testSeed() });
    const file = join(dir, 'blink.imagepackage');
    writeFileSync(file, bytes);
    const progress: number[] = [];
    const image = await api.uploadImage(contoso(), { path: file }, { onUploadProgress: (sent) => progress.push(sent) });
    assert.deepEqual([image.Id, image.Name, image.Type], [IMAGE.fromFile, 'Blink', 10]);
    assert.deepEqual(progress, [65_536, 131_072, 196_608, 262_144, bytes.length], 'one report per 64 KiB chunk');
  });

  it('cancels an upload midway when the signal fires: nothing is left in the tenant', async () => {
    const bytes = appPackageOfSize(COMPONENTS.blink, 2 * 1024 * 1024, { imageId: IMAGE.cancelled, name: 'Big', seed: testSeed() });
    const controller = new AbortController();
    await assert.rejects(
      api.uploadImage(contoso(), bytes, { signal: controller.signal, onUploadProgress: (sent) => sent >= 128 * 1024 && controller.abort() }),
      CancelledError,
    );
    assert.equal(await api.findImage(contoso(), IMAGE.cancelled), undefined);
  });

  it('refuses what is not an image package before sending anything', async () => {
    const notPackage = join(dir, 'notes.txt');
    writeFileSync(notPackage, 'not a package at all, just some words in a text file');
    const cases: [Parameters<SphereApiClient['uploadImage']>[1], RegExp][] = [
      [Buffer.from('{"hello":"world"}'), /^The image package is not an Azure Sphere image package: it is 17 bytes long/],
      [{ path: notPackage }, /notes\.txt is not an Azure Sphere image package/],
      [{ path: join(dir, 'missing.imagepackage') }, /Cannot read .*missing\.imagepackage: there is no such file\./],
      [{ path: dir }, /it is a folder, not an image package/],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(api.uploadImage(contoso(), input), (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message));
    }
    assert.deepEqual(transport.sent, []);
  });

  it('deploys to a group and reads back its current deployment, history and the images targeted at a device', async () => {
    const board = await api.uploadImage(contoso(), boardConfigImage(IMAGE.board));
    const { fieldTest } = seed().products.thermostat.groups;
    const device = seed().claimedDeviceIds[1];
    await api.moveDeviceToGroup(contoso(), device, fieldTest);
    const states: number[] = [];
    const first = await api.createDeployment(contoso(), fieldTest, [IMAGE.app.toUpperCase()], { onProgress: (s) => states.push(s) });
    assert.deepEqual(first.DeployedImages, [IMAGE.app]);
    assert.equal(states.at(-1), 2);
    const second = await api.createDeployment(contoso(), fieldTest, [IMAGE.fromFile, board.Id], { knownImages: await api.listImages(contoso()) });
    assert.equal((await api.getDeviceGroup(contoso(), fieldTest)).CurrentDeployment?.Id, second.Id);
    assert.deepEqual((await api.listDeployments(contoso(), fieldTest)).map((d) => d.Id), [second.Id, first.Id]);
    assert.deepEqual((await api.listTargetedImages(contoso(), device)).map((i) => [i.Id, i.Type]), [[IMAGE.fromFile, 10], [IMAGE.board, 21]]);
  });

  it('refuses an empty deployment, a repeated image and, when the metadata is known, an image that cannot be deployed — before sending', async () => {
    const capability = capabilityImage(seed().claimedDeviceIds[0]);
    const capabilityId = readImagePackage(capability).imageId;
    await api.uploadImage(contoso(), capability);
    const known = await api.listImages(contoso());
    transport.sent.length = 0;
    const group = seed().products.thermostat.groups.fieldTest;
    const cases: [readonly string[], RegExp][] = [
      [[], /^A deployment needs at least one image; none was chosen\.$/],
      [[IMAGE.app, IMAGE.app.toUpperCase()], /^Image a43206c8-f384-44a2-84ad-c86ce2937a3e is chosen twice\.$/],
      [['blink'], /image ID must be a GUID/],
      [[capabilityId], /\("fw_config"\) is of type 13 \(Firmware config\) and cannot be deployed; a deployment holds application and board configuration images\.$/],
    ];
    for (const [ids, message] of cases) {
      await assert.rejects(api.createDeployment(contoso(), group, ids, { knownImages: known }), (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message));
    }
    assert.deepEqual(transport.sent, []);
    // Without the metadata at hand, the service refuses it with its own 400.
    await assert.rejects(api.createDeployment(contoso(), group, [capabilityId]), (e: unknown) => e instanceof CloudApiError && e.code === 'BadRequest' && /cannot be deployed/.test(e.message));
  });

  it('gives a Reader’s deployment the service’s 403 {Code: 6} and lets a Contributor deploy', async () => {
    const group = seed().products.thermostat.groups.production;
    const riley = await signedIn(suite.fx, 'riley@contoso.com');
    const parker = await signedIn(suite.fx, 'parker@contoso.com');
    try {
      await assert.rejects(riley.sphere.createDeployment(contoso(), group, [IMAGE.app]), (e: unknown) => {
        assert.ok(e instanceof CloudApiError);
        assert.deepEqual([e.status, e.code], [403, 'Forbidden']);
        assert.equal(e.message, `Deploying image ${IMAGE.app} to device group ${group} failed: The Reader role cannot create deployments in tenant 'Contoso Tenant'; it needs Administrator or Contributor (Forbidden, HTTP 403).`);
        return true;
      });
      const deployment = await parker.sphere.createDeployment(contoso(), group, [IMAGE.app]);
      assert.deepEqual(deployment.DeployedImages, [IMAGE.app]);
    } finally {
      riley.dispose();
      parker.dispose();
    }
  });

  it('downloads the error report, newest first, and writes it as CSV with a header row', async () => {
    const insights = await api.getDeviceInsights(contoso(), { maxPageSize: 3 });
    assert.equal(insights.length, 4);
    assert.deepEqual(new Set(insights.map((e) => e.DeviceId)), new Set(seed().claimedDeviceIds));
    const csv = insightsToCsv(await new LegacyFleetBackend(api).listDeviceInsights({ id: contoso(), name: 'Contoso Tenant', kind: 'legacy' }));
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'Device ID,Event Type,Event Class,Event Category,Event Count,Description,Start Time (UTC),End Time (UTC)');
    assert.equal(lines.length, 4 + 2, 'a header, four rows and the final line break');
    assert.ok(lines.slice(1, -1).every((l) => l.includes('"component_id=') || l.includes('"OS updated to ""25.02"""')), 'descriptions with commas and quotes are quoted');
  });
});
