// Sideloading on the simulated board over real HTTPS: what PUT /update/stage accepts and refuses, what
// POST /update/install does with applications and capability files, and what survives restarts, power cycles and an
// upload that breaks off.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { SimulatedBoard } from '../../../emulator/board';
import { writeCapabilityImage, writeImagePackage } from '../../../emulator/common/image-package-writer';
import { BoardFixture, get, waitFor } from '../../helpers/board-fixture';
import { openUpload } from '../../helpers/rest-client';
import {
  appPackage, appState, BLINK_CID, capabilities, deploy, GDBSERVER_CID, images, install, installCapabilities, productionPackage,
  setAppState, stage, STORAGE_CID,
} from './sideload-steps';

const NIL_CID = '00000000-0000-0000-0000-000000000000';
const OTHER_DEVICE_ID = 'ab'.repeat(64);

describe('board-sim REST: sideloading', () => {
  const fixture = new BoardFixture();
  let boards = 0;
  const stateName = (): string => `sideload-${++boards}`;
  const stagingFiles = (name: string): string[] => {
    const dir = path.join(fixture.root, `state-${name}`, 'staging');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  after(() => fixture.cleanup());

  it('keeps a staged package in the state folder and records its size and SHA-256, streaming a large one', async () => {
    const name = stateName();
    const board = await fixture.start(name);
    const image = productionPackage(BLINK_CID, { files: { 'bin/app': 3 * 1024 * 1024 + 17 } });
    assert.deepEqual((await stage(board, image)).body, {});
    const staged = board.state.stagedImage;
    assert.equal(staged?.bytes, image.length);
    assert.equal(staged?.sha256, crypto.createHash('sha256').update(image).digest('hex'));
    const files = stagingFiles(name);
    assert.equal(files.length, 1);
    assert.ok(fs.readFileSync(path.join(fixture.root, `state-${name}`, 'staging', files[0]!)).equals(image), 'the package is kept as sent');
    assert.equal((await images(board)).has_staged_updates, true);
  });

  it('refuses what is not a package it can install, staging nothing: 7340050, and 7340079 for a nil component ID', async () => {
    const name = stateName();
    const board = await fixture.start(name);
    const good = productionPackage(BLINK_CID);
    const cases: [string, Buffer, number][] = [
      ['random bytes', crypto.createHash('sha512').update('not a package').digest(), 7340050],
      ['a truncated package', good.subarray(0, good.length - 100), 7340050],
      ['an OS image type', writeImagePackage({ componentId: BLINK_CID, imageId: '6415a939-0000-4000-8000-000000000009', imageType: 7, name: 'kernel', buildDate: new Date(0), payload: Buffer.alloc(64, 1) }), 7340050],
      ['an app without a manifest', writeImagePackage({ componentId: BLINK_CID, imageId: '6415a939-0000-4000-8000-000000000009', name: 'bare', buildDate: new Date(0), files: { 'bin/app': 100 } }), 7340050],
      ['a nil component ID', productionPackage(NIL_CID), 7340079],
    ];
    for (const [what, bytes, code] of cases) {
      const reply = await stage(board, bytes);
      assert.equal(reply.status, 400, what);
      assert.deepEqual(reply.body, { error: code }, what);
      assert.equal(board.state.stagedImage, null, what);
      assert.deepEqual(stagingFiles(name), [], `${what}: no file left behind`);
    }
    assert.equal((await images(board)).has_staged_updates, false);
    assert.deepEqual((await install(board)).body, {}, 'with nothing staged, install does nothing');
  });

  it('refuses to install a development image without the appDevelopment capability (400 7340047)', async () => {
    const board = await fixture.start(stateName());
    for (const image of [appPackage(BLINK_CID), productionPackage(BLINK_CID, { underDevelopment: true }), appPackage(BLINK_CID, { underDevelopment: false })]) {
      await stage(board, image);
      const reply = await install(board);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error: 7340047 });
      assert.equal(await appState(board, BLINK_CID), 'notPresent');
    }
    assert.deepEqual(board.state.apps, []);
  });

  it('replaces an installed app when the same component is deployed again', async () => {
    const board = await fixture.start(stateName());
    await installCapabilities(board, [11]);
    await deploy(board, appPackage(BLINK_CID));
    await deploy(board, appPackage(BLINK_CID, { imageId: '6415a939-0000-4000-8000-0000000000b2', name: 'BlinkV2', storageKB: 16 }));
    const mine = (await images(board)).components.filter((c) => c.uid === BLINK_CID);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.name, 'BlinkV2');
    assert.deepEqual(mine[0]!.images.map((i) => i.uid), ['6415a939-0000-4000-8000-0000000000b2']);
    assert.equal(await appState(board, BLINK_CID), 'running');
    assert.deepEqual((await get(board, `/app/quota/${BLINK_CID}`)).body, { UsageKB: 0, LimitKB: 16 });
  });

  it('installs a capability file: the board restarts with capability 11 and gdbserver; one with no capabilities removes them', async () => {
    const board = await fixture.start(stateName());
    const bootsBefore = board.counters().boots;
    await installCapabilities(board, [11]);
    assert.equal(board.counters().boots, bootsBefore + 1);
    assert.deepEqual(await capabilities(board), [11]);
    assert.equal(board.state.stagedImage, null);
    assert.ok((await images(board)).components.some((c) => c.uid === GDBSERVER_CID && c.name === 'gdbserver'));
    await deploy(board, appPackage(BLINK_CID));

    await installCapabilities(board, []);
    assert.deepEqual(await capabilities(board), []);
    assert.ok(!(await images(board)).components.some((c) => c.uid === GDBSERVER_CID), 'gdbserver goes with the capability');
    assert.equal(await appState(board, BLINK_CID), 'running', 'installed apps stay');
    assert.equal((await setAppState(board, BLINK_CID, 'startDebug')).status, 403);
  });

  it('refuses a capability file issued for another device (400 16777219): nothing changes, no restart', async () => {
    const board = await fixture.start(stateName());
    await stage(board, writeCapabilityImage({ deviceId: OTHER_DEVICE_ID, capabilities: [11] }));
    const bootsBefore = board.counters().boots;
    const reply = await install(board);
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body, { error: 16777219 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(board.counters().boots, bootsBefore);
    assert.deepEqual(await capabilities(board), []);
  });

  it('keeps apps, their run state, capabilities and the staged package across a simulator restart, a power cycle and a restart', async () => {
    const name = stateName();
    let board: SimulatedBoard = await fixture.start(name);
    await installCapabilities(board, [11]);
    await deploy(board, appPackage(BLINK_CID));
    await deploy(board, appPackage(STORAGE_CID, { name: 'MutableStorage', imageId: '6415a939-0000-4000-8000-000000000002' }), 'Manual');
    const third = '33333333-3333-4333-8333-333333333333';
    await stage(board, appPackage(third, { name: 'Third', imageId: '6415a939-0000-4000-8000-000000000003' }));

    const expectKept = async (when: string): Promise<void> => {
      assert.deepEqual(await capabilities(board), [11], when);
      assert.equal(await appState(board, BLINK_CID), 'running', `${when}: the board starts its running apps at boot`);
      assert.equal(await appState(board, STORAGE_CID), 'stopped', when);
      const listed = await images(board);
      assert.ok([BLINK_CID, STORAGE_CID, GDBSERVER_CID].every((cid) => listed.components.some((c) => c.uid === cid)), when);
      assert.equal(listed.has_staged_updates, true, when);
    };

    await fixture.stop(board);
    board = await fixture.start(name);
    await expectKept('after a simulator restart');
    await board.unplug();
    await board.replug();
    await expectKept('after a power cycle');
    const boots = board.counters().boots;
    await board.restart({ downMs: 50 });
    assert.equal(board.counters().boots, boots + 1);
    await expectKept('after a restart');

    // The staged package is still whole: it installs.
    await install(board);
    assert.equal(await appState(board, third), 'running');
  });

  it('an upload cut off mid-way stages nothing and changes nothing: the old app runs, the earlier staged package stays', async () => {
    const name = stateName();
    const board = await fixture.start(name);
    await deploy(board, productionPackage(BLINK_CID));
    const earlier = productionPackage(STORAGE_CID, { name: 'MutableStorage', imageId: '6415a939-0000-4000-8000-000000000002' });
    await stage(board, earlier);
    const stagedBefore = board.state.stagedImage;
    const big = productionPackage(BLINK_CID, { imageId: '6415a939-0000-4000-8000-0000000000b2', files: { 'bin/app': 2 * 1024 * 1024 } });

    const door = board.loopback!;
    const upload = openUpload(() => net.connect(door.port, door.host), board.caCertPem, { path: '/update/stage', declaredLength: big.length });
    upload.reply.catch(() => undefined);
    upload.write(big.subarray(0, 256 * 1024));
    const dir = path.join(fixture.root, `state-${name}`, 'staging');
    const part = await waitFor(() => stagingFiles(name).find((f) => f.endsWith('.part') && fs.statSync(path.join(dir, f)).size > 0), 'the upload to reach the board');
    upload.cutOff();
    await waitFor(() => (fs.existsSync(path.join(dir, part)) ? undefined : true), 'the half upload to be removed');

    assert.deepEqual(board.state.stagedImage, stagedBefore);
    assert.equal(stagingFiles(name).length, 1, 'only the earlier staged package is left');
    assert.equal(await appState(board, BLINK_CID), 'running');
    const app = (await images(board)).components.find((c) => c.uid === BLINK_CID)!;
    assert.equal(app.images[0]!.uid, '6415a939-0000-4000-8000-000000000001', 'the old build is still installed');
    await install(board);
    assert.equal(await appState(board, STORAGE_CID), 'running', 'the earlier staged package is intact');
  });
});
