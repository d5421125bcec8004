// TLS trust over the OS route to a loopback HTTPS board: CA mode accepts the right CA and rejects another; pin mode
// pins on first use and refuses a changed certificate with the clear error. Real TLS, real certificates.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeviceConnection } from '../../../src/device/device-connection';
import { isDeviceError } from '../../../src/device/device-error';
import { OsRouteConnector } from '../../../src/device/os-route';
import { JsonFilePinStore } from '../../../src/device/trust/pin-store';
import { startTls, type TrustPolicy } from '../../../src/device/trust/tls-trust';
import { randomDeviceId, startLoopbackBoard, type LoopbackBoard } from '../../helpers/loopback-board';
import { makeCa, makeServerIdentity } from '../../helpers/test-pki';

describe('device TLS trust', () => {
  const ca = makeCa();
  const identity = makeServerIdentity(ca);
  let board: LoopbackBoard;
  let tempDir: string;
  const connections: DeviceConnection[] = [];

  const connect = (trust: TrustPolicy, deviceId?: string): DeviceConnection => {
    const route = new OsRouteConnector('192.168.35.2', { resolveEndpoint: () => ({ host: '127.0.0.1', port: board.port }) });
    const options: ConstructorParameters<typeof DeviceConnection>[0] = { route, trust, maxAttempts: 1 };
    if (deviceId) options.deviceId = deviceId;
    const connection = new DeviceConnection(options);
    connections.push(connection);
    return connection;
  };

  beforeEach(async () => {
    board = await startLoopbackBoard(identity, randomDeviceId());
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'trust-test-'));
  });
  afterEach(async () => {
    connections.splice(0).forEach((c) => c.dispose());
    await board.close();
    await fs.rm(tempDir, { recursive: true, force: true });
  });

  it('accepts a board whose certificate chains to the configured CA, sending the vendor Host header', async () => {
    const { client } = connect({ kind: 'ca', caPem: ca.certPem, caLabel: 'the simulator CA' });
    const status = await client.getStatus();
    assert.equal(status.uptimeSeconds, 42);
    assert.equal(status.restApiVersion, '4.6.0');
    assert.equal(board.requests[0]?.host, '*.devices.sphere.azure.local');
  });

  it('reuses one TLS connection for consecutive requests', async () => {
    const { client } = connect({ kind: 'ca', caPem: ca.certPem, caLabel: 'the simulator CA' });
    for (let i = 0; i < 5; i++) await client.getStatus();
    assert.equal(board.requests.length, 5);
    assert.equal(board.handshakes, 1);
  });

  it('rejects a board whose certificate is signed by another CA, before sending any request', async () => {
    const otherCa = makeCa('Some Other CA');
    const { client } = connect({ kind: 'ca', caPem: otherCa.certPem, caLabel: 'the CA file from settings' });
    await assert.rejects(client.getStatus(), (err: unknown) => {
      assert.ok(isDeviceError(err, 'TLS_UNTRUSTED'), String(err));
      assert.match(err.message, /not trusted/);
      assert.match(err.message, /the CA file from settings/);
      return true;
    });
    assert.equal(board.requests.length, 0);
  });

  it('rejects a certificate from the right CA that is not issued for the device host name', async () => {
    board.setIdentity(makeServerIdentity(ca, ['example.com']));
    const { client } = connect({ kind: 'ca', caPem: ca.certPem, caLabel: 'the simulator CA' });
    await assert.rejects(client.getStatus(), (err: unknown) => isDeviceError(err, 'TLS_UNTRUSTED') && /devices\.sphere\.azure\.local/.test(err.message));
    assert.equal(board.requests.length, 0);
  });

  it('resets the TCP connection when a TLS connection is abandoned, so queued request bytes are never delivered late', async () => {
    const raw = new net.Server();
    const seen = new Promise<string>((resolve) => {
      raw.on('connection', (socket) => {
        socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        socket.on('end', () => resolve('graceful end'));
        socket.resume();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const route = new OsRouteConnector('192.168.35.2', { resolveEndpoint: () => ({ host: '127.0.0.1', port: (raw.address() as net.AddressInfo).port }) });
      const tcp = await route.connect({ timeoutMs: 2_000 });
      // The server never answers the handshake: the client gives up, as it does with an unanswered request.
      await assert.rejects(startTls(tcp, { kind: 'ca', caPem: ca.certPem, caLabel: 'test CA' }, 300, route.label), /timed out/);
      assert.equal(await seen, 'ECONNRESET');
    } finally {
      raw.close();
    }
  });

  it('pins the certificate per device ID on first use, then refuses a changed one with a clear error', async () => {
    const store = new JsonFilePinStore(path.join(tempDir, 'pins.json'));
    const first = connect({ kind: 'pin', store });
    assert.equal((await first.client.getStatus()).uptimeSeconds, 42);
    assert.equal(first.deviceId, board.deviceId);
    const pin = await store.get(board.deviceId);
    assert.ok(pin, 'pin stored under the device ID');
    assert.match(pin.subject, /Azure Sphere Device/); // the top of the chain (the board CA) is pinned
    const onDisk = JSON.parse(await fs.readFile(path.join(tempDir, 'pins.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(onDisk[board.deviceId.toLowerCase()]);

    // Same board, a renewed leaf from the same CA: still trusted.
    board.setIdentity(makeServerIdentity(ca));
    const renewed = connect({ kind: 'pin', store });
    assert.equal((await renewed.client.getStatus()).uptimeSeconds, 42);

    // Same device ID, certificate from another CA: refused, and nothing but the identification request was sent.
    board.setIdentity(makeServerIdentity(makeCa()));
    const before = board.requests.length;
    const changed = connect({ kind: 'pin', store });
    await assert.rejects(changed.client.getStatus(), (err: unknown) => {
      assert.ok(isDeviceError(err, 'TLS_PIN_MISMATCH'), String(err));
      assert.match(err.message, new RegExp(`certificate of device ${board.deviceId} has changed`));
      return true;
    });
    assert.deepEqual(board.requests.slice(before).map((r) => r.url), ['/device/security_state']);

    // A connection that already knows the device ID refuses before any request at all.
    const known = connect({ kind: 'pin', store }, board.deviceId);
    await assert.rejects(known.client.getStatus(), (err: unknown) => isDeviceError(err, 'TLS_PIN_MISMATCH'));
    assert.equal(board.requests.length, before + 1);
  });
});
