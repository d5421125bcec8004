// The simulator's X.509 builder (EC P-256, ECDSA-SHA256 over node-forge's ASN.1): what Node and openssl make of its
// CA and TLS leaf — chain, names, extensions, key identifiers, serials and the UTCTime/GeneralizedTime switch.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AZURE_SPHERE_DEVICE_CA_NAME, DEVICE_REST_HOST_NAME, generateP256KeyPair, issueCertificate, type CertificateRequest,
} from '../../../emulator/board/certificates';

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** `openssl x509 -text`, with runs of white space collapsed so assertions don't depend on its indentation. */
function opensslText(pem: string): string {
  return openssl(['x509', '-noout', '-text'], pem).replace(/\s+/g, ' ');
}

/** `openssl asn1parse` lines, e.g. `    UTCTIME           :380517000000Z`. */
function asn1Lines(pem: string): string[] {
  return openssl(['asn1parse'], pem).split('\n');
}

/** The value of the extension `name` in `openssl x509 -text` output (collapsed), up to the next `X509v3` heading. */
function extension(text: string, name: string): string | undefined {
  return new RegExp(`X509v3 ${name}: (.*?) (?:X509v3 |Signature Algorithm)`).exec(text)?.[1];
}

/** SHA-1 of 04‖X‖Y, the uncompressed point in the subjectPublicKey BIT STRING: RFC 5280 §4.2.1.2 method (1). */
function expectedKeyId(publicKey: crypto.KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  return crypto.createHash('sha1').update(point).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

const DAY_MS = 24 * 3600 * 1000;

describe('board-sim certificates', () => {
  const caKeys = generateP256KeyPair();
  const leafKeys = generateP256KeyPair();
  const caRequest: CertificateRequest = {
    subject: AZURE_SPHERE_DEVICE_CA_NAME,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore: new Date('2018-05-22T00:00:00Z'),
    notAfter: new Date('2038-05-17T00:00:00Z'),
    isCa: true,
  };
  const leafRequest: CertificateRequest = {
    subject: { CN: DEVICE_REST_HOST_NAME },
    publicKey: leafKeys.publicKey,
    issuer: AZURE_SPHERE_DEVICE_CA_NAME,
    issuerPublicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date('2038-05-17T00:00:00Z'),
    isCa: false,
    dnsNames: [DEVICE_REST_HOST_NAME],
    ipAddresses: ['192.168.35.2'],
    extendedKeyUsage: ['serverAuth'],
  };
  const caPem = issueCertificate(caRequest);
  const leafPem = issueCertificate(leafRequest);
  const ca = new crypto.X509Certificate(caPem);
  const leaf = new crypto.X509Certificate(leafPem);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-certs-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes PEM with 64-character base64 lines and a final newline, so PEMs concatenate into chains', () => {
    for (const pem of [caPem, leafPem]) {
      const lines = pem.split('\n');
      assert.equal(lines[0], '-----BEGIN CERTIFICATE-----');
      assert.equal(lines.at(-2), '-----END CERTIFICATE-----');
      assert.equal(lines.at(-1), '');
      assert.ok(lines.slice(1, -3).every((line) => line.length === 64));
      assert.ok(lines.at(-3)!.length > 0 && lines.at(-3)!.length <= 64);
    }
  });

  it('makes a self-signed EC P-256 CA named like the real "Azure Sphere Device" CA', () => {
    assert.equal(ca.subject, 'C=US\nST=Washington\nL=Redmond\nO=Microsoft Corporation\nCN=Azure Sphere Device');
    assert.equal(ca.issuer, ca.subject);
    assert.ok(ca.ca);
    assert.equal(ca.publicKey.asymmetricKeyType, 'ec');
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(ca.publicKey.equals(caKeys.publicKey));
    assert.ok(ca.verify(caKeys.publicKey), 'the CA verifies with its own key');
    assert.ok(ca.checkIssued(ca));
    assert.equal(new Date(ca.validFrom).toISOString(), '2018-05-22T00:00:00.000Z');
    assert.equal(new Date(ca.validTo).toISOString(), '2038-05-17T00:00:00.000Z');
  });

  it('encodes the country as PrintableString and the other name parts as UTF8String, like the real CA', () => {
    const strings = asn1Lines(caPem).filter((line) => /PRINTABLESTRING|UTF8STRING/.test(line)).map((line) => line.replace(/^.*prim: /, '').replace(/\s+:/, ':'));
    const name = ['PRINTABLESTRING:US', 'UTF8STRING:Washington', 'UTF8STRING:Redmond', 'UTF8STRING:Microsoft Corporation', 'UTF8STRING:Azure Sphere Device'];
    assert.deepEqual(strings, [...name, ...name]); // issuer, then subject
  });

  it('gives the CA critical basicConstraints CA:TRUE, critical keyUsage for signing certs and CRLs, SKI = AKI', () => {
    const text = opensslText(caPem);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /Public Key Algorithm: id-ecPublicKey/);
    assert.match(text, /NIST CURVE: P-256/);
    assert.equal(extension(text, 'Basic Constraints'), 'critical CA:TRUE');
    assert.equal(extension(text, 'Key Usage'), 'critical Digital Signature, Certificate Sign, CRL Sign');
    const keyId = expectedKeyId(caKeys.publicKey);
    assert.equal(extension(text, 'Subject Key Identifier'), keyId);
    assert.equal(extension(text, 'Authority Key Identifier')?.replace(/^keyid:/, ''), keyId);
    assert.equal(extension(text, 'Subject Alternative Name'), undefined);
    assert.equal(extension(text, 'Extended Key Usage'), undefined);
  });

  it('makes a leaf that verifies against the CA (Node and openssl) and no other', () => {
    assert.ok(leaf.verify(ca.publicKey));
    assert.ok(leaf.checkIssued(ca));
    assert.equal(leaf.issuer, ca.subject);
    assert.equal(leaf.subject, `CN=${DEVICE_REST_HOST_NAME}`);
    assert.ok(!leaf.ca);
    assert.ok(leaf.publicKey.equals(leafKeys.publicKey));

    const otherCa = new crypto.X509Certificate(issueCertificate({ ...caRequest, ...generateKeyFields() }));
    assert.ok(!leaf.verify(otherCa.publicKey), 'a leaf must not verify against a different CA key');

    const caFile = path.join(dir, 'ca.pem');
    const otherFile = path.join(dir, 'other-ca.pem');
    const leafFile = path.join(dir, 'leaf.pem');
    fs.writeFileSync(caFile, caPem);
    fs.writeFileSync(otherFile, otherCa.toString());
    fs.writeFileSync(leafFile, leafPem);
    assert.match(openssl(['verify', '-CAfile', caFile, '-purpose', 'sslserver', leafFile]), /: OK/);
    assert.throws(() => openssl(['verify', '-CAfile', otherFile, leafFile]), /verif|error/i);
  });

  it('gives the leaf the SANs, key usages and key identifiers it was asked for', () => {
    const text = opensslText(leafPem);
    assert.equal(extension(text, 'Basic Constraints'), 'critical CA:FALSE');
    assert.equal(extension(text, 'Key Usage'), 'critical Digital Signature');
    assert.equal(extension(text, 'Extended Key Usage'), 'TLS Web Server Authentication');
    assert.equal(extension(text, 'Subject Alternative Name'), `DNS:${DEVICE_REST_HOST_NAME}, IP Address:192.168.35.2`);
    assert.equal(leaf.subjectAltName, `DNS:${DEVICE_REST_HOST_NAME}, IP Address:192.168.35.2`);
    assert.equal(leaf.checkHost('a1b2.devices.sphere.azure.local'), DEVICE_REST_HOST_NAME);
    assert.equal(leaf.checkHost('a1b2.devices.example.com'), undefined);
    assert.equal(leaf.checkIP('192.168.35.2'), '192.168.35.2');
    assert.equal(leaf.checkIP('192.168.35.3'), undefined);
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(extension(text, 'Subject Key Identifier'), expectedKeyId(leafKeys.publicKey));
    assert.equal(extension(text, 'Authority Key Identifier')?.replace(/^keyid:/, ''), expectedKeyId(caKeys.publicKey));
  });

  it('writes client certificates with clientAuth, and both usages in the order asked', () => {
    const client = issueCertificate({ ...leafRequest, dnsNames: undefined, ipAddresses: undefined, extendedKeyUsage: ['clientAuth'] });
    assert.deepEqual(new crypto.X509Certificate(client).keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.equal(extension(opensslText(client), 'Subject Alternative Name'), undefined);
    const both = issueCertificate({ ...leafRequest, extendedKeyUsage: ['clientAuth', 'serverAuth'] });
    assert.equal(extension(opensslText(both), 'Extended Key Usage'), 'TLS Web Client Authentication, TLS Web Server Authentication');
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 on', () => {
    const pem = issueCertificate({
      ...caRequest, notBefore: new Date('2049-12-31T23:59:59Z'), notAfter: new Date('2050-01-01T00:00:00Z'),
    });
    const times = asn1Lines(pem).filter((line) => /TIME/.test(line)).map((line) => line.replace(/^.*prim: /, '').replace(/\s+:/, ':'));
    assert.deepEqual(times, ['UTCTIME:491231235959Z', 'GENERALIZEDTIME:20500101000000Z']);
    const cert = new crypto.X509Certificate(pem);
    assert.equal(new Date(cert.validFrom).toISOString(), '2049-12-31T23:59:59.000Z');
    assert.equal(new Date(cert.validTo).toISOString(), '2050-01-01T00:00:00.000Z');
    assert.ok(cert.verify(caKeys.publicKey));
  });

  it('writes the serial as a positive minimal INTEGER; random serials are 8 bytes', () => {
    /** The serial's DER content as `length:hex`; openssl and Node both print the value without its sign byte. */
    const serialOf = (serial: Buffer | undefined): string => {
      const line = asn1Lines(issueCertificate({ ...caRequest, serial })).filter((l) => /prim: INTEGER/.test(l))[1]; // [0] is the version
      const [, length, value] = /l=\s*(\d+) prim: INTEGER\s+:(\w+)/.exec(line)!;
      return `${length}:${value}`;
    };
    assert.equal(serialOf(Buffer.from('0102', 'hex')), '2:0102');
    assert.equal(serialOf(Buffer.from('000000abcd', 'hex')), '3:ABCD'); // leading zeros dropped, a sign byte added
    assert.equal(serialOf(Buffer.from('ff01', 'hex')), '3:FF01');
    assert.equal(serialOf(Buffer.from('00ff01', 'hex')), '3:FF01');
    assert.equal(serialOf(Buffer.from('0000', 'hex')), '1:00');
    for (let i = 0; i < 20; i++) {
      assert.match(serialOf(undefined), /^8:[4-7][0-9A-F]{15}$/);
    }
  });

  it('keeps non-ASCII name parts as UTF-8', () => {
    const cert = new crypto.X509Certificate(issueCertificate({ ...caRequest, subject: { O: 'Contoso Örebro', CN: 'Gerät €1' } }));
    assert.equal(cert.subject, 'O=Contoso Örebro\nCN=Gerät €1');
  });

  it('refuses what it cannot write: non-IPv4 SANs and signing keys other than EC or RSA', () => {
    assert.throws(() => issueCertificate({ ...leafRequest, ipAddresses: ['192.168.35.256'] }), /Only IPv4/);
    assert.throws(() => issueCertificate({ ...leafRequest, ipAddresses: ['::1'] }), /Only IPv4/);
    assert.throws(() => issueCertificate({ ...leafRequest, ipAddresses: ['1.2.3.4x'] }), /Only IPv4/);
    const ed = crypto.generateKeyPairSync('ed25519');
    assert.throws(() => issueCertificate({ ...caRequest, publicKey: ed.publicKey, signingKey: ed.privateKey }), /must be an EC or RSA key/);
  });
});

function generateKeyFields(): Pick<CertificateRequest, 'publicKey' | 'signingKey'> {
  const { publicKey, privateKey } = generateP256KeyPair();
  return { publicKey, signingKey: privateKey };
}
