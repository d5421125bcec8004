// The simulator as the extension meets it: a real pty opened with `serialport`, the project's SLIP/IPv4/TCP stack,
// TLS pinned to the board CA. Covers the link itself: announcement, pacing, unplug/replug, restart, silence, faults.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listAnnouncements, type SimulatedBoard } from '../../../emulator/board';
import { wireTimeMs } from '../../../src/device/net';
import { BoardFixture, waitFor } from '../../helpers/board-fixture';
import { restCall } from '../../helpers/rest-client';
import { openSerialHost, type SerialHost } from '../../helpers/serial-host';
import { testSeed } from '../../helpers/test-seed';

describe('board-sim over a real pty and serialport', function () {
  this.timeout(30_000);
  const fixture = new BoardFixture();
  const hosts: SerialHost[] = [];
  after(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await fixture.cleanup();
  });

  async function open(board: SimulatedBoard, baud?: number): Promise<SerialHost> {
    const host = await openSerialHost(board.linkPath, baud);
    hosts.push(host);
    return host;
  }
  async function close(host: SerialHost): Promise<void> {
    hosts.splice(hosts.indexOf(host), 1);
    await host.close();
  }
  const status = (board: SimulatedBoard, host: SerialHost) => restCall(host.connectRest, board.caCertPem, { method: 'GET', path: '/status' });

  it('links PATH to a pty, announces itself, and serves the REST API over SLIP/TCP/TLS', async () => {
    const board = await fixture.start('serial', { name: 'bench-board' });
    assert.ok(fs.lstatSync(board.linkPath).isSymbolicLink());
    assert.match(fs.readlinkSync(board.linkPath), /^\/dev\/pts\/\d+$/);
    const announcement = JSON.parse(fs.readFileSync(path.join(fixture.registryDir, `${board.deviceId}.json`), 'utf8'));
    assert.deepEqual(announcement, {
      deviceId: board.deviceId, linkPath: board.linkPath, caCertPath: board.caCertPath, baud: 921600, pid: process.pid, name: 'bench-board',
      recoveryLinkPath: board.recoveryLinkPath, recoveryBaud: 115200,
    });
    assert.deepEqual(await listAnnouncements(fixture.registryDir), [announcement]);

    const host = await open(board);
    const reply = await status(board, host);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['rest-api-version'], '4.6.0');
    assert.ok(board.counters().uart.rxBytes > 0 && board.counters().uart.txBytes > 0);
    assert.ok(board.counters().net!.framesIn > 0);
    await close(host);
    await fixture.stop(board);
    assert.equal(fs.existsSync(board.linkPath), false);
    assert.deepEqual(await listAnnouncements(fixture.registryDir), []);
  });

  it('paces both directions at the configured baud (a 1000-byte ping needs two wire times)', async () => {
    const baud = 57600;
    const board = await fixture.start('paced', { baud });
    const host = await open(board, baud);
    const size = 1000;
    // Echo request and reply are each 20 (IP) + 8 (ICMP) + payload bytes plus at least 2 SLIP ENDs on the wire.
    const oneWay = wireTimeMs(size + 30, baud);
    await host.stack.ping('192.168.35.2', { size, timeoutMs: 5000 }); // warm-up
    const rtt = await host.stack.ping('192.168.35.2', { size, timeoutMs: 5000 });
    assert.ok(rtt >= 2 * oneWay * 0.95, `RTT ${rtt.toFixed(1)} ms is shorter than two wire times (${(2 * oneWay).toFixed(1)} ms)`);
    assert.ok(rtt < 2 * oneWay + 500, `RTT ${rtt.toFixed(1)} ms is far above two wire times`);
    await close(host);
    await fixture.stop(board);
  });

  it('unplug removes the link and the announcement; replug brings both back at the same PATH with a fresh boot', async () => {
    const board = await fixture.start('plug');
    let host = await open(board);
    assert.equal((await status(board, host)).status, 200);
    await close(host);
    await board.unplug();
    assert.equal(fs.existsSync(board.linkPath), false);
    assert.equal(fs.existsSync(path.join(fixture.registryDir, `${board.deviceId}.json`)), false);
    await board.unplug(); // idempotent

    await board.replug();
    assert.ok(fs.lstatSync(board.linkPath).isSymbolicLink());
    assert.ok(fs.existsSync(path.join(fixture.registryDir, `${board.deviceId}.json`)));
    host = await open(board);
    const reply = await status(board, host);
    assert.equal(reply.status, 200);
    assert.equal((reply.body as { uptime: number }).uptime, 0);
    assert.equal(board.counters().boots, 2);
    await close(host);
    await fixture.stop(board);
  });

  it('goes silent on demand (port open, no answers) and answers again afterwards', async () => {
    const board = await fixture.start('silent');
    const host = await open(board);
    await host.stack.ping('192.168.35.2');
    board.setFaults({ silent: true });
    await assert.rejects(host.stack.ping('192.168.35.2', { timeoutMs: 300 }), /ETIMEDOUT|no echo reply/);
    assert.ok(board.counters().uart.rxIgnoredBytes > 0);
    board.setFaults({ silent: false });
    assert.ok((await host.stack.ping('192.168.35.2')) >= 0);
    await close(host);
    await fixture.stop(board);
  });

  it('restart drops open connections, does not answer while down, and answers with a fresh uptime after downMs', async () => {
    const board = await fixture.start('reboot');
    const host = await open(board);
    const tcp = host.connectRest();
    await new Promise<void>((resolve, reject) => {
      tcp.once('connect', () => resolve());
      tcp.once('error', reject);
    });
    const tcpEnded = new Promise<Error | undefined>((resolve) => {
      tcp.once('error', (err) => resolve(err));
      tcp.once('close', () => resolve(undefined));
    });
    const restarted = board.restart({ downMs: 400 });
    await assert.rejects(host.stack.ping('192.168.35.2', { timeoutMs: 200 }), /ETIMEDOUT|no echo reply/);
    await restarted;
    // The rebooted board knows nothing of the old connection: our next segment gets a reset.
    tcp.write('GET /status HTTP/1.1\r\n\r\n');
    const ended = await tcpEnded;
    assert.match(String(ended), /ECONNRESET|reset/i);
    const reply = await status(board, host);
    assert.equal((reply.body as { uptime: number }).uptime, 0);
    await close(host);
    await fixture.stop(board);
  });

  it('loses frames at the drop rate and corrupts bytes at the corruption rate; TCP still delivers intact answers', async function () {
    this.timeout(90_000);
    // The faults are drawn from the test's seed; each phase goes on until its fault was seen or it has probed long
    // enough that seeing none has a chance below 1e-9.
    const board = await fixture.start('lossy', { dropRate: 0.1, faultSeed: testSeed() });
    const host = await open(board);
    const lossyStatus = () => restCall(host.connectRest, board.caCertPem, { method: 'GET', path: '/status', timeoutMs: 25_000 });
    const uart = () => board.counters().uart;

    // Each frame is lost with probability 0.1, drawn once per frame: P(none of 200 frames lost) = 0.9^200 ≈ 7e-10.
    await waitFor(async () => {
      assert.equal((await lossyStatus()).status, 200);
      const c = uart();
      return c.rxFaults.droppedFrames + c.txFaults.droppedFrames > 0 || c.rxFaults.exposedFrames + c.txFaults.exposedFrames >= 200 ? true : undefined;
    }, 'a lost frame, or 200 frames through the fault', 25_000);
    assert.ok(uart().rxFaults.droppedFrames + uart().txFaults.droppedFrames > 0, `no frame lost: ${JSON.stringify(uart())}`);

    // Bits flipped at 2e-4 per byte: about one 1000-byte frame in five. A receiver sees such a flip (checksums, SLIP
    // framing) unless it hits a frame's closing END, which only merges the frame with the next one's empty start — at
    // most 1 byte in 42 (a bare 40-byte ACK) — or it shifts an escaped byte and the checksum still adds up (1 in
    // 65536). So a byte brings a seen flip with probability ≥ 2e-4 · 0.97, and P(none in 110,000 bytes) ≤
    // (1 − 1.94e-4)^110000 ≈ 5e-10. Bytes count once they crossed the fault: in from the PC (counted before it) and
    // out of the board (after it); a call that completes has delivered whatever crossed before it started.
    board.setFaults({ dropRate: 0, corruptRate: 0.0002 });
    const crossed = () => uart().rxBytes - uart().rxIgnoredBytes + uart().txBytes;
    const detected = () => {
      const pc = host.stack.counters;
      const b = board.counters().net!;
      return pc.ipChecksumErrors + pc.tcpChecksumErrors + pc.slipErrors + pc.dropped.malformed
        + b.ipChecksumErrors + b.tcpChecksumErrors + b.slipErrors + b.dropped.malformed;
    };
    const [crossedFrom, detectedFrom] = [crossed(), detected()];
    await waitFor(async () => {
      const probed = crossed() - crossedFrom;
      assert.equal((await lossyStatus()).status, 200);
      return detected() > detectedFrom || probed >= 110_000 ? true : undefined;
    }, 'a detected corruption, or 110,000 bytes through the fault', 40_000);
    assert.ok(uart().rxFaults.corruptedBytes + uart().txFaults.corruptedBytes > 0, 'bytes were corrupted');
    assert.ok(detected() > detectedFrom, `corruption was detected by checksums or framing: ${JSON.stringify(uart())}`);
    assert.throws(() => board.setFaults({ corruptRate: 2 }), /corruptRate must be between 0 and 1/);
    await close(host);
    await fixture.stop(board);
  });

  it('with faultDirection "toHost", damages only what the board sends: every request arrives intact', async function () {
    this.timeout(60_000);
    const board = await fixture.start('one-way');
    const host = await open(board);
    board.setFaults({ corruptRate: 0.01, faultDirection: 'toHost', faultSeed: testSeed() });
    // Three 1000-byte echo replies, at least 1030 bytes each on the wire: P(no byte of them flipped) ≤ 0.99^3090
    // ≈ 3e-14.
    for (let i = 0; i < 3; i++) await host.stack.ping('192.168.35.2', { size: 1000, timeoutMs: 500 }).catch(() => undefined);
    const c = board.counters().uart;
    assert.equal(c.rxFaults.corruptedBytes, 0, 'nothing on the way into the board');
    assert.ok(c.txFaults.corruptedBytes > 0, 'answers were damaged');
    board.setFaults({ corruptRate: 0, faultDirection: 'both' });
    await close(host);
    await fixture.stop(board);
  });

  it('shows the seed its line faults are drawn from: picked at start, or the one a test gives', async () => {
    const board = await fixture.start('seeded');
    assert.ok(Number.isInteger(board.faultSeed) && board.faultSeed >= 0 && board.faultSeed <= 0xffffffff);
    assert.equal(board.counters().uart.faultSeed, board.faultSeed);
    const seed = testSeed();
    board.setFaults({ faultSeed: seed });
    assert.equal(board.faultSeed, seed);
    assert.equal(board.counters().uart.faultSeed, seed);
    await fixture.stop(board);
    const given = await fixture.start('seeded-given', { faultSeed: 12345 });
    assert.equal(given.faultSeed, 12345);
    await fixture.stop(given);
  });

  it('runs several boards at once, each on its own link with its own announcement', async () => {
    const a = await fixture.start('multi-a');
    const b = await fixture.start('multi-b');
    assert.notEqual(a.deviceId, b.deviceId);
    const ids = (await listAnnouncements(fixture.registryDir)).map((x) => x.deviceId);
    assert.ok(ids.includes(a.deviceId) && ids.includes(b.deviceId));
    assert.notEqual(a.linkPath, b.linkPath);
    const [hostA, hostB] = [await open(a), await open(b)];
    const [ra, rb] = await Promise.all([
      restCall(hostA.connectRest, a.caCertPem, { method: 'GET', path: '/device/security_state' }),
      restCall(hostB.connectRest, b.caCertPem, { method: 'GET', path: '/device/security_state' }),
    ]);
    assert.equal((ra.body as { deviceIdentifier: string }).deviceIdentifier, a.deviceId);
    assert.equal((rb.body as { deviceIdentifier: string }).deviceIdentifier, b.deviceId);
    await close(hostA);
    await close(hostB);
    await fixture.stop(a);
    await fixture.stop(b);
  });
});

/** Handles and timers that keep a process alive; in-flight fs requests and immediates are transient. */
function lastingResources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => !/^FSReq|^Immediate$|^CloseReq$/.test(r)).sort();
}

describe('board-sim cleanup', () => {
  it('leaves no handle or timer behind after stop, even with a reboot pending and a client attached', async () => {
    const fixture = new BoardFixture();
    await new Promise((resolve) => setImmediate(resolve)); // mocha arms its own test timer once the test has started
    const before = lastingResources();
    const board = await fixture.start('handles');
    const host = await openSerialHost(board.linkPath);
    await restCall(host.connectRest, board.caCertPem, { method: 'GET', path: '/status' });
    await restCall(host.connectRest, board.caCertPem, { method: 'POST', path: '/restart', headers: { 'Content-Type': 'text/plain' } });
    assert.ok(lastingResources().includes('TTYWrap'), 'the pty is open while the board runs');
    await host.close();
    await fixture.cleanup();
    // Closing handles completes on later turns of the loop; anything still there after that has leaked.
    await waitFor(() => (JSON.stringify(lastingResources()) === JSON.stringify(before) ? true : undefined), 'handles to close', 1000)
      .catch(() => assert.deepEqual(lastingResources(), before));
  });
});
