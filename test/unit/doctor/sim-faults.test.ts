// The doctor against a simulated board on a real pty, through serialport and our own stack, one fault at a time:
// it must name the failing layer and the right next action.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SerialPort } from 'serialport';
import { DeviceConnection } from '../../../src/device/device-connection';
import { SerialLink } from '../../../src/device/serial-link';
import { diagnoseConnection, renderReport, type CheckId, type CheckResult } from '../../../src/device/diagnosis';
import { byId, MemoryPinStore, quickOptions, startDoctorSim, type DoctorSim } from '../../helpers/doctor';
import { testSeed } from '../../helpers/test-seed';

function firstFailure(results: CheckResult[]): CheckResult | undefined {
  return results.find((r) => r.status === 'fail');
}

function assertSkippedAfter(results: CheckResult[], failed: CheckId): void {
  const ids = results.map((r) => r.id);
  for (const r of results.slice(ids.indexOf(failed) + 1)) {
    if (r.id !== 'osRoute') assert.equal(r.status, 'skipped', `${r.id} should be skipped after ${failed} failed`);
  }
}

describe('doctor: simulated board faults', function () {
  this.timeout(30_000);
  let sim: DoctorSim;
  beforeEach(async () => {
    sim = await startDoctorSim();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('a healthy board passes every layer and reports versions and RTT', async () => {
    const seen: string[] = [];
    const results = await diagnoseConnection(sim.caTarget(), quickOptions(), (e) => seen.push(`${e.type}:${e.type === 'started' ? e.id : e.result.id}`));
    const r = byId(results);
    for (const id of ['port', 'line', 'ping', 'tls', 'rest', 'osRoute'] as const) assert.equal(r[id].status, 'pass', `${id}: ${r[id].summary}`);
    assert.match(r.ping.summary, /5 of 5 echo requests answered; round trip min\/avg\/max/);
    assert.match(r.rest.summary, /REST API \d+\.\d+\.\d+, OS \S+, /);
    assert.match(r.tls.summary, new RegExp(sim.board.deviceId.slice(0, 8), 'i'));
    // Each step is announced before its result: started/finished pairs, in order.
    assert.deepEqual(seen.slice(0, 4), ['started:port', 'finished:port', 'started:line', 'finished:line']);
  });

  it('unplugged: the serial port layer fails and says to plug the board in again', async () => {
    const target = sim.caTarget();
    await sim.board.unplug();
    const results = await diagnoseConnection({ ...target, kind: 'explicit' }, quickOptions());
    const failed = firstFailure(results)!;
    assert.equal(failed.id, 'port');
    assert.match(failed.summary, /is gone \(unplugged\?\)/);
    assert.match(failed.nextAction!, /Plug the board's USB cable in again/);
    assertSkippedAfter(results, 'port');
  });

  it('port held by another program: the serial port layer says to close it', async () => {
    const holder = new SerialPort({ path: sim.board.linkPath, baudRate: 921600, autoOpen: false });
    await new Promise<void>((resolve, reject) => holder.open((err) => (err ? reject(err) : resolve())));
    try {
      const failed = firstFailure(await diagnoseConnection(sim.caTarget(), quickOptions()))!;
      assert.equal(failed.id, 'port');
      assert.match(failed.summary, /in use by another program/);
      assert.match(failed.nextAction!, /Close the program holding/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('wrong baud: the serial line layer names a baud-rate mismatch and the rate the board answers at', async () => {
    sim.board.setFaults({ actualBaud: 115200 });
    const results = await diagnoseConnection({ ...sim.caTarget(), kind: 'explicit' }, quickOptions());
    const failed = firstFailure(results)!;
    assert.equal(failed.id, 'line');
    assert.match(failed.summary, /Baud-rate mismatch: at 921600 baud nothing arrives, but the board answers at 115200 baud/);
    assert.match(failed.nextAction!, /sphereExplorer\.device\.baudRate\) to 115200/);
    assertSkippedAfter(results, 'line');
  });

  it('silent board: the serial line layer says nothing comes back and what to do', async () => {
    sim.board.setFaults({ silent: true });
    const results = await diagnoseConnection(sim.caTarget(), quickOptions({ candidateBaudRates: [115200] }));
    const failed = firstFailure(results)!;
    assert.equal(failed.id, 'line');
    assert.match(failed.summary, /nothing comes back from the board/);
    assert.match(failed.nextAction!, /Reset button/);
    assert.ok(failed.details.some((d) => /Tried 115200 baud: 0 bytes, no answer/.test(d)), failed.details.join('\n'));
  });

  it('corrupted line: the serial line layer reports the damaged share and says to change the cable', async () => {
    // Damage for certain, both ways, no luck involved: every other frame gets one bit of its IPv4 header flipped
    // (`corruptEvery`, which only the test's seed places), and the receiving stack always sees it (line-faults.ts;
    // the one exception needs an 84-byte echo's total length to be one bit away from ESC, and it is not). So every
    // other echo request is refused by the board and lost, and the replies alternate intact and damaged. Losses cost
    // the probe 500 ms each, at most three in a row: in 4 s it sees at least two consecutive replies — one intact, one
    // damaged — so the share of damaged frames is at least a third: 'corrupted' (not 'garbage', frames do arrive
    // intact), and 'fail' from 30% on.
    sim.board.setFaults({ corruptEvery: 2, faultSeed: testSeed() });
    const r = byId(await diagnoseConnection(sim.caTarget(), quickOptions({ lineWaitMs: 4_000 })));
    assert.equal(r.line.status, 'fail', r.line.summary);
    assert.match(r.line.summary, /The line corrupts data: \d+(\.\d)?% of frames arrive damaged/);
    assert.match(r.line.nextAction!, /another USB cable/);
    const { rxFaults, txFaults } = sim.board.counters().uart;
    assert.ok(rxFaults.corruptedBytes > 0 && txFaults.corruptedBytes > 0, JSON.stringify({ rxFaults, txFaults }));
  });

  it('restarted board: it answers late, and the REST layer warns that it restarted moments ago', async () => {
    // Down 2.5 s: the first reply comes over a second into the probe as long as opening the port takes under 1.5 s, and
    // well within its 4 s (pings time out after 0.5 s, so the first one after the boot goes out by 3 s at the latest).
    const restarting = sim.board.restart({ downMs: 2_500 });
    const r = byId(await diagnoseConnection(sim.caTarget(), quickOptions({ lineWaitMs: 4_000 })));
    await restarting;
    assert.equal(r.line.status, 'pass');
    assert.ok(r.ping.details.some((d) => /first reply came only after \d\.\d s/.test(d)), r.ping.details.join('\n'));
    assert.equal(r.rest.status, 'warn');
    assert.match(r.rest.summary, /restarted only \d+ s ago/);
    assert.match(r.rest.nextAction!, /check the USB cable and power supply/);
  });

  it('pinned certificate changed: the TLS layer says the pin changed and what to do', async () => {
    const pins = new MemoryPinStore();
    // First contact pins the board's certificate, as the extension does for a real board.
    const first = byId(await diagnoseConnection(sim.pinTarget(pins), quickOptions()));
    assert.equal(first.tls.status, 'pass');
    // The doctor only looks; the pin is taken by the extension's own connection on first use.
    assert.equal(await pins.get(sim.board.deviceId), undefined);
    const link = await SerialLink.open({ path: sim.board.linkPath, rtscts: false });
    const connection = new DeviceConnection({ route: link, trust: { kind: 'pin', store: pins } });
    await connection.client.getStatus();
    connection.dispose();
    await link.close();
    assert.ok(await pins.get(sim.board.deviceId));
    // The board is recovered: same device key, new TLS certificate and CA.
    await sim.board.stop();
    for (const f of ['ca-key.pem', 'ca-cert.pem', 'rest-server-key.pem', 'rest-server-cert.pem']) await fs.rm(path.join(sim.dir, 'state', f));
    await sim.start();
    const results = await diagnoseConnection(sim.pinTarget(pins), quickOptions());
    const failed = firstFailure(results)!;
    assert.equal(failed.id, 'tls');
    assert.match(failed.summary, /changed since it was first trusted \(pinned certificate changed\)/);
    assert.match(failed.nextAction!, /forget its pinned certificate/);
    assert.equal(byId(results).rest.status, 'skipped');
  });

  it('the report is plain text naming each layer, with no secret from the board in it', async () => {
    const target = sim.caTarget();
    const results = await diagnoseConnection(target, quickOptions());
    const text = renderReport(target, results, { product: 'Sphere Explorer test', startedAt: new Date() });
    assert.match(text, /^Sphere Explorer connection report/);
    assert.match(text, /Result: every check passed\./);
    assert.match(text, /1\. Serial port — OK/);
    assert.match(text, /6\. OS route .* — OK/);
    assert.ok(text.includes(sim.board.deviceId), 'the device ID is fine to share');
    // Error text is not ours (a board or library may echo a request body): the report scrubs secrets anyway.
    const echoed = [{ ...results[4]!, status: 'fail' as const, details: ['HTTP 400 for {"ssid":"HomeNetwork","psk":"correct horse battery"}'] }];
    const scrubbed = renderReport(target, echoed, { product: 'test', startedAt: new Date() });
    assert.ok(!/correct|horse|battery/.test(scrubbed), scrubbed);
    assert.match(scrubbed, /"psk":"\[redacted\]"/);
  });
});
