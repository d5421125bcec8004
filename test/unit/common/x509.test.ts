// The shared X.509 builder's RSA side (the EC side is covered by test/unit/board-simulator/certificates.test.ts): an
// EC P-256 leaf signed by an RSA CA made elsewhere (by node-forge, as the cloud emulator's tenant CAs are), with the
// issuer named by its certificate. openssl and Node must both accept the chain.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCertificatePem, generateRsaKeyPair } from '../../../emulator/cloud/pki';
import { generateP256KeyPair, issueCertificate } from '../../../emulator/common/x509';

const HOUR_MS = 3600 * 1000;

describe('common x509: certificates signed with an RSA key', () => {
  let dir: string;
  let caPem: string;
  let caKey: crypto.KeyObject;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x509-rsa-'));
    const keys = await generateRsaKeyPair();
    caKey = crypto.createPrivateKey(keys.privateKeyPem);
    caPem = createCertificatePem({
      subjectCommonName: 'Microsoft Azure Sphere 6d8a1c3e-0000-4000-8000-000000000001',
      publicKeyPem: keys.publicKeyPem,
      signingKeyPem: keys.privateKeyPem,
      isCa: true,
      notBefore: new Date(Date.now() - HOUR_MS),
      notAfter: new Date(Date.now() + 48 * HOUR_MS),
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function leaf(commonName: string): { pem: string; key: crypto.KeyObject } {
    const device = generateP256KeyPair();
    const pem = issueCertificate({
      subject: { CN: commonName },
      publicKey: device.publicKey,
      issuerCertificatePem: caPem,
      signingKey: caKey,
      notBefore: new Date(Date.now() - 5 * 60_000),
      notAfter: new Date(Date.now() + 24 * HOUR_MS),
      isCa: false,
      extendedKeyUsage: ['clientAuth'],
    });
    return { pem, key: device.publicKey };
  }

  it('signs with sha256WithRSAEncryption; Node verifies it against the CA and sees the EC key and a 128-character CN', () => {
    const cn = 'ab'.repeat(64);
    const { pem, key } = leaf(cn);
    const cert = new crypto.X509Certificate(pem);
    const ca = new crypto.X509Certificate(caPem);
    assert.equal(cert.verify(ca.publicKey), true);
    assert.equal(cert.checkIssued(ca), true);
    assert.equal(cert.subject, `CN=${cn}`);
    assert.equal(cert.issuer, ca.subject);
    assert.equal(cert.publicKey.export({ format: 'jwk' }).x, key.export({ format: 'jwk' }).x);
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  });

  it('openssl verify accepts the leaf against the CA and prints its algorithm', () => {
    const leafFile = path.join(dir, 'leaf.pem');
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(leafFile, leaf('cd'.repeat(64)).pem);
    fs.writeFileSync(caFile, caPem);
    const verified = spawnSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', caFile, leafFile], { encoding: 'utf8' });
    assert.equal(verified.status, 0, verified.stderr + verified.stdout);
    const text = spawnSync('openssl', ['x509', '-in', leafFile, '-noout', '-text'], { encoding: 'utf8' }).stdout;
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /Public Key Algorithm: id-ecPublicKey/);
    assert.match(text, /TLS Web Client Authentication/);
  });

  it('names the issuer either by certificate or by name and key, not both', () => {
    const device = generateP256KeyPair();
    assert.throws(
      () => issueCertificate({
        subject: { CN: 'x' }, publicKey: device.publicKey, issuerCertificatePem: caPem, issuer: { CN: 'y' }, signingKey: caKey,
        notBefore: new Date(), notAfter: new Date(Date.now() + HOUR_MS), isCa: false,
      }),
      /either by its certificate or by its name/,
    );
  });
});
