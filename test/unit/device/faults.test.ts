// The client on a bad line: lost answers to non-idempotent requests are reconciled (never duplicated), a noisy line
// loses no request, an unplugged board fails fast with a clear error and is used again once it is back, and
// restart() waits until the board answers again. Real pty, serialport, SLIP/TCP stack and TLS throughout.
import * as assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { isDeviceError } from '../../../src/device/device-error';
import type { StreamConnector } from '../../../src/device/transport';
import { startSimHarness, type SimHarness } from '../../helpers/sim-board';
import { testSeed } from '../../helpers/test-seed';

describe('device client on a faulty line', function () {
  this.timeout(120_000);
  let sim: SimHarness | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('does not add a Wi-Fi network twice when the answer to the add is lost', async () => {
    sim = await startSimHarness({}, { idleTimeoutMs: 1_000 });
    const { client } = sim.connection;
    const board = sim.board;
    await client.getStatus();
    // The moment the board has stored the network, it goes silent: its answer never leaves the line.
    const watcher = setInterval(() => {
      if (board.state.wifi.networks.length > 0) {
        clearInterval(watcher);
        board.setFaults({ silent: true });
        setTimeout(() => board.setFaults({ silent: false }), 1_500);
      }
    }, 1);
    try {
      const added = await client.addWifiNetwork({ ssid: 'HomeNetwork', security: 'psk', psk: 'correct horse battery' });
      assert.equal(added.ssid, 'HomeNetwork');
    } finally {
      clearInterval(watcher);
    }
    assert.deepEqual(board.state.wifi.networks.map((n) => n.ssid), ['HomeNetwork']);
    assert.ok(sim.logs.some((l) => /answer to "add network" was lost/i.test(l)), 'the lost answer was detected and reconciled');
  });

  it('completes 1,000 requests with corrupted and lost frames, adding no network twice', async () => {
    // Rates: 1 % of frames lost, and bytes flipped at 1e-4 per byte (≈ 1 % of the ~100-byte frames of this
    // exchange). A literal 1 % per byte would corrupt ~90 % of 220-byte frames; no TCP completes a request then.
    // The link runs at 3 Mbaud to keep the run short; a 3 s idle limit turns long retransmission waits into lost
    // answers, so reconciliation is exercised too.
    sim = await startSimHarness({ baud: 3_000_000 }, { idleTimeoutMs: 3_000, connectTimeoutMs: 20_000, maxAttempts: 8 });
    const { client } = sim.connection;
    await client.getStatus();
    sim.board.setFaults({ corruptRate: 1e-4, dropRate: 0.01, faultSeed: testSeed() });
    let requests = 0;
    let added = 0;
    const live = new Map<string, number>();
    while (requests < 1_000) {
      const step = requests % 40;
      if (step === 0) {
        const ssid = `net-${added++}`;
        const network = await client.addWifiNetwork({ ssid, security: 'open' });
        live.set(ssid, network.id);
      } else if (step === 20) {
        const [ssid, id] = [...live][0]!;
        await client.forgetWifiNetwork(id);
        live.delete(ssid);
      } else if (step % 5 === 0) {
        const networks = await client.listWifiNetworks();
        const ssids = networks.map((n) => n.ssid);
        assert.equal(new Set(ssids).size, ssids.length, `duplicate network in ${ssids.join(',')}`);
        assert.deepEqual([...ssids].sort(), [...live.keys()].sort());
      } else {
        assert.ok((await client.getStatus()).uptimeSeconds >= 0);
      }
      requests++;
    }
    const counters = sim.board.counters().uart;
    sim.board.setFaults({ corruptRate: 0, dropRate: 0 });
    const final = sim.board.state.wifi.networks.map((n) => n.ssid);
    assert.deepEqual([...final].sort(), [...live.keys()].sort());
    assert.equal(added, 25);
    // The faults really happened.
    assert.ok(counters.rxFaults.droppedFrames + counters.txFaults.droppedFrames > 20, JSON.stringify(counters));
    assert.ok(counters.rxFaults.corruptedBytes + counters.txFaults.corruptedBytes > 20, JSON.stringify(counters));
  });

  it('fails a request with a clear error within 3 s when the board is unplugged, and reconnects when it returns', async () => {
    sim = await startSimHarness();
    const { client } = sim.connection;
    await client.getStatus();
    const image = Buffer.alloc(512 * 1024, 0x5a); // ≈ 5.7 s of line time at 921600 baud
    const upload = client.stageUpdate(image);
    await new Promise((r) => setTimeout(r, 500));
    const unpluggedAt = Date.now();
    await sim.board.unplug();
    await assert.rejects(upload, (err: unknown) => {
      assert.ok(isDeviceError(err, 'LINK_DOWN'), String(err));
      assert.match(err.message, /link to the board \(serial .*\) went down/);
      assert.match(err.message, /unplugged/);
      return true;
    });
    assert.ok(Date.now() - unpluggedAt < 3_000, `error after ${Date.now() - unpluggedAt} ms`);
    assert.equal(sim.board.state.stagedImage ?? null, null, 'nothing staged from a broken upload');

    await sim.board.replug();
    const status = await client.getStatus();
    assert.ok(status.uptimeSeconds < 5, 'a freshly powered board');
    assert.equal(await client.getDeviceId(), sim.board.deviceId);
  });

  it('gives up on a board that stays silent within the retry budget, with the vendor timeout message', async () => {
    sim = await startSimHarness({}, { idleTimeoutMs: 500, connectTimeoutMs: 500, maxAttempts: 100, retryBudgetMs: 1_500 });
    const { client } = sim.connection;
    await client.getStatus();
    sim.board.setFaults({ silent: true });
    const startedAt = Date.now();
    await assert.rejects(client.getStatus(), (err: unknown) => {
      assert.ok(isDeviceError(err, 'TIMEOUT'), String(err));
      assert.match(err.message, /Device connection timed out \(serial .*\)\..*Please ensure your device is connected and has development mode enabled\./);
      return true;
    });
    const elapsed = Date.now() - startedAt;
    assert.ok(elapsed >= 1_500 && elapsed < 4_000, `gave up after ${elapsed} ms`);
  });

  it('restart() returns once the board answers again with a fresh uptime', async () => {
    sim = await startSimHarness({ restartDownMs: 1_500 });
    const { client } = sim.connection;
    await client.getStatus();
    const bootsBefore = sim.board.counters().boots;
    const startedAt = Date.now();
    const status = await client.restart({ timeoutMs: 30_000 });
    assert.ok(Date.now() - startedAt >= 1_500, 'waited through the down time');
    assert.equal(sim.board.counters().boots, bootsBefore + 1);
    assert.ok(status.uptimeSeconds <= 2);
    assert.equal((await client.getSecurityState()).deviceIdentifier, sim.board.deviceId);
  });

  it('restart() also finishes for a board that booted moments ago and reboots too fast to be seen down', async () => {
    // Uptime comes in whole seconds: a fresh boot right after another cannot be told apart unless the first boot
    // is a few seconds old. (This used to wait out the whole timeout.)
    sim = await startSimHarness({ restartDownMs: 200 });
    const { client } = sim.connection;
    const bootsBefore = sim.board.counters().boots;
    const startedAt = Date.now();
    const status = await client.restart({ timeoutMs: 15_000 });
    assert.ok(Date.now() - startedAt < 8_000, `took ${Date.now() - startedAt} ms`);
    assert.equal(sim.board.counters().boots, bootsBefore + 1);
    assert.ok(status.uptimeSeconds <= 2);
  });

  it('restart() does not restart twice when the answer to POST /restart is lost', async () => {
    sim = await startSimHarness({ restartDownMs: 1_000 }, { idleTimeoutMs: 1_000 });
    const { client } = sim.connection;
    const board = sim.board;
    await client.getStatus();
    const requestsBefore = board.counters().restRequests;
    const bootsBefore = board.counters().boots;
    // The board goes silent as soon as it has taken the restart request, so its answer is lost.
    const watcher = setInterval(() => {
      if (board.counters().restRequests > requestsBefore) {
        clearInterval(watcher);
        board.setFaults({ silent: true });
        setTimeout(() => board.setFaults({ silent: false }), 500);
      }
    }, 1);
    try {
      const status = await client.restart({ timeoutMs: 30_000 });
      assert.ok(status.uptimeSeconds <= 2);
    } finally {
      clearInterval(watcher);
    }
    assert.equal(board.counters().boots, bootsBefore + 1);
  });

  it('restart() sends the request again when it never reached the board', async () => {
    // Between client and link: once armed, the connection in use takes the next write (GET /status, which restart()
    // reads first) and then silently swallows everything after it, so POST /restart is lost on its way out.
    let armed: Duplex | undefined = undefined; // set once the connection to break is known
    let writesLeft = 0;
    const losePostRestart = (route: StreamConnector): StreamConnector => ({
      label: route.label,
      async connect(options) {
        const socket = await route.connect(options);
        const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
        (socket as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
          if (armed === socket && writesLeft-- <= 0) {
            const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
            callback?.();
            return true;
          }
          return write(...args);
        };
        sockets.push(socket);
        return socket;
      },
    });
    const sockets: Duplex[] = [];
    sim = await startSimHarness({ restartDownMs: 500 }, { idleTimeoutMs: 1_000 }, losePostRestart);
    const { client } = sim.connection;
    const board = sim.board;
    await new Promise((r) => setTimeout(r, 3_500)); // an uptime that a fresh boot cannot be mistaken for (restart() waits for 3 s)
    await client.getStatus();
    const bootsBefore = board.counters().boots;
    armed = sockets.at(-1);
    writesLeft = 1;
    const status = await client.restart({ timeoutMs: 30_000 });
    assert.ok(status.uptimeSeconds <= 2);
    assert.equal(board.counters().boots, bootsBefore + 1, 'restarted exactly once');
    assert.ok(sim.logs.some((l) => /sending it again/.test(l)));
  });

  it('reconnects by itself after the board restarted underneath it', async () => {
    sim = await startSimHarness();
    const { client } = sim.connection;
    await client.addWifiNetwork({ ssid: 'CoffeeShop', security: 'open' });
    await sim.board.restart({ downMs: 500 });
    assert.deepEqual((await client.listWifiNetworks()).map((n) => n.ssid), ['CoffeeShop']);
  });
});
