// Applications on the simulated board over real HTTPS: the sideload lifecycle the public device API tests walk
// (stage → notPresent → install → running → stop → startDebug → delete → notPresent), start/stop/debug rules,
// quota, memory statistics, and the error-report and firewall endpoints.
import * as assert from 'node:assert/strict';
import type { SimulatedBoard } from '../../../emulator/board';
import { storageUsageKB, STORAGE_SECONDS_PER_KB, appProcessMemory } from '../../../emulator/board/apps/app-metrics';
import { BoardFixture, callBoard, get } from '../../helpers/board-fixture';
import {
  appPackage, appState, BLINK_CID, deploy, GDBSERVER_CID, images, installCapabilities, productionPackage, setAppState, stage,
  STORAGE_CID,
} from './sideload-steps';

const UNKNOWN_CID = '11111111-2222-4333-8444-555555555555';

describe('board-sim REST: applications', () => {
  const fixture = new BoardFixture();
  let boards = 0;
  /** A board of its own for each test: what one test installs must not decide another's outcome. */
  const freshBoard = (): Promise<SimulatedBoard> => fixture.start(`apps-${++boards}`);
  const devBoard = async (): Promise<SimulatedBoard> => {
    const board = await freshBoard();
    await installCapabilities(board, [11]);
    return board;
  };
  after(() => fixture.cleanup());

  it('walks the sideload lifecycle: staged is notPresent, install starts it, stop, startDebug, delete', async () => {
    const board = await devBoard();
    assert.deepEqual((await stage(board, appPackage(BLINK_CID))).body, {});
    assert.equal(await appState(board, BLINK_CID), 'notPresent');
    let listed = await images(board);
    assert.equal(listed.has_staged_updates, true);
    assert.ok(!listed.components.some((c) => c.uid === BLINK_CID), 'a staged app is not installed yet');

    // No body: the default control mode, Auto.
    const installed = await callBoard(board, { method: 'POST', path: '/update/install' });
    assert.equal(installed.status, 200);
    assert.deepEqual(installed.body, {});
    assert.equal(await appState(board, BLINK_CID), 'running');
    listed = await images(board);
    assert.equal(listed.has_staged_updates, false);
    const app = listed.components.find((c) => c.uid === BLINK_CID);
    assert.ok(app, 'the installed app is listed');
    assert.equal(app.image_type, 10);
    assert.equal(app.name, 'AzureSphereBlinkTest');
    assert.deepEqual(app.images.map((i) => i.uid), ['6415a939-0000-4000-8000-000000000001']);
    assert.equal(app.images[0]!.length_in_bytes, appPackage(BLINK_CID).length);

    assert.deepEqual((await setAppState(board, BLINK_CID, 'stop')).body, { state: 'stopped' });
    assert.equal(await appState(board, BLINK_CID), 'stopped');
    assert.deepEqual((await setAppState(board, BLINK_CID, 'startDebug')).body, { state: 'debugging', gdbPort: 2345, outPort: 2342 });
    assert.equal(await appState(board, BLINK_CID), 'debugging');
    assert.equal(await appState(board, GDBSERVER_CID), 'running', 'gdbserver runs while it debugs an app');
    assert.deepEqual((await setAppState(board, BLINK_CID, 'start')).body, { state: 'running' });

    const deleted = await callBoard(board, { method: 'DELETE', path: `/app/image/${BLINK_CID}` });
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, {});
    assert.equal(await appState(board, BLINK_CID), 'notPresent');
    assert.ok(!(await images(board)).components.some((c) => c.uid === BLINK_CID), 'a deleted app is gone from GET /images');
    const quota = await get(board, `/app/quota/${BLINK_CID}`);
    assert.equal(quota.status, 404);
    assert.deepEqual(quota.body, { error: 14680076 });
  });

  it('installs with appControlMode Manual without starting the app; start then runs it', async () => {
    const board = await devBoard();
    await deploy(board, appPackage(BLINK_CID), 'Manual');
    assert.equal(await appState(board, BLINK_CID), 'stopped');
    assert.deepEqual((await setAppState(board, BLINK_CID, 'start')).body, { state: 'running' });
    assert.equal(await appState(board, BLINK_CID), 'running');
  });

  it('without appDevelopment: production-signed apps start and stop, but startDebug and memory statistics are refused (403 1048596)', async () => {
    const board = await freshBoard();
    await deploy(board, productionPackage(BLINK_CID));
    assert.equal(await appState(board, BLINK_CID), 'running');
    assert.deepEqual((await setAppState(board, BLINK_CID, 'stop')).body, { state: 'stopped' });
    assert.deepEqual((await setAppState(board, BLINK_CID, 'start')).body, { state: 'running' });
    const debug = await setAppState(board, BLINK_CID, 'startDebug');
    assert.equal(debug.status, 403);
    assert.deepEqual(debug.body, { error: 1048596 });
    assert.equal(await appState(board, BLINK_CID), 'running', 'a refused startDebug changes nothing');
    const stats = await get(board, '/stats/memory/groups/applications');
    assert.equal(stats.status, 403);
    assert.deepEqual(stats.body, { error: 1048596 });
  });

  it('refuses startDebug without gdbserver (409 3145738), and refuses to start, stop or debug gdbserver itself', async () => {
    const board = await devBoard();
    await deploy(board, appPackage(BLINK_CID));
    assert.ok((await images(board)).components.some((c) => c.uid === GDBSERVER_CID && c.name === 'gdbserver' && c.image_type === 10));
    assert.deepEqual((await setAppState(board, GDBSERVER_CID, 'start')).body, { error: 3145740 });
    assert.deepEqual((await setAppState(board, GDBSERVER_CID, 'stop')).body, { error: 3145741 });
    assert.deepEqual((await setAppState(board, GDBSERVER_CID, 'startDebug')).body, { error: 3145739 });
    assert.deepEqual((await callBoard(board, { method: 'DELETE', path: `/app/image/${GDBSERVER_CID}` })).body, {});
    const debug = await setAppState(board, BLINK_CID, 'startDebug');
    assert.equal(debug.status, 409);
    assert.deepEqual(debug.body, { error: 3145738 });
  });

  it('answers unknown and malformed component IDs and triggers as the device does', async () => {
    const board = await freshBoard();
    assert.deepEqual((await get(board, `/app/status/${UNKNOWN_CID}`)).body, { state: 'notPresent' });
    const patch = await setAppState(board, UNKNOWN_CID, 'start');
    assert.equal(patch.status, 409);
    assert.deepEqual(patch.body, { error: 14680076 });
    const quota = await get(board, `/app/quota/${UNKNOWN_CID}`);
    assert.equal(quota.status, 404);
    assert.deepEqual(quota.body, { error: 14680076 });
    const deleted = await callBoard(board, { method: 'DELETE', path: `/app/image/${UNKNOWN_CID}` });
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, {});
    const badTrigger = await setAppState(board, UNKNOWN_CID, 'pause');
    assert.equal(badTrigger.status, 400);
    assert.deepEqual(badTrigger.body, { error: 14680073 });
    for (const path of ['/app/status/1234', '/app/quota/not-a-guid']) {
      const reply = await get(board, path);
      assert.equal(reply.status, 400, path);
      assert.deepEqual(reply.body, { error: 14680079 }, path);
    }
  });

  it('reports the mutable-storage quota from the manifest: LimitKB = MutableStorage.SizeKB, 0 without', async () => {
    const board = await devBoard();
    await deploy(board, appPackage(STORAGE_CID, { storageKB: 8, name: 'MutableStorage', imageId: '6415a939-0000-4000-8000-000000000002' }));
    await deploy(board, appPackage(BLINK_CID));
    assert.deepEqual((await get(board, `/app/quota/${STORAGE_CID}`)).body, { UsageKB: 0, LimitKB: 8 });
    assert.deepEqual((await get(board, `/app/quota/${BLINK_CID}`)).body, { UsageKB: 0, LimitKB: 0 });
  });

  it('lists the running apps, not the stopped ones, in the memory statistics', async () => {
    const board = await devBoard();
    await deploy(board, appPackage(BLINK_CID));
    await deploy(board, appPackage(STORAGE_CID, { name: 'MutableStorage', imageId: '6415a939-0000-4000-8000-000000000002' }), 'Manual');
    const reply = await get(board, '/stats/memory/groups/applications');
    assert.equal(reply.status, 200);
    const body = reply.body as {
      memoryStats: { currentMemoryUsageInBytes: number; userModeMemoryUsageInBytes: number; peakUserModeMemoryUsageInBytes: number };
      apps: { componentId: string; processes: { pid: number; heapUsageByCaller: { name: string; usageInBytes: number }[] }[] }[];
    };
    assert.deepEqual(body.apps.map((a) => a.componentId), [BLINK_CID]);
    const [process] = body.apps[0]!.processes;
    assert.ok(Number.isInteger(process!.pid) && process!.pid > 0);
    assert.ok(process!.heapUsageByCaller.length > 0 && process!.heapUsageByCaller.every((h) => typeof h.name === 'string' && h.usageInBytes > 0));
    const { currentMemoryUsageInBytes: current, userModeMemoryUsageInBytes: user, peakUserModeMemoryUsageInBytes: peak } = body.memoryStats;
    assert.ok(user > appPackage(BLINK_CID).length, 'the mapped image counts');
    assert.ok(current > user && peak >= user, JSON.stringify(body.memoryStats));

    await setAppState(board, BLINK_CID, 'stop');
    const stopped = (await get(board, '/stats/memory/groups/applications')).body as typeof body;
    assert.deepEqual(stopped.apps, []);
    assert.equal(stopped.memoryStats.userModeMemoryUsageInBytes, 0);
    assert.equal(stopped.memoryStats.peakUserModeMemoryUsageInBytes, peak, 'the peak stays');
  });

  it('serves error reports whose bytes 3–4 give the data length, 0 after DELETE /telemetry', async () => {
    const board = await freshBoard();
    const before = await get(board, '/telemetry');
    assert.equal(before.headers['content-type'], 'application/octet-stream');
    const length = (before.bytes[3]! << 8) | before.bytes[4]!;
    assert.ok(length > 0);
    assert.equal(before.bytes.length, 5 + length);
    assert.deepEqual((await callBoard(board, { method: 'DELETE', path: '/telemetry' })).body, {});
    const after = await get(board, '/telemetry');
    assert.equal((after.bytes[3]! << 8) | after.bytes[4]!, 0);
  });

  it('lists the firewall rulesets, one per netfilter hook, with rules in the device API shape', async () => {
    const board = await freshBoard();
    const body = (await get(board, '/net/firewall/rulesets')).body as { rulesets: { hook: string; isValid: boolean; rules: Record<string, unknown>[] }[] };
    assert.deepEqual(body.rulesets.map((r) => r.hook), ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
    const rule = body.rulesets.find((r) => r.hook === 'INPUT')!.rules[0]!;
    assert.deepEqual(Object.keys(rule).sort(), [
      'action', 'bytes', 'destinationIP', 'destinationMask', 'destinationPortRange', 'interfaceInName', 'interfaceOutName', 'packets',
      'protocol', 'sourceIP', 'sourceMask', 'sourcePortRange', 'state', 'tcpCmp', 'tcpInv', 'tcpMask', 'uid',
    ]);
  });
});

