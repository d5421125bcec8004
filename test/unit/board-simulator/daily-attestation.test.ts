// The board's daily device certificate against the real cloud emulator, both on one AdjustableClock: the board asks
// only once claimed, online and time-synced; `GET /net/status` says deviceAuthenticationIsReady only when all three
// hold and the certificate is unexpired by the board's clock; a day later it has a new one; it survives a restart;
// a board whose clock the service refuses backs off instead of hammering it.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SimulatedBoard, SimulatedBoardOptions } from '../../../emulator/board';
import { AdjustableClock } from '../../../emulator/common/clock';
import { deriveSeed } from '../../../emulator/common/seeded-random';
import { BoardFixture, callBoard, get, waitFor } from '../../helpers/board-fixture';
import { call, seededEmulatorPerSuite, tokenFor } from '../../helpers/cloud-emulator';
import { installDeviceKey, seededDeviceKey } from '../../helpers/device-keys';
import { testSeed } from '../../helpers/test-seed';

const HOUR_MS = 3600 * 1000;
const FAST_ATTESTATION = { checkMs: 50, retryMaxMs: 400 };

interface NetStatus {
  deviceAuthenticationIsReady: boolean;
  networkTimeSync: string;
}

describe('board-sim: daily device certificate', function () {
  this.timeout(30_000);
  const clock = new AdjustableClock();
  /** Every request the emulator answered, as "<method> <path> <status>", with when it came (performance.now()). */
  const requests: { line: string; at: number }[] = [];
  const seeded = seededEmulatorPerSuite({ clock, log: (line) => requests.push({ line, at: performance.now() }) });
  const fixture = new BoardFixture();
  /** The boards' own notes (attestation results), kept out of the test output. */
  const notes: string[] = [];
  let token: string;

  before(async () => {
    token = await tokenFor(seeded.emulator, 'avery@contoso.com');
  });
  after(() => fixture.cleanup());

  /** A board with a device key drawn from the test's seed (stream `stream`), pointed at the emulator. */
  async function startBoard(name: string, extra: Partial<SimulatedBoardOptions> = {}, stream = 0): Promise<SimulatedBoard> {
    installDeviceKey(path.join(fixture.root, `state-${name}`), seededDeviceKey(deriveSeed(testSeed(), stream)));
    return fixture.start(name, {
      cloudUrl: seeded.emulator.url,
      cloudCaPem: seeded.emulator.caCertPem,
      clock,
      attestationTiming: FAST_ATTESTATION,
      log: (line) => notes.push(line),
      ...extra,
    });
  }

  const netStatus = async (board: SimulatedBoard): Promise<NetStatus> => (await get(board, '/net/status')).body as NetStatus;
  const attestations = (board: SimulatedBoard, status?: number) =>
    requests.filter((r) => r.line.startsWith(`POST /v2/devices/${board.deviceId.toUpperCase()}/dailycertificate `) && (status === undefined || r.line.endsWith(` ${status}`)));

  async function joinWifi(board: SimulatedBoard): Promise<void> {
    const added = await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'CoffeeShop', securityState: 'open' } });
    assert.equal(added.status, 201, added.raw);
    await waitFor(async () => ((await netStatus(board)).networkTimeSync === 'complete' ? true : undefined), 'network time sync');
  }

  async function claim(board: SimulatedBoard): Promise<void> {
    const res = await call(seeded.emulator, `/v2/tenants/${seeded.emulator.seed.tenants.contoso.id}/devices/${board.deviceId}/claim`, { method: 'PUT', token });
    assert.equal(res.status, 202, res.text);
  }

  const waitReady = (board: SimulatedBoard, ready: boolean, what: string) =>
    waitFor(async () => ((await netStatus(board)).deviceAuthenticationIsReady === ready ? true : undefined), what, 10_000);

  const serialOf = (board: SimulatedBoard): string => new X509Certificate(board.deviceCertificate!.certificatePem).serialNumber;

  it('is ready only with a certificate, online and time-synced: not before claim, before time sync or offline', async () => {
    const board = await startBoard('ready');
    const fresh = await netStatus(board);
    assert.deepEqual([fresh.deviceAuthenticationIsReady, fresh.networkTimeSync], [false, 'incomplete'], 'a fresh board: no certificate, no time');
    assert.equal(attestations(board).length, 0, 'nothing is asked before the board is online with a synced clock');

    await joinWifi(board);
    await waitFor(() => (attestations(board, 404).length > 0 ? true : undefined), 'the attestation refused as not claimed');
    assert.equal((await netStatus(board)).deviceAuthenticationIsReady, false, 'online and synced, but not claimed');
    assert.equal(board.deviceCertificate, undefined);

    await claim(board);
    await waitReady(board, true, 'device auth ready after the claim');
    const cert = board.deviceCertificate!;
    assert.equal(cert.tenantId, seeded.emulator.seed.tenants.contoso.id);
    const leaf = new X509Certificate(cert.certificatePem);
    assert.equal(leaf.subject, `CN=${board.deviceId}`);
    assert.ok(Math.abs(Date.parse(cert.notAfter) - (clock.now() + 24 * HOUR_MS)) < 60_000, 'valid 24 hours by the shared clock');
    const pemFile = path.join(fixture.root, 'state-ready', 'daa', cert.tenantId);
    assert.equal(fs.readFileSync(pemFile, 'utf8'), cert.chainPem, 'the chain is where DeviceAuth_GetCertificatePath points');

    await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: false } });
    await waitReady(board, false, 'not ready once offline');
    assert.equal(board.deviceAuthenticationIsReady, false);
    await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: true } });
    await waitReady(board, true, 'ready again online, with the same certificate');
    assert.equal(board.deviceCertificate!.certificatePem, cert.certificatePem);
  });

  it('renews when less than four hours remain and when a day has passed, staying ready', async () => {
    const board = await startBoard('renew');
    await claim(board);
    await joinWifi(board);
    await waitReady(board, true, 'first certificate');
    const first = serialOf(board);
    const firstCount = attestations(board, 200).length;

    clock.advance(21 * HOUR_MS); // 3 h left: renewed ahead of expiry
    await board.checkDeviceAuth();
    await waitFor(() => (serialOf(board) !== first ? true : undefined), 'a renewal ahead of expiry');
    assert.equal(attestations(board, 200).length, firstCount + 1);
    assert.equal((await netStatus(board)).deviceAuthenticationIsReady, true);
    const second = serialOf(board);

    clock.advance(24 * HOUR_MS); // the second one is now expired by the board's clock
    await waitFor(() => (serialOf(board) !== second ? true : undefined), 'a renewal after expiry (on the board\'s own timer)');
    await waitReady(board, true, 'ready with the new certificate');
    const third = board.deviceCertificate!;
    assert.ok(Date.parse(third.notBefore) <= clock.now() && clock.now() < Date.parse(third.notAfter), 'valid now by the shared clock');
    assert.notEqual(serialOf(board), first);
  });

  it('keeps its certificate across a restart of the simulator and is ready again once online, without asking again', async () => {
    let board = await startBoard('persist');
    await claim(board);
    await joinWifi(board);
    await waitReady(board, true, 'first certificate');
    const before = board.deviceCertificate!;
    const asked = attestations(board).length;
    await fixture.stop(board);

    board = await startBoard('persist');
    assert.deepEqual(board.deviceCertificate, before, 'read back from the state folder');
    assert.equal((await netStatus(board)).deviceAuthenticationIsReady, false, 'offline after the restart (Wi-Fi reconnecting, clock not synced)');
    await waitReady(board, true, 'ready again once online');
    assert.equal(board.deviceCertificate!.certificatePem, before.certificatePem);
    assert.equal(attestations(board).length, asked, 'a certificate with more than four hours left is not renewed');
  });

  it('backs off while the service refuses its clock, and is never ready with a refused attestation', async () => {
    const skewed = new AdjustableClock();
    skewed.advance(HOUR_MS); // an hour ahead of the cloud's clock
    const board = await startBoard('skewed', { clock: skewed });
    await claim(board);
    await joinWifi(board);
    await waitFor(() => (attestations(board, 401).length >= 4 ? true : undefined), 'four refused attempts', 15_000);
    const times = attestations(board, 401).map((r) => r.at);
    // Each wait is at least the one before doubled (50, 100, 200 ms…), up to the limit: a refused board does not spam.
    for (let i = 1; i < 4; i++) {
      const expected = Math.min(FAST_ATTESTATION.checkMs * 2 ** (i - 1), FAST_ATTESTATION.retryMaxMs);
      assert.ok(times[i]! - times[i - 1]! >= expected - 5, `attempt ${i + 1} came ${Math.round(times[i]! - times[i - 1]!)} ms after the one before; at least ${expected} ms expected`);
    }
    assert.equal((await netStatus(board)).deviceAuthenticationIsReady, false);
    assert.equal(board.deviceCertificate, undefined);
    // The board's update check is refused for the same clock and says so in its own line (updates/).
    assert.equal(notes.filter((n) => /^daily attestation failed \(refused: 401: The board's clock is not synced/.test(n)).length, 1, 'one note for the problem, not one per attempt');
  });
});
