// Certificate store endpoints with real certificates and keys (EC and RSA, plain and encrypted).
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import type { SimulatedBoard } from '../../../emulator/board';
import { generateP256KeyPair, issueCertificate } from '../../../emulator/board/certificates';
import { BoardFixture, callBoard, get } from '../../helpers/board-fixture';

function makeCert(cn: string, isCa: boolean): { cert: string; key: crypto.KeyObject } {
  const { privateKey, publicKey } = generateP256KeyPair();
  const cert = issueCertificate({
    subject: { O: 'Contoso', CN: cn }, publicKey, signingKey: privateKey, isCa,
    notBefore: new Date('2024-03-01T10:20:30Z'), notAfter: new Date('2030-03-01T10:20:30Z'),
  });
  return { cert, key: privateKey };
}

const addCert = (board: SimulatedBoard, id: string, body: unknown) => callBoard(board, { method: 'POST', path: `/certstore/certs/${id}`, body });

describe('board-sim REST: certificate store', () => {
  const fixture = new BoardFixture();
  let board: SimulatedBoard;
  let started = 0; // a fresh state folder per test
  const root = makeCert('Contoso Root', true);
  const client = makeCert('device-client', false);
  const clientKeyPem = client.key.export({ type: 'pkcs8', format: 'pem' }).toString();

  beforeEach(async () => {
    board = await fixture.start(`certs-${++started}`);
  });
  afterEach(() => fixture.stop(board));
  after(() => fixture.cleanup());

  it('starts empty with 24514 bytes free (as a string)', async () => {
    assert.deepEqual((await get(board, '/certstore/certs')).body, { identifiers: [] });
    assert.deepEqual((await get(board, '/certstore/space')).body, { AvailableSpace: '24514' });
  });

  it('adds a root CA and a client certificate with its key, lists them, shows their names and dates, and uses space', async () => {
    assert.deepEqual((await addCert(board, 'corp-root', { certType: 'rootca', publicCert: root.cert })).body, {});
    const added = await addCert(board, 'client_1.a', { certType: 'Client', publicCert: client.cert, privateKey: clientKeyPem });
    assert.deepEqual([added.status, added.body], [200, {}]);
    assert.deepEqual((await get(board, '/certstore/certs')).body, { identifiers: ['corp-root', 'client_1.a'] });
    assert.deepEqual((await get(board, '/certstore/certs/corp-root')).body, {
      id: 'corp-root', notBefore: '2024-03-01T10:20:30', notAfter: '2030-03-01T10:20:30',
      subjectName: '/O=Contoso/CN=Contoso Root', issuerName: '/O=Contoso/CN=Contoso Root',
    });
    const free = Number(((await get(board, '/certstore/space')).body as { AvailableSpace: string }).AvailableSpace);
    assert.equal(free, 24514 - root.cert.length - client.cert.length - clientKeyPem.length);
    assert.deepEqual((await callBoard(board, { method: 'DELETE', path: '/certstore/certs/corp-root' })).body, {});
    assert.deepEqual((await get(board, '/certstore/certs')).body, { identifiers: ['client_1.a'] });
    assert.equal(board.state.certs[0].privateKey, clientKeyPem);
  });

  it('accepts an encrypted client key with its password', async () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { privateKey: signer } = generateP256KeyPair();
    const cert = issueCertificate({
      subject: { CN: 'rsa-client' }, issuer: { CN: 'Issuer' }, issuerPublicKey: crypto.createPublicKey(signer), publicKey: rsa.publicKey, signingKey: signer,
      isCa: false, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000),
    });
    const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pa55word' }).toString();
    const ok = await addCert(board, 'rsa', { certType: 'client', publicCert: cert, privateKey: encrypted, password: 'pa55word' });
    assert.deepEqual([ok.status, ok.body], [200, {}]);
    const wrong = await addCert(board, 'rsa2', { certType: 'client', publicCert: cert, privateKey: encrypted, password: 'nope' });
    assert.deepEqual([wrong.status, wrong.body], [400, { error: 38797327 }]);
    assert.ok(!wrong.raw.includes('nope'));
  });

  const other = makeCert('someone-else', false);
  const cases: [string, string, () => unknown, number][] = [
    ['an id of 17 characters', 'a'.repeat(17), () => ({ certType: 'rootca', publicCert: root.cert }), 38797316],
    ['an id with a bad character', 'bad%40id', () => ({ certType: 'rootca', publicCert: root.cert }), 38797314],
    ['an unknown certType', 'x', () => ({ certType: 'server', publicCert: root.cert }), 38797324],
    ['text that is not PEM', 'x', () => ({ certType: 'rootca', publicCert: 'hello' }), 38797315],
    ['a PEM that does not parse', 'x', () => ({ certType: 'rootca', publicCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }), 38797325],
    ['a PEM over 8192 characters', 'x', () => ({ certType: 'rootca', publicCert: root.cert + ' '.repeat(8193) }), 38797326],
    ['a root CA with a private key', 'x', () => ({ certType: 'rootca', publicCert: root.cert, privateKey: clientKeyPem }), 38797329],
    ['a root CA with a password', 'x', () => ({ certType: 'rootca', publicCert: root.cert, password: 'p' }), 38797331],
    ['a client certificate without a key', 'x', () => ({ certType: 'client', publicCert: client.cert }), 38797327],
    ['a client key that is garbage', 'x', () => ({ certType: 'client', publicCert: client.cert, privateKey: 'not a key' }), 38797327],
    ['a key that does not match the certificate', 'x', () => ({ certType: 'client', publicCert: other.cert, privateKey: clientKeyPem }), 38797332],
    ['a password for an unencrypted key', 'x', () => ({ certType: 'client', publicCert: client.cert, privateKey: clientKeyPem, password: 'p' }), 38797333],
    ['a password over 256 characters', 'x', () => ({ certType: 'client', publicCert: client.cert, privateKey: clientKeyPem, password: 'p'.repeat(257) }), 38797330],
  ];
  for (const [what, id, body, code] of cases) {
    it(`refuses ${what} with 400 {"error":${code}} and stores nothing`, async () => {
      const reply = await addCert(board, id, body());
      assert.deepEqual([reply.status, reply.body], [400, { error: code }]);
      assert.equal(board.state.certs.length, 0);
    });
  }

  it('answers 404 {"error":38797319} for a missing certificate on show and delete', async () => {
    for (const method of ['GET', 'DELETE']) {
      const reply = await callBoard(board, { method, path: '/certstore/certs/nothing' });
      assert.deepEqual([reply.status, reply.body], [404, { error: 38797319 }], method);
    }
  });

  it('refuses to add a second certificate under an existing id (409) and keeps the first', async () => {
    await addCert(board, 'dup', { certType: 'rootca', publicCert: root.cert });
    const again = await addCert(board, 'dup', { certType: 'rootca', publicCert: other.cert });
    assert.equal(again.status, 409);
    assert.equal(board.state.certs[0].publicCert, root.cert);
  });

  it('refuses a certificate that does not fit with 400 {"error":38797323}', async () => {
    let stored = 0;
    for (let i = 0; i < 40; i++) {
      const reply = await addCert(board, `r${i}`, { certType: 'rootca', publicCert: root.cert });
      if (reply.status !== 200) {
        assert.deepEqual([reply.status, reply.body], [400, { error: 38797323 }]);
        break;
      }
      stored++;
    }
    assert.equal(stored, Math.floor(24514 / root.cert.length));
  });
});
