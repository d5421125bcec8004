// Images and deployments in the emulator over real HTTPS: an image package uploaded as raw bytes (an ImageUpload
// Operation that its own timer completes), its metadata as the project's reader sees the package, the same image
// uploaded again answered with the first Operation, what is not a package refused; deployments refused for an empty
// list, unknown images, a capability file and two images of one component, a Reader refused with the service's 403;
// the group's CurrentDeployment and history newest first; the images targeted at a device, without applications in
// a No3rdPartyAppUpdates group; a deployment that fails because its group was deleted while it ran; all of it, the
// package bytes and a board's update check included, kept across a restart.
import assert from 'node:assert/strict';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud/index';
import { deriveSeed } from '../../../emulator/common/seeded-random';
import { readImagePackage } from '../../../src/device/image-package';
import { assertApiError, call, removeDir, seededEmulatorPerSuite, seededStateDir, tokenFor, tokensFor } from '../../helpers/cloud-emulator';
import { attestationBody, seededDeviceKey } from '../../helpers/device-keys';
import { appImage, boardConfigImage, callRaw, capabilityImage, COMPONENTS, operationEnd, type Json } from '../../helpers/fleet-emulator';
import { testSeed } from '../../helpers/test-seed';

const IMAGE = {
  sensorV1: 'a43206c8-f384-44a2-84ad-c86ce2937a3e',
  sensorV2: 'a43206c8-f384-44a2-84ad-c86ce2937a3f',
  blink: '583d37d2-dc16-441f-b927-933edd4c1085',
  board: '985453bb-eb5c-4ff2-8e06-aef4786ac445',
} as const;

