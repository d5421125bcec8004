// The emulator's stand-in for the device update protocol, called the way a board will: with a board identity
// (emulator/board/identity.ts, its device key drawn from the test's seed) signing "<ID>\n<timestamp>" as the daily
// certificate request does. The update check answers with the images the device's group targets (none in no group,
// no applications under No3rdPartyAppUpdates), records the check (LastUpdateRequestUTC) and the board's app error
// events (then in the tenant's error report); the content route hands out exactly the uploaded bytes, and only of
// images targeted at that device. Refusals: 404 unclaimed, 401 bad signature or clock, 400 malformed.
import assert from 'node:assert/strict';
import { createHash, sign } from 'node:crypto';
import { loadOrCreateIdentity, type BoardIdentity } from '../../../emulator/board/identity';
import { AdjustableClock } from '../../../emulator/common/clock';
import { deriveSeed } from '../../../emulator/common/seeded-random';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { assertApiError, call, removeDir, seededEmulatorPerSuite, tempStateDir, tokensFor } from '../../helpers/cloud-emulator';
import { installDeviceKey, seededDeviceKey } from '../../helpers/device-keys';
import { appImage, boardConfigImage, callRaw, COMPONENTS, operationEnd, type Json } from '../../helpers/fleet-emulator';
import { testSeed } from '../../helpers/test-seed';

const APP_IMAGE = '3962c015-8f52-4d85-a043-acbc38f8b4aa';
const BOARD_IMAGE = '3962c015-8f52-4d85-a043-acbc38f8b4ab';