describe('board-sim app metrics', () => {
  it('fills mutable storage one KiB per STORAGE_SECONDS_PER_KB of running, on top of earlier runs, never past the limit', () => {
    assert.equal(storageUsageKB(8, 0, 0), 0);
    assert.equal(storageUsageKB(8, 0, STORAGE_SECONDS_PER_KB * 3 + 1), 3);
    assert.equal(storageUsageKB(8, 2, STORAGE_SECONDS_PER_KB * 3), 5);
    assert.equal(storageUsageKB(8, 2, STORAGE_SECONDS_PER_KB * 100), 8);
    assert.equal(storageUsageKB(0, 0, STORAGE_SECONDS_PER_KB * 100), 0, 'no mutable storage, nothing written');
  });

  it('derives memory from the image size and run time alone: the same inputs give the same figures; the heap grows, then levels off', () => {
    assert.deepEqual(appProcessMemory(16_596, 10), appProcessMemory(16_596, 10));
    const young = appProcessMemory(16_596, 1);
    const older = appProcessMemory(16_596, 60);
    assert.ok(older.userModeBytes > young.userModeBytes);
    assert.deepEqual(appProcessMemory(16_596, 3600), appProcessMemory(16_596, 7200));
    assert.ok(appProcessMemory(1_000_000, 1).userModeBytes > young.userModeBytes, 'a larger image maps more pages');
  });
});