describe('cloud emulator: images and deployments', () => {
  const seeded = seededEmulatorPerSuite({ operationDelayMs: 0 });
  let emulator: CloudEmulator;
  let tokens: Record<string, string>;
  let contoso: string;

  before(async () => {
    emulator = seeded.emulator;
    tokens = await tokensFor(emulator, ['avery@contoso.com', 'parker@contoso.com', 'riley@contoso.com', 'jordan@fabrikam.com']);
    contoso = emulator.seed.tenants.contoso.id;
  });
  afterEach(() => emulator.testHooks.setOperationDelay(0));

  const token = (user: string) => tokens[`${user}@contoso.com`] ?? tokens[user]!;
  const as = (user: string, path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, `/v2/tenants/${contoso}${path}`, { ...opts, token: token(user) });
  const upload = (user: string, bytes: Buffer, tenantId = contoso) => callRaw(emulator, `/v2/tenants/${tenantId}/images`, { token: token(user), body: bytes });
  const uploaded = async (bytes: Buffer): Promise<Json> => {
    const res = await upload('parker', bytes);
    assert.equal(res.status, 200, res.text);
    return operationEnd(emulator, token('riley'), res.json as Json);
  };
  const deploy = (user: string, groupId: string, body: unknown) =>
    as(user, `/devicegroups/${groupId}/deployments`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const move = (device: string, groupId: string) => as('avery', `/devices/${device}/devicegroup`, { method: 'PUT', body: JSON.stringify(groupId), headers: { 'content-type': 'application/json' } });

  it('uploads an image package as an ImageUpload Operation (200, type 7) that completes by itself, with the package’s metadata', async () => {
    emulator.testHooks.setOperationDelay(60_000);
    const bytes = appImage(COMPONENTS.sensor, IMAGE.sensorV1, 'SensorApp', testSeed());
    const res = await upload('parker', bytes);
    assert.equal(res.status, 200, res.text);
    const op = res.json as Json;
    assert.deepEqual([op.OperationType, op.State, op.ResourceLocation], [7, 1, `/v2/tenants/${contoso}/images/${IMAGE.sensorV1}/metadata`]);
    assert.equal(res.headers.location, `/v2/tenants/${contoso}/operations/${String(op.OperationId)}`);
    assertApiError(await as('riley', `/images/${IMAGE.sensorV1}/metadata`), 404, 8, /not found/);
    // Shorten the wait: the Operation's own timer ends it, no test hook needed.
    emulator.testHooks.setOperationDelay(100);
    const quick = (await upload('parker', boardConfigImage('985453bb-eb5c-4ff2-8e06-aef4786ac4ff'))).json as Json;
    assert.equal(quick.State, 1);
    assert.equal((await operationEnd(emulator, token('riley'), quick)).State, 2);
    emulator.testHooks.settleOperations();
    const done = await operationEnd(emulator, token('riley'), op);
    assert.equal(done.State, 2);

    const info = readImagePackage(bytes);
    const expected = { Id: IMAGE.sensorV1, Name: info.name, ComponentId: COMPONENTS.sensor, Description: null, ImageType: 10, Type: 10 };
    assert.equal(info.name, 'SensorApp');
    assert.deepEqual((await as('riley', `/images/${IMAGE.sensorV1.toUpperCase()}/metadata`)).json, expected);
    assert.deepEqual(((await as('riley', '/images')).json as { Items: Json[] }).Items.find((i) => i.Id === IMAGE.sensorV1), expected);
  });

  it('answers an upload of an image it already has (or is still taking) with the first Operation: no second image', async () => {
    const first = await uploaded(appImage(COMPONENTS.blink, IMAGE.blink, 'Blink'));
    const again = await upload('avery', appImage(COMPONENTS.blink, IMAGE.blink, 'Blink'));
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json, first);
    emulator.testHooks.setOperationDelay(60_000);
    const slow = (await upload('parker', boardConfigImage(IMAGE.board))).json as Json;
    const retried = (await upload('parker', boardConfigImage(IMAGE.board))).json as Json;
    assert.equal(retried.OperationId, slow.OperationId);
    emulator.testHooks.settleOperations();
    assert.equal((await operationEnd(emulator, token('riley'), slow)).State, 2);
    const ids = ((await as('riley', '/images')).json as { Items: Json[] }).Items.map((i) => i.Id);
    assert.equal(ids.filter((id) => id === IMAGE.blink).length, 1);
    assert.equal(ids.filter((id) => id === IMAGE.board).length, 1);
    assert.equal(((await as('riley', `/images/${IMAGE.board}/metadata`)).json as Json).Type, 21);
  });

  it('refuses what is not an image package with 400 and the reader’s reason, and a Reader’s upload with 403', async () => {
    assertApiError(await upload('parker', Buffer.from('{"not":"a package"}')), 400, 5, /^The uploaded file is not an Azure Sphere image package: it is 19 bytes long/);
    const truncated = appImage(COMPONENTS.sensor, IMAGE.sensorV2).subarray(0, 3000);
    assertApiError(await upload('parker', truncated), 400, 5, /The uploaded file is not an Azure Sphere image package/);
    assertApiError(await upload('parker', Buffer.alloc(0)), 400, 5, /request body is empty/);
    assertApiError(await upload('riley', appImage(COMPONENTS.sensor, IMAGE.sensorV2)), 403, 6, /Reader role cannot upload images/);
    assertApiError(await upload('jordan@fabrikam.com', appImage(COMPONENTS.sensor, IMAGE.sensorV2)), 403, 6, /does not have access/);
  });

  it('refuses deployments of nothing, of unknown images, of a capability file, of one component twice, and a Reader’s', async () => {
    const group = emulator.seed.products.thermostat.groups.fieldTest;
    const capability = capabilityImage(emulator.seed.claimedDeviceIds[0]);
    const capabilityId = readImagePackage(capability).imageId;
    await uploaded(capability);
    await uploaded(appImage(COMPONENTS.sensor, IMAGE.sensorV2, 'SensorApp'));
    assertApiError(await deploy('riley', group, [IMAGE.sensorV1]), 403, 6, /^The Reader role cannot create deployments in tenant 'Contoso Tenant'; it needs Administrator or Contributor\.$/);
    assertApiError(await deploy('parker', group, []), 400, 5, /A deployment needs at least one image; the request lists none/);
    assertApiError(await deploy('parker', group, { images: [IMAGE.sensorV1] }), 400, 5, /must be a JSON array of image IDs/);
    assertApiError(await deploy('parker', group, ['00000000-0000-4000-8000-0000000000aa']), 400, 5, /Image '00000000-0000-4000-8000-0000000000aa' was not found in tenant 'Contoso Tenant'; upload it first/);
    assertApiError(await deploy('parker', group, ['sensor']), 400, 5, /Image ID '"sensor"' is not valid: it must be a GUID/);
    assertApiError(await deploy('parker', group, [IMAGE.sensorV1, IMAGE.sensorV1.toUpperCase()]), 400, 5, /listed twice/);
    assertApiError(await deploy('parker', group, [capabilityId]), 400, 5, /is of type 13 \(Firmware config\), which cannot be deployed; a deployment holds application and board configuration images/);
    assertApiError(await deploy('parker', group, [IMAGE.sensorV1, IMAGE.sensorV2]), 400, 5, /are both of component '25025d2c-66da-4448-bae1-ac26fcdd3627'; a deployment holds one image per component/);
    assert.equal(((await as('riley', `/devicegroups/${group}`)).json as Json).CurrentDeployment, null, 'nothing was deployed');
  });

  it('deploys (202, type 5): the group’s CurrentDeployment, its history newest first, the images targeted at its devices', async () => {
    const { fieldTest, development } = emulator.seed.products.thermostat.groups;
    const device = emulator.seed.claimedDeviceIds[1];
    assert.equal((await move(device, fieldTest)).status, 202);
    assert.deepEqual((await as('riley', `/devices/${device}/images`)).json, { Items: [], ContinuationToken: null }, 'no deployment yet');

    const first = await deploy('parker', fieldTest, [IMAGE.sensorV1]);
    assert.equal(first.status, 202, first.text);
    assert.deepEqual([(first.json as Json).OperationType, (first.json as Json).State], [5, 2]);
    const second = await deploy('avery', fieldTest, [IMAGE.sensorV2, IMAGE.board]);
    assert.equal(second.status, 202, second.text);

    const group = (await as('riley', `/devicegroups/${fieldTest}`)).json as Json;
    const current = group.CurrentDeployment as Json;
    assert.deepEqual(Object.keys(current).sort(), ['DeployedImages', 'DeploymentDateUtc', 'Id', 'TenantId']);
    assert.deepEqual(current.DeployedImages, [IMAGE.sensorV2, IMAGE.board]);
    const history = ((await as('riley', `/devicegroups/${fieldTest}/deployments`)).json as { Items: Json[] }).Items;
    assert.deepEqual(history.map((d) => d.DeployedImages), [[IMAGE.sensorV2, IMAGE.board], [IMAGE.sensorV1]]);
    assert.deepEqual(history[0], current);
    const paged = (await as('riley', `/devicegroups/${fieldTest}/deployments?maxPageSize=1`)).json as { Items: Json[]; ContinuationToken: string };
    assert.deepEqual(paged.Items, [current]);
    const rest = (await as('riley', `/devicegroups/${fieldTest}/deployments`, { headers: { 'Sphere-Continuation': paged.ContinuationToken } })).json as { Items: Json[]; ContinuationToken: null };
    assert.deepEqual(rest, { Items: [history[1]], ContinuationToken: null });

    const targeted = ((await as('riley', `/devices/${device}/images`)).json as { Items: Json[] }).Items;
    assert.deepEqual(targeted.map((i) => [i.Id, i.Type]), [[IMAGE.sensorV2, 10], [IMAGE.board, 21]]);

    // In Development (No3rdPartyAppUpdates), the same deployment targets the board configuration only.
    assert.equal((await deploy('parker', development, [IMAGE.sensorV2, IMAGE.board])).status, 202);
    assert.equal((await move(device, development)).status, 202);
    assert.deepEqual(((await as('riley', `/devices/${device}/images`)).json as { Items: Json[] }).Items.map((i) => i.Id), [IMAGE.board]);
    assertApiError(await as('riley', `/devices/${'F0'.repeat(64)}/images`), 404, 8, /not claimed/);
  });

  it('answers the same deployment asked again while it runs with its Operation, and fails it when the group is deleted meanwhile', async () => {
    const created = await as('avery', '/devicegroups', { method: 'POST', body: { Name: 'Short Lived', ProductId: emulator.seed.products.thermostat.id } });
    const groupId = String((created.json as Json).Id);
    emulator.testHooks.setOperationDelay(60_000);
    const op = (await deploy('parker', groupId, [IMAGE.sensorV1])).json as Json;
    assert.equal(op.State, 1);
    const again = (await deploy('parker', groupId, [IMAGE.sensorV1.toUpperCase()])).json as Json;
    assert.equal(again.OperationId, op.OperationId, 'a retry of the same deployment is the same deployment');
    // The deletion ends within its request; the deployment, still running, then finds no group.
    emulator.testHooks.setOperationDelay(0);
    assert.equal(((await as('avery', `/devicegroups/${groupId}`, { method: 'DELETE' })).json as Json).State, 2);
    emulator.testHooks.settleOperations();
    const ended = await operationEnd(emulator, token('riley'), op);
    assert.equal(ended.State, 3);
    assert.deepEqual(ended.Error, { Code: 8, Message: `Device group '${groupId}' was deleted before the deployment reached it.` });
  });

  it('keeps each tenant’s images to itself', async () => {
    const fabrikam = emulator.seed.tenants.fabrikam.id;
    const res = await upload('jordan@fabrikam.com', appImage(COMPONENTS.sensor, IMAGE.sensorV1, 'Other', deriveSeed(testSeed(), 1)), fabrikam);
    assert.equal(res.status, 200, res.text);
    const items = ((await call(emulator, `/v2/tenants/${fabrikam}/images`, { token: token('jordan@fabrikam.com') })).json as { Items: Json[] }).Items;
    assert.deepEqual(items.map((i) => [i.Id, i.Name]), [[IMAGE.sensorV1, 'Other']]);
    assert.equal(((await as('riley', `/images/${IMAGE.sensorV1}/metadata`)).json as Json).Name, 'SensorApp', 'Contoso’s image of that ID is its own');
  });
});

