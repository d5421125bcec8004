// Apps on the board through our whole stack: the REST client's app and sideload calls, and the sideload flow, against
// a simulated board over a real pty, serialport, our SLIP/TCP stack and TLS. Packages are written by the test writer
// with seeded content; "nothing was sent" is proved by the board's request counter.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { seededRandom } from '../../../emulator/common/seeded-random';
import { writeCapabilityImage } from '../../../emulator/common/image-package-writer';
import { CancelledError } from '../../../src/common/errors';
import { applyCapabilityImage, deleteApp, sideloadImagePackage, type SideloadProgress } from '../../../src/device/apps';
import { isDeviceError } from '../../../src/device/device-error';
import { isImagePackageError } from '../../../src/device/image-package';
import type { DeviceRestClient } from '../../../src/device/rest/device-rest-client';
import { ENABLE_DEVELOPMENT_ACTION } from '../../../src/device/rest/device-error-messages';
import { enableAppDevelopment, startSimHarness, type SimHarness } from '../../helpers/sim-board';
import { testSeed } from '../../helpers/test-seed';
import { appPackageFile } from '../../helpers/app-packages';

const BLINK = '2f074b0f-d99d-4692-82d9-ef93a7d6463c';
const STORAGE = 'ae4714aa-03aa-492b-9663-962f966a9cc3';
const NW_KERNEL = 'ec96028b-080b-4ff5-9ef1-b40264a8c652'; // an OS component the simulator lists
const UNKNOWN = '6f1b0e0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const KiB = 1024;

interface AppSpec {
  componentId: string;
  imageId: string;
  name: string;
  /** Size of the app's executable (seeded random bytes). */
  appBytes: number;
  storageKB?: number;
}

/** An application package with seeded random content, written to `dir`; resolves to its path. */
function writeApp(dir: string, seed: number, spec: AppSpec): Promise<string> {
  const { componentId, ...options } = spec;
  return appPackageFile(dir, componentId, { ...options, seed, buildDate: new Date('2024-06-09T14:57:48Z') });
}

