// The loop closed on the board: a simulated board, claimed and on Wi-Fi, asks the real cloud emulator what its device
// group's deployment targets (POST /v2/devices/{id}/updatecheck, signed with its device key) and installs it through
// the sideload path — the app runs, GET /images shows its image ID, and the cloud's targeted images match. A new
// deployment replaces it and drops cloud apps it no longer names, never sideloaded ones; the Development group gets
// no application (its board configuration, yes) and development mode nothing; offline nothing is asked, unclaimed the
// board is told so and asks again later; a failed download leaves the board as it was and is retried; what came from
// the cloud survives a restart without being downloaded again; a development-signed image is refused once and not
// fetched again.
//
// Boards use ON_DEMAND timing (no periodic check during a test) unless the test is about the loop's own timing, so
// every check is one the test caused; every ID and package byte comes from the test's seed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SimulatedBoard, UpdateTiming } from '../../../emulator/board';
import { AdjustableClock } from '../../../emulator/common/clock';
import { writeImagePackage } from '../../../emulator/common/image-package-writer';
import { deriveSeed, seededRandom, seedFromString } from '../../../emulator/common/seeded-random';
import { BoardFixture, callBoard, get, waitFor } from '../../helpers/board-fixture';
import { call, seededEmulatorPerSuite, tokenFor } from '../../helpers/cloud-emulator';
import { installDeviceKey, seededDeviceKey } from '../../helpers/device-keys';
import { callRaw, operationEnd, type Json } from '../../helpers/fleet-emulator';
import { testSeed } from '../../helpers/test-seed';
import { appPackage, appState, deploy as sideload, images, installCapabilities, PRODUCTION_THUMBPRINT, productionPackage } from './sideload-steps';

/** A check when the board gets online or the test asks; failures retried after 200 ms. */
const ON_DEMAND: Partial<UpdateTiming> = { checkMs: 600_000, retryMaxMs: 200 };
/** The loop on its own: a check every 100 ms, failed ones retried after 100, 200, then 400 ms. */
const FAST: Partial<UpdateTiming> = { checkMs: 100, retryMaxMs: 400 };

/** A production-signed board configuration image (type 21: a raw payload, no file system), as the cloud hands it out. */
function boardConfigPackage(componentId: string, imageId: string, payloadByte: number): Buffer {
  return writeImagePackage({ componentId, imageId, imageType: 21, name: 'BoardConfig', buildDate: new Date('2024-03-01T00:00:00Z'), payload: Buffer.alloc(1024, payloadByte), signingThumbprint: PRODUCTION_THUMBPRINT });
}