describe('cloud emulator: the board’s update check and image downloads', () => {
  const clock = new AdjustableClock();
  const seeded = seededEmulatorPerSuite({ clock, operationDelayMs: 0 });
  let emulator: CloudEmulator;
  let tokens: Record<string, string>;
  let contoso: string;
  let board: BoardIdentity;
  let boardDir: string;
  const appBytes = appImage(COMPONENTS.sensor, APP_IMAGE, 'co2monitor');
  const boardBytes = boardConfigImage(BOARD_IMAGE);

  before(async () => {
    emulator = seeded.emulator;
    tokens = await tokensFor(emulator, ['avery@contoso.com', 'riley@contoso.com']);
    contoso = emulator.seed.tenants.contoso.id;
    for (const bytes of [appBytes, boardBytes]) {
      const res = await callRaw(emulator, `/v2/tenants/${contoso}/images`, { token: tokens['avery@contoso.com'], body: bytes });
      assert.equal((await operationEnd(emulator, tokens['avery@contoso.com']!, res.json as Json)).State, 2);
    }
    const fieldTest = emulator.seed.products.thermostat.groups.fieldTest;
    const deployed = await as('avery', `/devicegroups/${fieldTest}/deployments`, { method: 'POST', body: JSON.stringify([APP_IMAGE, BOARD_IMAGE]), headers: { 'content-type': 'application/json' } });
    assert.equal(deployed.status, 202, deployed.text);
  });
  beforeEach(() => {
    // A board of its own per test, with a device key from the test's seed: the simulator's identity module loads it.
    boardDir = tempStateDir();
    installDeviceKey(boardDir, seededDeviceKey(testSeed()));
    board = loadOrCreateIdentity(boardDir);
  });
  afterEach(() => removeDir(boardDir));

  const as = (user: string, path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, `/v2/tenants/${contoso}${path}`, { ...opts, token: tokens[`${user}@contoso.com`] });
  const boardNow = () => new Date(clock.now()).toISOString();
  /** What the board sends to prove itself: its time, signed with its device key as the daily certificate request signs it. */
  const signed = (timestamp = boardNow()) => ({ timestamp, signature: sign('sha256', Buffer.from(`${board.deviceId.toUpperCase()}\n${timestamp}`, 'utf8'), board.deviceKey).toString('base64') });
  const check = (body: Json, deviceId = board.deviceId) => call(emulator, `/v2/devices/${deviceId}/updatecheck`, { method: 'POST', body });
  const download = (imageId: string, proof = signed()) => callRaw(emulator, `/v2/devices/${board.deviceId}/images/${imageId}/content?${new URLSearchParams(proof).toString()}`, { method: 'GET' });
  const claim = async () => assert.equal((await as('avery', `/devices/${board.deviceId}/claim`, { method: 'PUT' })).status, 202);
  const moveTo = async (groupId: string) =>
    assert.equal((await as('avery', `/devices/${board.deviceId}/devicegroup`, { method: 'PUT', body: JSON.stringify(groupId), headers: { 'content-type': 'application/json' } })).status, 202);

  it('answers a claimed board in no group with no images, and records when it asked', async () => {
    assertApiError(await check(signed()), 404, 8, /is not claimed; claim it into a tenant first/);
    await claim();
    const res = await check({ ...signed(), installedImages: [] });
    assert.equal(res.status, 200, res.text);
    const answer = res.json as Json;
    assert.deepEqual({ ...answer, checkedAt: '' }, { deviceId: board.deviceId.toUpperCase(), tenantId: contoso, productId: null, deviceGroupId: null, updatePolicy: null, deploymentId: null, checkedAt: '', targetedImages: [] });
    const device = (await as('riley', `/devices/${board.deviceId}`)).json as Json;
    assert.equal(device.LastUpdateRequestUTC, answer.checkedAt);
    assert.ok(Math.abs(Date.parse(String(answer.checkedAt)) - clock.now()) < 60_000, 'by the emulator’s clock');
  });

  it('lists what the board’s group targets, and hands out exactly those images’ bytes', async () => {
    await claim();
    await moveTo(emulator.seed.products.thermostat.groups.fieldTest);
    const res = await check({ ...signed(), installedImages: [{ imageId: '11111111-2222-4333-8444-555555555555', componentId: COMPONENTS.sensor }] });
    assert.equal(res.status, 200, res.text);
    const answer = res.json as Json & { targetedImages: Json[] };
    assert.equal(answer.updatePolicy, 0);
    assert.equal(answer.deviceGroupId, emulator.seed.products.thermostat.groups.fieldTest);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.deepEqual(answer.targetedImages, [
      { imageId: APP_IMAGE, componentId: COMPONENTS.sensor, name: 'co2monitor', imageType: 10, sizeBytes: appBytes.length, sha256: sha(appBytes) },
      { imageId: BOARD_IMAGE, componentId: COMPONENTS.board, name: 'BoardConfig', imageType: 21, sizeBytes: boardBytes.length, sha256: sha(boardBytes) },
    ]);
    const group = (await as('riley', `/devicegroups/${String(answer.deviceGroupId)}`)).json as Json;
    assert.equal(answer.deploymentId, (group.CurrentDeployment as Json).Id);

    const content = await download(APP_IMAGE.toUpperCase());
    assert.equal(content.status, 200);
    assert.equal(content.headers['content-type'], 'application/octet-stream');
    assert.ok(content.bytes.equals(appBytes), 'the same bytes as uploaded');
    assertApiError(await download('00000000-0000-4000-8000-000000000001'), 404, 8, /is not targeted at device/);
  });

  it('leaves applications out under No3rdPartyAppUpdates (Development): the board configuration is still targeted', async () => {
    await claim();
    const { development } = emulator.seed.products.thermostat.groups;
    assert.equal((await as('avery', `/devicegroups/${development}/deployments`, { method: 'POST', body: JSON.stringify([APP_IMAGE, BOARD_IMAGE]), headers: { 'content-type': 'application/json' } })).status, 202);
    await moveTo(development);
    const answer = (await check(signed())).json as Json & { targetedImages: Json[] };
    assert.equal(answer.updatePolicy, 1);
    assert.deepEqual(answer.targetedImages.map((i) => i.imageId), [BOARD_IMAGE]);
    assertApiError(await download(APP_IMAGE), 404, 8, /not targeted/);
    assert.equal((await download(BOARD_IMAGE)).status, 200);
  });

  it('takes the board’s app error events into the tenant’s error report, newest first', async () => {
    await claim();
    const events = [
      { eventType: 'Unplanned', eventClass: 'Application', eventCategory: 'AppCrash', description: 'exit_code=0, signal_status=11, signal_code=1', eventCount: 2, startTimestampInUnix: 1_700_000_000, endTimestampInUnix: 1_700_000_600 },
      { eventType: 'Unplanned', eventClass: 'Application', eventCategory: 'AppExit', description: 'exit_code=4, "sensor" lost', eventCount: 1, startTimestampInUnix: 1_700_001_000, endTimestampInUnix: 1_700_001_000 },
    ];
    assert.equal((await check({ ...signed(), events })).status, 200);
    const report = ((await as('riley', '/getDeviceInsights?maxPageSize=2')).json as { Items: Json[] }).Items;
    assert.deepEqual(report[0], { DeviceId: board.deviceId.toUpperCase(), Description: 'exit_code=4, "sensor" lost', EventCategory: 'AppExit', EventClass: 'Application', EventType: 'Unplanned', EventCount: 1, StartTimestampInUnix: 1_700_001_000, EndTimestampInUnix: 1_700_001_000 });
    assert.equal(report[1]!.EventCategory, 'AppCrash');
  });

  it('refuses a bad signature or clock (401), malformed checks (400), other methods (405) and another device’s proof', async () => {
    await claim();
    assertApiError(await check({ ...signed(), timestamp: new Date(clock.now() + 1000).toISOString() }), 401, 6, /signature does not verify/);
    assertApiError(await check(signed(new Date(clock.now() - 10 * 60_000).toISOString())), 401, 6, /clock is not synced/);
    assertApiError(await check({ ...signed(), installedImages: [{ imageId: 'x' }] }), 400, 5, /installedImages\[0\] must be \{"imageId", "componentId"\}/);
    assertApiError(await check({ ...signed(), events: [{ eventType: 'Unplanned' }] }), 400, 5, /events\[0\]\.eventClass must be text/);
    assertApiError(await check({ ...signed(), events: 'many' }), 400, 5, /events must be a list/);
    const other = seededDeviceKey(deriveSeed(testSeed(), 1));
    assertApiError(await check(signed(), other.deviceId), 401, 6, /signature does not verify/);
    const proof = signed();
    assertApiError(await callRaw(emulator, `/v2/devices/${board.deviceId}/images/${APP_IMAGE}/content?timestamp=${encodeURIComponent(proof.timestamp)}`, { method: 'GET' }), 400, 5, /signature must be/);
    assert.equal((await call(emulator, `/v2/devices/${board.deviceId}/updatecheck`)).status, 405);
  });
});