describe('apps on the board (simulated board over a pty)', function () {
  this.timeout(60_000);

  describe('on a board in development mode', () => {
    let sim: SimHarness;
    let client: DeviceRestClient;

    before(async function () {
      this.timeout(60_000);
      sim = await startSimHarness({ restartDownMs: 200 });
      client = sim.connection.client;
      await enableAppDevelopment(sim);
    });
    after(async () => {
      await sim?.close();
    });

    /** Requests the board served while `action` ran. */
    async function requestsDuring(action: () => Promise<unknown>): Promise<number> {
      const before = sim.board.counters().restRequests;
      await action().catch(() => undefined);
      return sim.board.counters().restRequests - before;
    }

    it('sideloads a package: progress rises to its size, the app runs and is listed with its image ID', async () => {
      const file = await writeApp(sim.dir, testSeed(), { componentId: BLINK, imageId: '6415a939-0ffb-4b1f-9f0e-1a2b3c4d0ffb', name: 'Blink', appBytes: 200 * KiB, storageKB: 8 });
      const size = (await fs.stat(file)).size;
      const progress: SideloadProgress[] = [];
      const result = await sideloadImagePackage(client, file, { onProgress: (p) => progress.push({ ...p }) });

      assert.deepEqual(result, {
        componentId: BLINK, imageId: '6415a939-0ffb-4b1f-9f0e-1a2b3c4d0ffb', name: 'Blink', imageType: 10, state: 'running', restartingSystem: false, replaced: false,
      });
      const phases = progress.map((p) => p.phase).filter((phase, i, all) => phase !== all[i - 1]);
      assert.deepEqual(phases, ['checking', 'staging', 'installing', 'starting']);
      const staging = progress.filter((p) => p.phase === 'staging');
      assert.ok(staging.length >= 3, `only ${staging.length} staging reports`);
      for (let i = 1; i < staging.length; i++) assert.ok(staging[i]!.bytesSent > staging[i - 1]!.bytesSent, `progress went from ${staging[i - 1]!.bytesSent} to ${staging[i]!.bytesSent}`);
      assert.equal(staging.at(-1)!.bytesSent, size);
      assert.ok(staging.every((p) => p.totalBytes === size));

      assert.equal(await client.getAppStatus(BLINK), 'running');
      const images = await client.listImages();
      assert.equal(images.has_staged_updates, false);
      const component = images.components.find((c) => c.uid === BLINK);
      assert.equal(component?.image_type, 10);
      assert.equal(component?.name, 'Blink');
      assert.equal(component?.images[0]?.uid, '6415a939-0ffb-4b1f-9f0e-1a2b3c4d0ffb');
      assert.equal(component?.images[0]?.length_in_bytes, size);
    });

    it('re-deploying a component replaces the installed version', async () => {
      const first = await writeApp(sim.dir, testSeed(), { componentId: STORAGE, imageId: '11111111-2222-4333-8444-555555555555', name: 'Storage', appBytes: 16 * KiB, storageKB: 16 });
      const second = await writeApp(sim.dir, testSeed() + 1, { componentId: STORAGE, imageId: '66666666-7777-4888-9999-aaaaaaaaaaaa', name: 'Storage', appBytes: 24 * KiB, storageKB: 16 });
      assert.equal((await sideloadImagePackage(client, first)).replaced, false);
      const result = await sideloadImagePackage(client, second);
      assert.equal(result.replaced, true);
      assert.equal(result.state, 'running');
      const matching = (await client.listImages()).components.filter((c) => c.uid === STORAGE);
      assert.deepEqual(matching.map((c) => c.images[0]?.uid), ['66666666-7777-4888-9999-aaaaaaaaaaaa']);
    });

    it('with manualStart installs the app and leaves it stopped', async () => {
      const cid = '0b9e1c3a-5d7f-4a2b-8c6d-1e3f5a7b9c0d';
      const file = await writeApp(sim.dir, testSeed(), { componentId: cid, imageId: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5', name: 'Manual', appBytes: 8 * KiB });
      const phases: string[] = [];
      const result = await sideloadImagePackage(client, file, { manualStart: true, onProgress: (p) => phases.push(p.phase) });
      assert.equal(result.state, 'stopped');
      assert.ok(!phases.includes('starting'));
      assert.equal(await client.getAppStatus(cid), 'stopped');
      assert.equal((await client.setAppState(cid, 'start')).state, 'running');
    });

    describe('refuses before sending anything', () => {
      it('a file that is not an image package', async () => {
        const random = seededRandom(testSeed());
        const junk = Buffer.alloc(4 * KiB);
        for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(random() * 256);
        const file = path.join(sim.dir, 'junk.imagepackage');
        await fs.writeFile(file, junk);
        let error: unknown;
        assert.equal(await requestsDuring(async () => sideloadImagePackage(client, file).catch((err: unknown) => { error = err; throw err; })), 0);
        assert.ok(isImagePackageError(error), String(error));
        assert.match((error as Error).message, /junk\.imagepackage is not an Azure Sphere image package: /);
      });

      it('a truncated package', async () => {
        const whole = await fs.readFile(await writeApp(sim.dir, testSeed(), { componentId: UNKNOWN, imageId: '22222222-3333-4444-8555-666666666666', name: 'Cut', appBytes: 8 * KiB }));
        const file = path.join(sim.dir, 'truncated.imagepackage');
        await fs.writeFile(file, whole.subarray(0, whole.length - 100));
        let error: unknown;
        assert.equal(await requestsDuring(async () => sideloadImagePackage(client, file).catch((err: unknown) => { error = err; throw err; })), 0);
        assert.ok(isImagePackageError(error), String(error));
      });

      it('an image of a type that cannot be sideloaded (a capability file, type 13)', async () => {
        const file = path.join(sim.dir, 'capability.bin');
        await fs.writeFile(file, writeCapabilityImage({ deviceId: sim.board.deviceId, capabilities: [11, 12] }));
        let error: unknown;
        assert.equal(await requestsDuring(async () => sideloadImagePackage(client, file).catch((err: unknown) => { error = err; throw err; })), 0);
        assert.ok(isDeviceError(error, 'INVALID_INPUT'), String(error));
        assert.match(error.message, /capability\.bin is a Firmware config image \(image type 13\); only applications \(type 10\) and board configurations \(type 21\) can be sideloaded\./);
        assert.equal(sim.board.state.stagedImage, null);
      });

      it('a missing file', async () => {
        let error: unknown;
        assert.equal(await requestsDuring(async () => sideloadImagePackage(client, path.join(sim.dir, 'nope.imagepackage')).catch((err: unknown) => { error = err; throw err; })), 0);
        assert.ok(isImagePackageError(error, 'UNREADABLE'), String(error));
      });

      it('an already cancelled signal', async () => {
        const file = await writeApp(sim.dir, testSeed(), { componentId: UNKNOWN, imageId: '33333333-4444-4555-8666-777777777777', name: 'Never', appBytes: 4 * KiB });
        let error: unknown;
        assert.equal(await requestsDuring(async () => sideloadImagePackage(client, file, { signal: AbortSignal.abort() }).catch((err: unknown) => { error = err; throw err; })), 0);
        assert.ok(error instanceof CancelledError, String(error));
      });
    });

    it('cancelling mid-upload tears the upload down: CancelledError, nothing staged or installed', async () => {
      const cid = '4d5e6f70-8192-4a3b-8c4d-5e6f70819203';
      const file = await writeApp(sim.dir, testSeed(), { componentId: cid, imageId: '44444444-5555-4666-8777-888888888888', name: 'Cancelled', appBytes: 400 * KiB });
      const size = (await fs.stat(file)).size;
      const controller = new AbortController();
      let sentAtAbort = 0;
      const sideload = sideloadImagePackage(client, file, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'staging' && p.bytesSent > size / 3 && !controller.signal.aborted) {
            sentAtAbort = p.bytesSent;
            controller.abort();
          }
        },
      });
      await assert.rejects(sideload, (err: unknown) => {
        assert.ok(err instanceof CancelledError, String(err));
        assert.match(err.message, /cancelled; nothing was installed/);
        return true;
      });
      assert.ok(sentAtAbort > 0 && sentAtAbort < size);
      // The board saw the connection end before the package did, and kept nothing of it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(sim.board.state.stagedImage, null);
      const images = await client.listImages();
      assert.equal(images.has_staged_updates, false);
      assert.ok(!images.components.some((c) => c.uid === cid));
      assert.equal(await client.getAppStatus(cid), 'notPresent');
    });

    it('an unplugged board fails the upload within 3 s, says nothing was installed, and the old version still runs after replug', async () => {
      const cid = '5e6f7081-9203-4b4c-8d5e-6f7081920314';
      const v1 = await writeApp(sim.dir, testSeed(), { componentId: cid, imageId: '55555555-6666-4777-8888-999999999999', name: 'Sensor', appBytes: 8 * KiB });
      const v2 = await writeApp(sim.dir, testSeed() + 1, { componentId: cid, imageId: '77777777-8888-4999-aaaa-bbbbbbbbbbbb', name: 'Sensor', appBytes: 400 * KiB });
      await sideloadImagePackage(client, v1);
      let unpluggedAt = 0;
      let unplugging: Promise<void> | undefined;
      const sideload = sideloadImagePackage(client, v2, {
        onProgress: (p) => {
          if (p.phase === 'staging' && p.bytesSent > 100 * KiB && !unplugging) {
            unpluggedAt = Date.now();
            unplugging = sim.board.unplug();
          }
        },
      });
      await assert.rejects(sideload, (err: unknown) => {
        assert.ok(isDeviceError(err, 'LINK_DOWN'), String(err));
        assert.match(err.message, /^The upload of Sensor \(Sensor-77777777\.imagepackage\) was interrupted: The link to the board .* went down .*unplugged.*\. Nothing/);
        assert.match(err.message, /Nothing was installed: the version of Sensor already on the board keeps running\.$/);
        return true;
      });
      const failedAfter = Date.now() - unpluggedAt;
      assert.ok(failedAfter < 3_000, `failed ${failedAfter} ms after the unplug`);
      await unplugging;
      await sim.board.replug();
      assert.equal(await client.getAppStatus(cid), 'running');
      const component = (await client.listImages()).components.find((c) => c.uid === cid);
      assert.equal(component?.images[0]?.uid, '55555555-6666-4777-8888-999999999999');
    });

    describe('client calls', () => {
      const APP = '8091a2b3-c4d5-4e6f-8071-92a3b4c5d6e7';
      before(async function () {
        this.timeout(30_000);
        // Not through sideloadImagePackage: the client's own stage and install, from a one-shot stream.
        const file = await writeApp(sim.dir, 7, { componentId: APP, imageId: '99999999-aaaa-4bbb-8ccc-dddddddddddd', name: 'Calls', appBytes: 8 * KiB, storageKB: 64 });
        const bytes = await fs.readFile(file);
        await client.stageImage(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), bytes.length);
        assert.equal((await client.listImages()).has_staged_updates, true);
        assert.equal(await client.getAppStatus(APP), 'notPresent', 'staged only');
        assert.deepEqual(await client.installImages('Auto'), { restartingSystem: false });
      });

      it('reads an app state, starts, stops and starts it for debugging (with the debugger ports)', async () => {
        assert.equal(await client.getAppStatus(APP), 'running');
        assert.deepEqual(await client.setAppState(APP, 'stop'), { state: 'stopped' });
        assert.equal(await client.getAppStatus(APP.toUpperCase()), 'stopped');
        assert.deepEqual(await client.setAppState(APP, 'startDebug'), { state: 'debugging', gdbPort: 2345, outPort: 2342 });
        assert.equal(await client.getAppStatus(APP), 'debugging');
        assert.deepEqual(await client.setAppState(APP, 'start'), { state: 'running' });
        assert.equal(await client.getAppStatus(UNKNOWN), 'notPresent');
      });

      it('reads the quota (the manifest limit) and the memory statistics of running apps', async () => {
        const quota = await client.getAppQuota(APP);
        assert.equal(quota.LimitKB, 64);
        assert.ok(quota.UsageKB >= 0 && quota.UsageKB <= 64);
        const stats = await client.getAppMemoryStats();
        assert.ok(stats.memoryStats.currentMemoryUsageInBytes > 0);
        const app = stats.apps.find((a) => a.componentId === APP);
        assert.ok(app && app.processes.length === 1 && app.processes[0]!.pid > 0, JSON.stringify(stats));
      });

      it('reads capabilities and installed images (OS components, gdbserver, apps)', async () => {
        assert.ok((await client.getCapabilities()).includes(11));
        const images = await client.listImages();
        assert.equal(images.is_ota_update_in_progress, false);
        assert.ok(images.components.some((c) => c.uid === NW_KERNEL && c.image_type === 7));
        assert.ok(images.components.some((c) => c.name === 'gdbserver' && c.image_type === 10));
        assert.ok(images.components.some((c) => c.uid === APP && c.image_type === 10 && !c.is_update_staged));
      });

      it('install with nothing staged does nothing', async () => {
        assert.deepEqual(await client.installImages('Manual'), { restartingSystem: false });
        assert.equal(await client.getAppStatus(APP), 'running');
      });

      it('words the board\'s refusals as the vendor clients do', async () => {
        await assert.rejects(client.getAppQuota(UNKNOWN), (err: unknown) => {
          assert.ok(isDeviceError(err, 'DEVICE_ERROR') && err.httpStatus === 404 && err.deviceError === 14680076, String(err));
          assert.equal(err.message, 'ERROR: This resource is unavailable on this device. Application is not present. Is your device up to date?');
          return true;
        });
        await assert.rejects(client.setAppState(UNKNOWN, 'start'), (err: unknown) => {
          assert.ok(isDeviceError(err, 'DEVICE_ERROR') && err.httpStatus === 409, String(err));
          assert.equal(err.message, 'ERROR: The device could not perform this request due to the resource being in a conflicting state. Application is not present');
          return true;
        });
      });

      it('checks component IDs and triggers before sending, in the vendor wording', async () => {
        const cases: [string, () => Promise<unknown>, RegExp][] = [
          ['status', () => client.getAppStatus('not-a-guid'), /^ERROR: Cannot get the app status, invalid component ID\. "not-a-guid" is not a GUID/],
          ['set', () => client.setAppState('2f074b0f-d99d-4692-82d9', 'start'), /^ERROR: Cannot set the app status, invalid component ID\./],
          ['trigger', () => client.setAppState(APP, 'restart' as 'start'), /^ERROR: Cannot set the app status, invalid trigger\./],
          ['quota', () => client.getAppQuota('../device/security_state'), /^ERROR: Cannot get the app quota, invalid component ID\./],
          ['delete', () => client.deleteImage(`${APP}x`), /^ERROR: Cannot delete image, invalid component ID\./],
          ['install', () => client.installImages('Later' as 'Auto'), /invalid app control mode "Later"/],
          ['stage', () => client.stageImage(Buffer.alloc(0), 0), /^ERROR: Cannot stage image/],
          ['stage length', () => client.stageImage(Buffer.alloc(10), 11), /10 bytes given for a package of 11 bytes/],
        ];
        for (const [name, call, message] of cases) {
          let error: unknown;
          assert.equal(await requestsDuring(async () => call().catch((err: unknown) => { error = err; throw err; })), 0, `${name}: sent a request`);
          assert.ok(isDeviceError(error, 'INVALID_INPUT'), `${name}: ${String(error)}`);
          assert.match(error.message, message, name);
        }
      });

      it('breaks an upload off when the stream is shorter than announced; nothing is staged', async () => {
        await assert.rejects(client.stageImage(Readable.from([Buffer.alloc(1000, 1)]), 5000), (err: unknown) => {
          assert.ok(isDeviceError(err, 'INVALID_INPUT'), String(err));
          assert.match(err.message, /announced as 5000 bytes but had 1000/);
          return true;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal((await client.listImages()).has_staged_updates, false);
      });

      it('deleteApp removes an app, is a no-op for an absent one, and refuses an OS component', async () => {
        const before = sim.board.state.apps.length;
        await assert.rejects(deleteApp(client, NW_KERNEL), (err: unknown) => {
          assert.ok(isDeviceError(err, 'INVALID_INPUT'), String(err));
          assert.match(err.message, /^NW Kernel \(ec96028b-.*\) is part of the board's OS \(image type 7\), not an application/);
          return true;
        });
        assert.equal(sim.board.state.apps.length, before);
        assert.deepEqual(await deleteApp(client, UNKNOWN), { deleted: false, restartingSystem: false });
        assert.deepEqual(await deleteApp(client, APP.toUpperCase()), { deleted: true, name: 'Calls', restartingSystem: false });
        assert.equal(await client.getAppStatus(APP), 'notPresent');
        assert.ok(!(await client.listImages()).components.some((c) => c.uid === APP));
        // The board answers {} for a component it does not have: deleting twice is harmless.
        assert.deepEqual(await client.deleteImage(APP), { restartingSystem: false });
      });
    });
  });

  describe('on a board not in development mode', () => {
    let sim: SimHarness | undefined;
    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });

    it('applies a capability file to a board that booted a moment ago, and sees its quick restart through', async () => {
      // Uptime is in whole seconds: a board that restarts between two polls right after booting would look unchanged.
      sim = await startSimHarness({ restartDownMs: 200 });
      const { client } = sim.connection;
      const boots = sim.board.counters().boots;
      const update = await applyCapabilityImage(client, writeCapabilityImage({ deviceId: sim.board.deviceId, capabilities: [11] }), { restartTimeoutMs: 20_000 });
      assert.deepEqual(update, { capabilities: [11], restarted: true });
      assert.equal(sim.board.counters().boots, boots + 1);
      await assert.rejects(
        applyCapabilityImage(client, writeCapabilityImage({ deviceId: 'ab'.repeat(64), capabilities: [11] })),
        (err: unknown) => isDeviceError(err, 'INVALID_INPUT') && /not for this board/.test(err.message),
      );
    });

    it('refuses a development app on a board not in development mode before sending it, with one next action', async () => {
      sim = await startSimHarness();
      const { client } = sim.connection;
      assert.deepEqual(await client.getCapabilities(), []);
      const file = await writeApp(sim.dir, testSeed(), { componentId: BLINK, imageId: '6415a939-0ffb-4b1f-9f0e-1a2b3c4d0ffb', name: 'Blink', appBytes: 32 * KiB });
      const received = sim.board.counters().uart.rxBytes;
      await assert.rejects(sideloadImagePackage(client, file), (err: unknown) => {
        assert.ok(isDeviceError(err, 'DEVICE_ERROR') && err.deviceError === 7340047, String(err));
        assert.equal(err.message, `Cannot sideload Blink: Image not trusted by device: the board does not allow application development. ${ENABLE_DEVELOPMENT_ACTION}`);
        return true;
      });
      assert.ok(sim.board.counters().uart.rxBytes - received < 8 * KiB, 'the 32 KiB package was not sent');
      assert.equal(sim.board.state.stagedImage, null);
      assert.equal(await client.getAppStatus(BLINK), 'notPresent');
      await assert.rejects(client.getAppMemoryStats(), (err: unknown) => {
        assert.ok(isDeviceError(err, 'DEVICE_ERROR') && err.httpStatus === 403, String(err));
        assert.ok(err.message.endsWith(ENABLE_DEVELOPMENT_ACTION), err.message);
        return true;
      });
    });

  });

  describe('when an answer is lost', () => {
    let sim: SimHarness | undefined;
    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });

    it('re-reads the board instead of resending the install when its answer is lost', async () => {
      sim = await startSimHarness({ restartDownMs: 200 }, { idleTimeoutMs: 1_000 });
      await enableAppDevelopment(sim);
      const { client } = sim.connection;
      const board = sim.board;
      const file = await writeApp(sim.dir, testSeed(), { componentId: BLINK, imageId: '6415a939-0ffb-4b1f-9f0e-1a2b3c4d0ffb', name: 'Blink', appBytes: 8 * KiB });
      const bytes = await fs.readFile(file);
      await client.stageImage(bytes, bytes.length);
      // The moment the board has installed the app, it goes silent: its answer never leaves the line.
      let silenced = false;
      const watcher = setInterval(() => {
        if (board.state.apps.some((a) => a.componentId === BLINK)) {
          clearInterval(watcher);
          silenced = true;
          board.setFaults({ silent: true });
          setTimeout(() => board.setFaults({ silent: false }), 1_500);
        }
      }, 1);
      try {
        assert.deepEqual(await client.installImages('Auto'), { restartingSystem: false });
      } finally {
        clearInterval(watcher);
      }
      assert.ok(silenced, 'the answer was lost');
      assert.ok(sim.logs.some((l) => /answer to "install" was lost; nothing is staged any more/.test(l)), sim.logs.join('\n'));
      assert.equal(await client.getAppStatus(BLINK), 'running');
    });
  });
});