/** GUIDs (version 4 layout) drawn from `seed`. */
function guidsFrom(seed: number): () => string {
  const random = seededRandom(seed);
  return () => {
    const b = Buffer.from(Array.from({ length: 16 }, () => Math.floor(random() * 256)));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}

describe('board-sim: updates from its device group’s deployment', function () {
  this.timeout(60_000);
  const clock = new AdjustableClock();
  /** Every request the emulator answered, as "<method> <path> <status>" (no queries), with when (performance.now()). */
  const requests: { line: string; at: number }[] = [];
  const seeded = seededEmulatorPerSuite({ clock, operationDelayMs: 0, log: (line) => requests.push({ line, at: performance.now() }) });
  const fixture = new BoardFixture();
  const running = new Set<SimulatedBoard>();
  /** The boards' own log lines, "<name>: <line>", kept out of the test output. */
  const notes: string[] = [];
  let token: string;
  /** The running test's name as a number: mixed into its seed, so tests differ even when SPHERE_TEST_SEED pins one. */
  let lane = 0;

  beforeEach(function () {
    lane = seedFromString(this.currentTest!.fullTitle());
  });
  before(async () => {
    token = await tokenFor(seeded.emulator, 'avery@contoso.com');
  });
  afterEach(async () => {
    await Promise.all([...running].map((b) => fixture.stop(b)));
    running.clear();
  });
  after(() => fixture.cleanup());

  /**
   * Stream `stream` of the test's seed: device keys, IDs and package bytes. The suite shares one emulator, so two tests
   * must never draw the same device or image; with the test's name mixed in they do not, and a replay with the
   * printed seed draws the same values again.
   */
  const seedOf = (stream: number) => deriveSeed((testSeed() ^ lane) >>> 0, stream);
  const emulator = () => seeded.emulator;
  const tenant = () => emulator().seed.tenants.contoso.id;
  const api = (p: string, opts: Parameters<typeof call>[2] = {}) => call(emulator(), `/v2/tenants/${tenant()}${p}`, { ...opts, token });
  const json = { 'content-type': 'application/json' };

  /** A board with a device key from the test's seed (stream `stream`), pointed at the emulator, sharing its clock. */
  async function startBoard(name: string, updateTiming: Partial<UpdateTiming> = ON_DEMAND, stream = 0): Promise<SimulatedBoard> {
    installDeviceKey(path.join(fixture.root, `state-${name}`), seededDeviceKey(seedOf(stream)));
    const board = await fixture.start(name, {
      cloudUrl: emulator().url,
      cloudCaPem: emulator().caCertPem,
      clock,
      updateTiming,
      log: (line) => notes.push(`${name}: ${line}`),
    });
    running.add(board);
    return board;
  }

  async function stopBoard(board: SimulatedBoard): Promise<void> {
    running.delete(board);
    await fixture.stop(board);
  }

  const timeSynced = async (board: SimulatedBoard) => ((await get(board, '/net/status')).body as { networkTimeSync: string }).networkTimeSync === 'complete';
  const waitOnline = (board: SimulatedBoard) => waitFor(async () => ((await timeSynced(board)) ? true : undefined), 'the board online with network time', 10_000);

  async function joinWifi(board: SimulatedBoard): Promise<void> {
    const added = await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'CoffeeShop', securityState: 'open' } });
    assert.equal(added.status, 201, added.raw);
    await waitOnline(board);
  }

  async function setWlan(board: SimulatedBoard, up: boolean): Promise<void> {
    const res = await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: up } });
    assert.equal(res.status, 200, res.raw);
  }

  async function claim(board: SimulatedBoard): Promise<void> {
    const res = await api(`/devices/${board.deviceId}/claim`, { method: 'PUT' });
    assert.equal(res.status, 202, res.text);
  }

  /** A device group of its own for the test (UpdateAll unless said otherwise), so no other test's deployment reaches it. */
  async function newGroup(label: string, updatePolicy = 0): Promise<string> {
    const name = `Updates ${label} ${seedOf(0).toString(16)}`;
    const res = await api('/devicegroups', { method: 'POST', body: JSON.stringify({ Name: name, ProductId: emulator().seed.products.thermostat.id, UpdatePolicy: updatePolicy }), headers: json });
    assert.equal(res.status, 200, res.text);
    return String((res.json as Json).Id);
  }

  async function moveTo(board: SimulatedBoard, groupId: string): Promise<void> {
    const res = await api(`/devices/${board.deviceId}/devicegroup`, { method: 'PUT', body: JSON.stringify(groupId), headers: json });
    assert.equal(res.status, 202, res.text);
  }

  /** Uploads a package as the tenant's Administrator (`application/octet-stream`) and waits for its Operation. */
  async function upload(bytes: Buffer): Promise<void> {
    const res = await callRaw(emulator(), `/v2/tenants/${tenant()}/images`, { token, body: bytes });
    assert.ok(res.status === 200 || res.status === 202, res.text);
    assert.equal((await operationEnd(emulator(), token, res.json as Json)).State, 2, 'the upload completes');
  }

  async function deployTo(groupId: string, imageIds: string[]): Promise<void> {
    const res = await api(`/devicegroups/${groupId}/deployments`, { method: 'POST', body: JSON.stringify(imageIds), headers: json });
    assert.equal(res.status, 202, res.text);
    assert.equal((await operationEnd(emulator(), token, res.json as Json)).State, 2, 'the deployment completes');
  }

  const deviceLines = (board: SimulatedBoard, tail: RegExp) => requests.filter((r) => r.line.startsWith(`POST /v2/devices/${board.deviceId.toUpperCase()}/`) || r.line.startsWith(`GET /v2/devices/${board.deviceId.toUpperCase()}/`)).filter((r) => tail.test(r.line));
  const checks = (board: SimulatedBoard, status = '\\d+') => deviceLines(board, new RegExp(`^POST \\S+/updatecheck ${status}$`));
  const downloads = (board: SimulatedBoard, imageId = '[0-9a-f-]+', status = '200') => deviceLines(board, new RegExp(`^GET \\S+/images/${imageId}/content ${status}$`));
  const notesOf = (name: string, pattern: RegExp) => notes.filter((n) => n.startsWith(`${name}: `) && pattern.test(n));
  /** The images GET /images lists for a component (what the explorer reads from the board). */
  const installedImages = async (board: SimulatedBoard, componentId: string) => (await images(board)).components.find((c) => c.uid === componentId)?.images.map((i) => i.uid) ?? [];
  const installedRecord = (board: SimulatedBoard, componentId: string) => board.state.apps.find((a) => a.componentId === componentId);

  it('installs and starts what its group’s deployment targets once online, and shows the cloud’s targeted image as installed', async () => {
    const next = guidsFrom(seedOf(99));
    const [cid, imageId] = [next(), next()];
    const group = await newGroup('install');
    await upload(productionPackage(cid, { imageId, name: 'co2monitor', appBytes: 4000, seed: seedOf(1) }));
    await deployTo(group, [imageId]);
    const board = await startBoard('install');
    await claim(board);
    await moveTo(board, group);
    assert.equal(checks(board).length, 0, 'offline: no update check');

    await joinWifi(board); // and nothing else: the board checks on getting online
    await waitFor(() => (board.updates.state === 'upToDate' && installedRecord(board, cid)?.imageId === imageId ? true : undefined), 'the deployed app installed', 10_000);
    assert.equal(await appState(board, cid), 'running', 'cloud-deployed apps start');
    const status = board.updates;
    assert.deepEqual(status.installedFromCloud, [{ componentId: cid, imageId, name: 'co2monitor', imageType: 10 }]);
    assert.deepEqual(status.targeted.map((i) => [i.imageId, i.componentId, i.imageType]), [[imageId, cid, 10]]);
    assert.deepEqual([status.deviceGroupId, status.updatePolicy, status.deploymentUpdates, status.lastError], [group, 0, 'allowed', undefined]);
    assert.equal(installedRecord(board, cid)?.origin, 'cloud', 'the board records that it came from the cloud');

    // What the explorer compares: the cloud's targeted images with the board's installed ones (device REST GET /images).
    const targeted = ((await api(`/devices/${board.deviceId}/images`)).json as { Items: Json[] }).Items.map((i) => i.Id);
    assert.deepEqual(targeted, [imageId]);
    assert.deepEqual(await installedImages(board, cid), [imageId]);
    const device = (await api(`/devices/${board.deviceId}`)).json as Json;
    assert.equal(device.LastUpdateRequestUTC, status.lastCheck, 'the check the cloud recorded is the board’s last');
    assert.equal(downloads(board, imageId).length, 1);
    assert.equal(notesOf('install', /^install: update: installed 'co2monitor' \(component [0-9a-f-]+, image [0-9a-f-]+\) from deployment [0-9a-f-]+, started$/).length, 1);
  });

  it('replaces the app with a new deployment’s, drops a cloud app it no longer names and keeps a sideloaded one', async () => {
    const next = guidsFrom(seedOf(99));
    const [sensor, display, sideloaded] = [next(), next(), next()];
    const [sensorV1, sensorV2, displayV1, sideloadedImage] = [next(), next(), next(), next()];
    const group = await newGroup('replace');
    await upload(productionPackage(sensor, { imageId: sensorV1, name: 'sensor', appBytes: 4000, seed: seedOf(1) }));
    await upload(productionPackage(display, { imageId: displayV1, name: 'display', appBytes: 4000, seed: seedOf(2) }));
    await deployTo(group, [sensorV1, displayV1]);
    const board = await startBoard('replace');
    await claim(board);
    await moveTo(board, group);
    // Production-signed, so the board takes it without the appDevelopment capability.
    await sideload(board, productionPackage(sideloaded, { imageId: sideloadedImage, name: 'local', appBytes: 3000, seed: seedOf(3) }));
    await joinWifi(board);
    await board.checkForUpdates();
    assert.deepEqual(board.updates.installedFromCloud.map((c) => c.imageId), [sensorV1, displayV1]);

    await upload(productionPackage(sensor, { imageId: sensorV2, name: 'sensor', appBytes: 5000, seed: seedOf(4) }));
    await deployTo(group, [sensorV2]);
    const status = await board.checkForUpdates();
    assert.equal(status.state, 'upToDate', status.lastError);
    assert.deepEqual(status.installedFromCloud.map((c) => [c.componentId, c.imageId]), [[sensor, sensorV2]]);
    assert.deepEqual(await installedImages(board, sensor), [sensorV2]);
    assert.equal(await appState(board, sensor), 'running', 'the new version runs');
    assert.equal(await appState(board, display), 'notPresent', 'the cloud app the deployment dropped is removed');
    assert.equal(await appState(board, sideloaded), 'running', 'the sideloaded app stays');
    assert.equal(installedRecord(board, sideloaded)?.origin, undefined);
    assert.equal(notesOf('replace', /update: removed 'display'/).length, 1);
    assert.deepEqual([sensorV1, sensorV2, displayV1].map((id) => downloads(board, id).length), [1, 1, 1], 'each image downloaded once, nothing installed fetched again');
  });

  it('takes only the board configuration in the Development group, nothing in development mode, and the deployment once cloud test is enabled', async () => {
    const next = guidsFrom(seedOf(99));
    const [cid, imageId, configCid, configImage] = [next(), next(), next(), next()];
    await upload(productionPackage(cid, { imageId, name: 'fieldapp', appBytes: 4000, seed: seedOf(1) }));
    await upload(boardConfigPackage(configCid, configImage, seedOf(2) & 0xff));
    const { development } = emulator().seed.products.thermostat.groups;
    await deployTo(development, [imageId, configImage]);
    const board = await startBoard('devmode');
    await claim(board);
    await moveTo(board, development);
    await joinWifi(board);
    let status = await board.checkForUpdates();
    assert.deepEqual([status.state, status.updatePolicy, status.deploymentUpdates], ['upToDate', 1, 'groupPolicy'], 'No3rdPartyAppUpdates');
    assert.deepEqual(status.targeted.map((i) => i.imageId), [configImage], 'the cloud leaves applications out there');
    assert.deepEqual(status.installedFromCloud, [{ componentId: configCid, imageId: configImage, name: 'BoardConfig', imageType: 21 }], 'the board configuration is taken');
    assert.equal(installedRecord(board, cid), undefined);
    assert.equal(await appState(board, configCid), 'notPresent', 'a board configuration is no app: it does not run');

    // Development mode in a group that does take applications: the board takes none, and removes nothing.
    const fieldTest = await newGroup('devmode');
    await deployTo(fieldTest, [imageId]);
    await moveTo(board, fieldTest);
    await installCapabilities(board, [11]); // enable-development: the board reboots
    await waitOnline(board);
    status = await board.checkForUpdates();
    assert.deepEqual([status.state, status.updatePolicy, status.deploymentUpdates], ['upToDate', 0, 'developmentMode']);
    assert.deepEqual(status.targeted.map((i) => i.imageId), [imageId], 'targeted by the cloud, not taken by the board');
    assert.equal(installedRecord(board, cid), undefined);
    assert.equal(installedRecord(board, configCid)?.imageId, configImage, 'what came from the cloud earlier stays');
    assert.deepEqual(downloads(board).map((r) => r.line.split('/')[5]), [configImage], 'only the board configuration was downloaded');
    assert.ok(notesOf('devmode', /development mode \(appDevelopment capability\): nothing is installed from deployments/).length >= 1);

    // enable-cloud-test: capabilities without 11, a reboot, and the board takes the deployment on its own — the
    // application in, the board configuration it no longer names out.
    await installCapabilities(board, []);
    await waitFor(() => (installedRecord(board, cid)?.imageId === imageId ? true : undefined), 'the deployment installed after cloud test is enabled', 10_000);
    assert.equal(await appState(board, cid), 'running');
    assert.equal(installedRecord(board, configCid), undefined, 'the cloud board configuration the deployment dropped is removed');
    assert.equal(board.updates.deploymentUpdates, 'allowed');
  });

  it('checks only when online: not before Wi-Fi, not while the interface is down, and at once when back online', async () => {
    const board = await startBoard('online');
    await claim(board);
    let status = await board.checkForUpdates();
    assert.deepEqual([status.state, status.checks, status.lastCheck], ['idle', 0, undefined], 'offline: no check at all');
    assert.equal(checks(board).length, 0);

    await joinWifi(board);
    await waitFor(() => (checks(board, '200').length === 1 ? true : undefined), 'the check on getting online');
    status = await board.checkForUpdates();
    assert.equal(status.checks, 2);
    assert.deepEqual([status.state, status.deviceGroupId, status.deploymentUpdates], ['upToDate', null, 'noDeviceGroup']);

    await setWlan(board, false);
    status = await board.checkForUpdates();
    assert.equal(status.checks, 2, 'asked offline: nothing sent');
    assert.equal(checks(board).length, 2);
    await setWlan(board, true);
    await waitFor(() => (checks(board, '200').length === 3 ? true : undefined), 'a check on getting online again', 10_000);
  });

  it('unclaimed, is told so and quietly asks again less often; once claimed and in a group it installs on its own and keeps checking', async () => {
    const next = guidsFrom(seedOf(99));
    const [cid, imageId] = [next(), next()];
    const board = await startBoard('unclaimed', FAST);
    await joinWifi(board);
    // Between its attempts (a check may be under way at any moment) the board is idle: not claimed is no failure of it.
    const status = await waitFor(() => (checks(board, '404').length >= 3 && board.updates.state === 'idle' ? board.updates : undefined), 'three refused checks, idle between them', 10_000);
    assert.match(status.lastError ?? '', /^notClaimed: 404: Device '[0-9a-f]+' is not claimed/i);
    assert.equal(notesOf('unclaimed', /update check: the device is not claimed/).length, 1, 'one log line, not one per attempt');
    const [first, , third] = checks(board, '404').map((r) => r.at);
    assert.ok(third! - first! >= 250, `the second wait doubles the first (100 ms, then 200 ms): ${Math.round(third! - first!)} ms`);

    const group = await newGroup('unclaimed');
    await upload(productionPackage(cid, { imageId, name: 'autoapp', appBytes: 4000, seed: seedOf(1) }));
    await deployTo(group, [imageId]);
    await claim(board);
    await moveTo(board, group);
    await waitFor(() => (installedRecord(board, cid)?.imageId === imageId ? true : undefined), 'the deployment installed on the board’s own schedule', 10_000);
    assert.equal(await appState(board, cid), 'running');
    const answered = checks(board, '200').length;
    await waitFor(() => (checks(board, '200').length >= answered + 2 ? true : undefined), 'further checks every checkMs', 10_000);
    assert.equal(downloads(board, imageId).length, 1, 'checked again and again, downloaded once');
    assert.equal(board.updates.lastError, undefined);
  });

  it('leaves the board as it was when a download fails, and retries it', async () => {
    const next = guidsFrom(seedOf(99));
    const [cid, v1, v2] = [next(), next(), next()];
    const group = await newGroup('retry');
    await upload(productionPackage(cid, { imageId: v1, name: 'retryapp', appBytes: 4000, seed: seedOf(1) }));
    await deployTo(group, [v1]);
    const board = await startBoard('retry');
    await claim(board);
    await moveTo(board, group);
    await joinWifi(board);
    await board.checkForUpdates();
    assert.equal(installedRecord(board, cid)?.imageId, v1);

    await upload(productionPackage(cid, { imageId: v2, name: 'retryapp', appBytes: 4500, seed: seedOf(2) }));
    await deployTo(group, [v2]);
    emulator().testHooks.throttleNext(1, 0, `/v2/devices/${board.deviceId.toUpperCase()}/images/`);
    const failed = await board.checkForUpdates();
    // Read at once, before the retry 200 ms later can change anything.
    const afterFailure = board.state.apps.find((a) => a.componentId === cid);
    const staging = fs.readdirSync(path.join(fixture.root, 'state-retry', 'staging'));
    assert.equal(failed.state, 'failed');
    assert.match(failed.lastError ?? '', new RegExp(`^download: downloading image ${v2} \\('retryapp'\\) failed: 429`));
    assert.deepEqual([afterFailure?.imageId, afterFailure?.runState, afterFailure?.origin], [v1, 'running', 'cloud'], 'the old version still installed and running');
    assert.deepEqual(staging, [], 'nothing of the failed download left behind');

    await waitFor(() => (installedRecord(board, cid)?.imageId === v2 ? true : undefined), 'the retried download installed', 10_000);
    assert.equal(board.updates.state, 'upToDate');
    assert.equal(board.updates.lastError, undefined);
    assert.equal(await appState(board, cid), 'running');
    assert.deepEqual([downloads(board, v2, '429').length, downloads(board, v2).length], [1, 1]);
  });

  it('keeps what came from the cloud across a restart of the simulator, runs it, and downloads nothing it has', async () => {
    const next = guidsFrom(seedOf(99));
    const [cid, imageId] = [next(), next()];
    const group = await newGroup('persist');
    await upload(productionPackage(cid, { imageId, name: 'keeper', appBytes: 4000, seed: seedOf(1) }));
    await deployTo(group, [imageId]);
    let board = await startBoard('persist');
    await claim(board);
    await moveTo(board, group);
    await joinWifi(board);
    await board.checkForUpdates();
    assert.deepEqual(board.updates.installedFromCloud.map((c) => c.imageId), [imageId]);
    await stopBoard(board);

    board = await startBoard('persist');
    assert.deepEqual(board.updates.installedFromCloud.map((c) => c.imageId), [imageId], 'read back from the board state');
    await waitFor(() => (board.updates.checks >= 1 && board.updates.state === 'upToDate' ? true : undefined), 'the check after reconnecting', 10_000);
    assert.equal(await appState(board, cid), 'running', 'started again at boot');
    assert.deepEqual(await installedImages(board, cid), [imageId]);
    assert.equal(downloads(board, imageId).length, 1, 'not downloaded again');
  });

  it('refuses a development-signed image from the cloud once and does not download it again', async () => {
    const next = guidsFrom(seedOf(99));
    const [cid, imageId] = [next(), next()];
    const group = await newGroup('devsigned');
    await upload(appPackage(cid, { imageId, name: 'devbuild', appBytes: 4000, seed: seedOf(1) }));
    await deployTo(group, [imageId]);
    const board = await startBoard('devsigned');
    await claim(board);
    await moveTo(board, group);
    await joinWifi(board);
    await board.checkForUpdates(); // after the check made on getting online
    const status = await board.checkForUpdates();
    assert.equal(status.state, 'failed');
    assert.match(status.lastError ?? '', /^refused image: image [0-9a-f-]+ \('devbuild'\) is development-signed or marked under development; the board takes only production-signed images from the cloud$/);
    assert.equal(installedRecord(board, cid), undefined);
    assert.equal(downloads(board, imageId).length, 1, 'fetched once, then known');
    assert.equal(notesOf('devsigned', /development-signed/).length, 1);
  });
});
