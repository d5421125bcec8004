// Device-level endpoints of the simulated board over a real HTTPS connection (loopback door, board CA pinned).
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import type { SimulatedBoard } from '../../../emulator/board';
import { appPackageOfSize, PRODUCTION_THUMBPRINT } from '../../helpers/app-packages';
import { BoardFixture, callBoard, get, waitFor } from '../../helpers/board-fixture';

describe('board-sim REST: device endpoints', () => {
  const fixture = new BoardFixture();
  let board: SimulatedBoard;

  before(async () => {
    board = await fixture.start('device');
  });
  after(() => fixture.cleanup());

  it('answers GET /status with the uptime in seconds and REST-API-Version 4.6.0', async () => {
    const reply = await get(board, '/status');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['rest-api-version'], '4.6.0');
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.deepEqual(Object.keys(reply.body as object), ['uptime']);
    assert.ok(Number.isInteger((reply.body as { uptime: number }).uptime));
  });

  it('reports the OS version, ABI versions, capabilities and manufacturing state in the reference shapes', async () => {
    assert.deepEqual((await get(board, '/osversion')).body, { osversion: '24.10' });
    assert.deepEqual((await get(board, '/abi_versions')).body, { SecureWorldRuntime: 2, OSRuntime: 3, ApplicationRuntime: 1 });
    assert.deepEqual((await get(board, '/device/capabilities')).body, { device_capabilities: [] });
    assert.deepEqual((await get(board, '/device/manufacturing_state')).body, { manufacturingState: 'Blank' });
  });

  it('reports its identity: SECURE, device ID = deprecated public key field = 128 lower-case hex', async () => {
    const body = (await get(board, '/device/security_state')).body as Record<string, string>;
    assert.deepEqual(Object.keys(body), ['securityState', 'deviceIdentifier', 'deviceIdentityPublicKey']);
    assert.equal(body.securityState, 'SECURE');
    assert.match(body.deviceIdentifier, /^[0-9a-f]{128}$/);
    assert.equal(body.deviceIdentifier, body.deviceIdentityPublicKey);
    assert.equal(body.deviceIdentifier, board.deviceId);
  });

  it('answers unknown paths with 404 {"error":15728642} and wrong methods with 405, both with the version header', async () => {
    const unknown = await get(board, '/no/such/thing');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 15728642 });
    assert.equal(unknown.headers['rest-api-version'], '4.6.0');
    const wrongMethod = await callBoard(board, { method: 'DELETE', path: '/status' });
    assert.equal(wrongMethod.status, 405);
    assert.deepEqual(wrongMethod.body, { error: 15728642 });
  });

  it('refuses a JSON body that is not JSON with 400 and the area error code', async () => {
    const reply = await callBoard(board, {
      method: 'POST', path: '/wifi/config/networks', body: Buffer.from('{"ssid": '), headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body, { error: 13631496 });
  });

  it('lists OS components under GET /images', async () => {
    const body = (await get(board, '/images')).body as { components: { image_type: number; images: unknown[] }[]; has_staged_updates: boolean };
    assert.equal(body.has_staged_updates, false);
    assert.ok(body.components.some((c) => c.image_type === 7));
    for (const component of body.components) assert.equal(component.images.length, 1);
  });

  it('streams a large PUT /update/stage body and records its size and SHA-256 before answering {}', async () => {
    // Production-signed: this board has no development mode, and the install must take it.
    const image = appPackageOfSize('2f074b0f-d99d-4692-82d9-ef93a7d6463c', 3 * 1024 * 1024 + 17, { underDevelopment: false, signingThumbprint: PRODUCTION_THUMBPRINT });
    const reply = await callBoard(board, {
      method: 'PUT', path: '/update/stage', body: image, headers: { 'Content-Type': 'application/octet-stream' },
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {});
    const staged = board.state.stagedImage;
    assert.deepEqual({ bytes: staged?.bytes, sha256: staged?.sha256 }, { bytes: image.length, sha256: crypto.createHash('sha256').update(image).digest('hex') });
    assert.equal(((await get(board, '/images')).body as { has_staged_updates: boolean }).has_staged_updates, true);
    assert.deepEqual((await callBoard(board, { method: 'POST', path: '/update/install', body: {} })).body, {});
    assert.equal(board.state.stagedImage, null);
  });

  it('refuses PUT /update/stage with another media type (415)', async () => {
    const reply = await callBoard(board, { method: 'PUT', path: '/update/stage', body: { not: 'an image' } });
    assert.equal(reply.status, 415);
  });

  it('refuses POST /restart with a media type other than text/plain (415) and does not restart', async () => {
    const before = board.counters().boots;
    const reply = await callBoard(board, { method: 'POST', path: '/restart', body: {} });
    assert.equal(reply.status, 415);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(board.counters().boots, before);
  });

  it('restarts on POST /restart (text/plain): answers {"restartingSystem":true}, goes away, comes back with uptime reset', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // let uptime reach at least 1 s
    const uptimeBefore = ((await get(board, '/status')).body as { uptime: number }).uptime;
    assert.ok(uptimeBefore >= 1);
    const bootsBefore = board.counters().boots;
    const reply = await callBoard(board, { method: 'POST', path: '/restart', body: Buffer.alloc(0), headers: { 'Content-Type': 'text/plain' } });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { restartingSystem: true });
    // While down, connections are refused; afterwards the board answers with a fresh uptime.
    await waitFor(async () => (board.counters().boots > bootsBefore ? true : undefined), 'the reboot');
    const after = await get(board, '/status');
    assert.ok((after.body as { uptime: number }).uptime < uptimeBefore);
  });

  it('accepts POST /restart without a Content-Type, as the official Python client sends it', async () => {
    const bootsBefore = board.counters().boots;
    const reply = await callBoard(board, { method: 'POST', path: '/restart' });
    assert.deepEqual(reply.body, { restartingSystem: true });
    await waitFor(() => (board.counters().boots > bootsBefore ? true : undefined), 'the reboot');
  });

  it('serves the diagnostic log and telemetry as application/octet-stream; DELETE /telemetry clears the reports', async () => {
    const log = await get(board, '/log');
    assert.equal(log.status, 200);
    assert.equal(log.headers['content-type'], 'application/octet-stream');
    assert.ok(log.raw.length > 0);
    assert.ok((await get(board, '/telemetry')).raw.length > 0);
    assert.deepEqual((await callBoard(board, { method: 'DELETE', path: '/telemetry' })).body, {});
    const cleared = (await get(board, '/telemetry')).bytes;
    assert.equal((cleared[3]! << 8) | cleared[4]!, 0, 'the report length (bytes 3–4) is 0 once cleared');
  });
});