describe('cloud emulator: images and deployments across a restart', () => {
  it('keeps the images (bytes included), the deployments, a board’s update check and its events', async () => {
    const stateDir = await seededStateDir();
    const restart = async (previous?: CloudEmulator) => {
      await previous?.close();
      const emu = await startCloudEmulator({ port: 0, stateDir, seed: true, operationDelayMs: 0 });
      return { emu, token: await tokenFor(emu, 'avery@contoso.com') };
    };
    let { emu, token } = await restart();
    try {
      const t = emu.seed.tenants.contoso.id;
      const { fieldTest } = emu.seed.products.thermostat.groups;
      const bytes = appImage(COMPONENTS.sensor, IMAGE.sensorV1, 'SensorApp', testSeed());
      assert.equal((await callRaw(emu, `/v2/tenants/${t}/images`, { token, body: bytes })).status, 200);
      const key = seededDeviceKey(testSeed());
      assert.equal((await call(emu, `/v2/tenants/${t}/devices/${key.deviceId}/claim`, { method: 'PUT', token })).status, 202);
      assert.equal((await call(emu, `/v2/tenants/${t}/devices/${key.deviceId}/devicegroup`, { method: 'PUT', token, body: JSON.stringify(fieldTest), headers: { 'content-type': 'application/json' } })).status, 202);
      const deployed = await call(emu, `/v2/tenants/${t}/devicegroups/${fieldTest}/deployments`, { method: 'POST', token, body: JSON.stringify([IMAGE.sensorV1]), headers: { 'content-type': 'application/json' } });
      assert.equal(deployed.status, 202, deployed.text);
      const event = { eventType: 'Unplanned', eventClass: 'Application', eventCategory: 'AppExit', description: 'exit_code=9', eventCount: 1, startTimestampInUnix: 1_700_000_000, endTimestampInUnix: 1_700_000_000 };
      const checked = await call(emu, `/v2/devices/${key.deviceId}/updatecheck`, { method: 'POST', body: { ...attestationBody(key, new Date().toISOString()), events: [event] } });
      assert.equal(checked.status, 200, checked.text);
      const group = (await call(emu, `/v2/tenants/${t}/devicegroups/${fieldTest}`, { token })).json as Json;

      ({ emu, token } = await restart(emu));
      assert.equal(((await call(emu, `/v2/tenants/${t}/images/${IMAGE.sensorV1}/metadata`, { token })).json as Json).Name, 'SensorApp');
      assert.deepEqual((await call(emu, `/v2/tenants/${t}/devicegroups/${fieldTest}`, { token })).json, group);
      assert.equal(((await call(emu, `/v2/tenants/${t}/devices/${key.deviceId}`, { token })).json as Json).LastUpdateRequestUTC, (checked.json as Json).checkedAt);
      assert.equal(((await call(emu, `/v2/tenants/${t}/getDeviceInsights`, { token })).json as { Items: Json[] }).Items[0]!.Description, 'exit_code=9');
      const proof = attestationBody(key, new Date().toISOString());
      const content = await callRaw(emu, `/v2/devices/${key.deviceId}/images/${IMAGE.sensorV1}/content?${new URLSearchParams(proof).toString()}`, { method: 'GET' });
      assert.equal(content.status, 200);
      assert.ok(content.bytes.equals(bytes), 'the package bytes, from the state folder');
    } finally {
      await emu.close();
      removeDir(stateDir);
    }
  });
});
