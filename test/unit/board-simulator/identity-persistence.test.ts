// Identity (device ID from the key, CA and TLS leaf verified by Node's tls) and persistence across process restarts.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type { SimulatedBoard } from '../../../emulator/board';
import { generateP256KeyPair, issueCertificate } from '../../../emulator/board/certificates';
import { BoardFixture, callBoard, get } from '../../helpers/board-fixture';
import { DEVICE_SERVERNAME } from '../../helpers/rest-client';

function tlsHandshake(board: SimulatedBoard, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: board.loopback!.port, ...options }, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('board-sim identity and persistence', () => {
  const fixture = new BoardFixture();
  after(() => fixture.cleanup());

  it('derives the device ID from the P-256 identity key: X‖Y of the public point, 128 hex', async () => {
    const board = await fixture.start('identity');
    const keyPem = fs.readFileSync(path.join(fixture.root, 'state-identity', 'device-identity-key.pem'));
    const spki = crypto.createPublicKey(crypto.createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    // The SPKI of a P-256 key ends with the uncompressed point 04‖X‖Y.
    const point = spki.subarray(spki.length - 65);
    assert.equal(point[0], 0x04);
    assert.equal(board.deviceId, point.subarray(1).toString('hex'));
    await fixture.stop(board);
  });

  it('serves a leaf for *.devices.sphere.azure.local and 192.168.35.2 issued by an EC P-256 "Azure Sphere Device" CA', async () => {
    const board = await fixture.start('tls');
    const ca = new crypto.X509Certificate(board.caCertPem);
    assert.equal(ca.subject, 'C=US\nST=Washington\nL=Redmond\nO=Microsoft Corporation\nCN=Azure Sphere Device');
    assert.equal(ca.issuer, ca.subject);
    assert.ok(ca.ca);
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(fs.readFileSync(board.caCertPath, 'utf8'), board.caCertPem);

    const socket = await tlsHandshake(board, { ca: board.caCertPem, servername: DEVICE_SERVERNAME });
    assert.ok(socket.authorized);
    const leaf = socket.getPeerX509Certificate()!;
    socket.destroy();
    assert.ok(leaf.checkIssued(ca));
    assert.ok(leaf.verify(ca.publicKey));
    assert.equal(leaf.subjectAltName, 'DNS:*.devices.sphere.azure.local, IP Address:192.168.35.2');
    assert.equal(leaf.checkIP('192.168.35.2'), '192.168.35.2');
    await fixture.stop(board);
  });

  it('is refused by a client trusting another CA, and by one checking a name outside the leaf', async () => {
    const board = await fixture.start('tls-refusal');
    const other = await fixture.start('other-ca');
    await assert.rejects(tlsHandshake(board, { ca: other.caCertPem, servername: DEVICE_SERVERNAME }), /self-signed|unable to verify|certificate/i);
    await assert.rejects(tlsHandshake(board, { ca: board.caCertPem, servername: 'evil.example.com' }), /altnames|Hostname/i);
    await fixture.stop(board);
    await fixture.stop(other);
  });

  it('keeps device ID, CA, Wi-Fi networks, certificates, interface state and OS version across a stop and start', async () => {
    const first = await fixture.start('persist');
    const rootKeys = generateP256KeyPair();
    const cert = issueCertificate({
      subject: { CN: 'Persisted Root' }, publicKey: rootKeys.publicKey, signingKey: rootKeys.privateKey, isCa: true,
      notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000),
    });
    await callBoard(first, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'A', securityState: 'psk', psk: 'persisted-key', configName: 'a' } });
    await callBoard(first, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'B', securityState: 'open', configState: 'disabled' } });
    await callBoard(first, { method: 'POST', path: '/certstore/certs/root1', body: { certType: 'rootca', publicCert: cert } });
    await callBoard(first, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: false } });
    const before = { id: first.deviceId, ca: first.caCertPem, state: first.state };
    await fixture.stop(first);

    const second = await fixture.start('persist');
    assert.equal(second.deviceId, before.id);
    assert.equal(second.caCertPem, before.ca);
    assert.deepEqual(second.state, before.state);
    assert.deepEqual((await get(second, '/certstore/certs')).body, { identifiers: ['root1'] });
    await callBoard(second, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: true } });
    const values = ((await get(second, '/wifi/config/networks')).body as { values: { ssid: string; id: number; configState: string }[] }).values;
    assert.deepEqual(values.map((v) => [v.id, v.ssid, v.configState]), [[0, 'A', 'enabled'], [1, 'B', 'disabled']]);
    await fixture.stop(second);
  });

  it('has the change on disk when the response arrives (written before answering), as a complete JSON file', async () => {
    const board = await fixture.start('on-disk');
    const file = path.join(fixture.root, 'state-on-disk', 'board-state.json');
    const reply = await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'Durable', securityState: 'open' } });
    assert.equal(reply.status, 201);
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { wifi: { networks: { ssid: string }[] } };
    assert.deepEqual(onDisk.wifi.networks.map((n) => n.ssid), ['Durable']);
    const leftovers = fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
    await fixture.stop(board);
  });

  it('does not change the stored state when a request is refused', async () => {
    const board = await fixture.start('refused');
    const file = path.join(fixture.root, 'state-refused', 'board-state.json');
    const before = fs.readFileSync(file, 'utf8');
    await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'x'.repeat(40), securityState: 'open' } });
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    await fixture.stop(board);
  });

  it('serves nothing on the loopback door while down and nothing at all after stop', async () => {
    const board = await fixture.start('closed');
    const port = board.loopback!.port;
    await fixture.stop(board);
    await assert.rejects(new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', reject);
    }), /ECONNREFUSED/);
  });

  it('refuses a second board on a state folder in use, and takes over a lock left by a dead process', async () => {
    const board = await fixture.start('locked');
    await assert.rejects(fixture.start('locked'), /is in use by another simulated board \(process \d+\)/);
    await fixture.stop(board);
    // A lock whose owner is gone (pid far beyond pid_max) does not block the next start.
    fs.writeFileSync(path.join(fixture.root, 'state-locked', 'board.lock'), '99999999');
    const again = await fixture.start('locked');
    assert.equal(again.deviceId, board.deviceId);
    await fixture.stop(again);
  });
});
