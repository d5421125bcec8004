// Certificate helpers against certificates made by the openssl CLI: reading every encoding, thumbprints as openssl
// computes them, PKCS#7 both ways, chain and proof-of-possession checks with their specific refusals, file output.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import {
  CertificateError,
  parseCertificate,
  parseCertificates,
  parsePkcs7,
  toPem,
  validityAt,
  verifyChain,
  verifyProofOfPossession,
  writeCertificateFile,
  type CertificateProblem,
  type ParsedCertificate,
} from '../../../src/cloud/certificates';
import { openssl, OpensslPki, type IssuedCert } from '../../helpers/openssl-pki';

function problemOf(fn: () => unknown): CertificateProblem {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CertificateError, `expected CertificateError, got ${String(err)}`);
    return err.problem;
  }
  assert.fail('expected a CertificateError');
}

function opensslThumbprint(certPath: string): string {
  const out = openssl(['x509', '-in', certPath, '-noout', '-fingerprint', '-sha1']).toString();
  return out.trim().split('=')[1]!.replace(/:/g, '');
}

describe('cloud/certificates', function () {
  this.timeout(30_000);
  let pki: OpensslPki;
  let rsaCa: IssuedCert;
  let ecCa: IssuedCert;

  before(() => {
    pki = new OpensslPki();
    rsaCa = pki.createCa('Tenant RSA CA', 'rsa');
    ecCa = pki.createCa('Tenant EC CA', 'ec');
  });
  after(() => pki.dispose());

  describe('reading', () => {
    it('reads PEM, base64 DER, JSON-quoted base64 and raw DER to the same certificate and openssl thumbprint', () => {
      const fromPem = parseCertificate(rsaCa.pem);
      const der = fromPem.der;
      const variants: Array<Buffer | string> = [der, der.toString('base64'), JSON.stringify(der.toString('base64')), Buffer.from(rsaCa.pem)];
      for (const v of variants) assert.equal(parseCertificate(v).thumbprint, fromPem.thumbprint);
      assert.equal(fromPem.thumbprint, opensslThumbprint(rsaCa.certPath));
      assert.match(fromPem.thumbprint, /^[0-9A-F]{40}$/);
      assert.equal(fromPem.subjectCommonName, 'Tenant RSA CA');
      assert.equal(fromPem.isCa, true);
    });

    it('reads EC certificates (which node-forge alone cannot)', () => {
      const cert = parseCertificate(ecCa.pem);
      assert.equal(cert.thumbprint, opensslThumbprint(ecCa.certPath));
      assert.equal(cert.subjectCommonName, 'Tenant EC CA');
    });

    it('refuses empty input, garbage and damaged DER with specific problems', () => {
      assert.equal(problemOf(() => parseCertificate('   ')), 'empty');
      assert.equal(problemOf(() => parseCertificate('hello, world!')), 'unreadable');
      assert.equal(problemOf(() => parseCertificate(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))), 'unreadable');
      const twoCerts = rsaCa.pem + ecCa.pem;
      assert.equal(problemOf(() => parseCertificate(twoCerts)), 'unreadable');
      assert.equal(parseCertificates(twoCerts).length, 2);
    });

    it('reads a .p7b made by openssl, DER and PEM, with the same certificates openssl put in', () => {
      const p7bPath = pki.path('openssl.p7b');
      openssl(['crl2pkcs7', '-nocrl', '-certfile', rsaCa.certPath, '-certfile', ecCa.certPath, '-outform', 'DER', '-out', p7bPath]);
      const derBytes = readFileSync(p7bPath);
      const fromDer = parsePkcs7(derBytes);
      const pem = openssl(['pkcs7', '-inform', 'DER', '-in', p7bPath]).toString();
      const fromPem = parsePkcs7(pem);
      const expected = [opensslThumbprint(rsaCa.certPath), opensslThumbprint(ecCa.certPath)].sort();
      assert.deepEqual(fromDer.map((c) => c.thumbprint).sort(), expected);
      assert.deepEqual(fromPem.map((c) => c.thumbprint).sort(), expected);
      assert.deepEqual(parseCertificates(derBytes).map((c) => c.thumbprint).sort(), expected);
    });

    it('refuses a PKCS#7 without certificates (empty) and a blob that is not PKCS#7 (unreadable)', () => {
      const noCerts = openssl(['crl2pkcs7', '-nocrl', '-outform', 'DER']);
      assert.equal(problemOf(() => parsePkcs7(noCerts)), 'empty');
      assert.equal(problemOf(() => parsePkcs7(parseCertificate(rsaCa.pem).der)), 'unreadable');
      assert.equal(problemOf(() => parsePkcs7('-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n')), 'unreadable');
    });
  });

  describe('proof of possession', () => {
    for (const kind of ['rsa', 'ec'] as const) {
      it(`accepts a proof whose CN is the code and which the ${kind.toUpperCase()} tenant CA signed`, () => {
        const ca = kind === 'rsa' ? rsaCa : ecCa;
        const proof = pki.issue(ca, '47292AB6260DB02CCD2D07C601B7303DD49858B6');
        verifyProofOfPossession(parseCertificate(proof.pem), parseCertificate(ca.pem), '47292AB6260DB02CCD2D07C601B7303DD49858B6');
      });
    }

    it('refuses a wrong CN, naming both values', () => {
      const proof = parseCertificate(pki.issue(rsaCa, 'AAAA1111').pem);
      assert.throws(
        () => verifyProofOfPossession(proof, parseCertificate(rsaCa.pem), 'BBBB2222'),
        (err: unknown) => err instanceof CertificateError && err.problem === 'cn_mismatch' && /AAAA1111/.test(err.message) && /BBBB2222/.test(err.message),
      );
    });

    it('refuses a proof signed by a foreign CA with the same name (signature) and by a differently named CA (issuer)', () => {
      const impostor = new OpensslPki();
      try {
        const sameName = impostor.createCa('Tenant RSA CA', 'rsa');
        const forged = parseCertificate(impostor.issue(sameName, 'CODE1').pem);
        assert.equal(problemOf(() => verifyProofOfPossession(forged, parseCertificate(rsaCa.pem), 'CODE1')), 'bad_signature');
        const other = parseCertificate(pki.issue(ecCa, 'CODE1').pem);
        assert.equal(problemOf(() => verifyProofOfPossession(other, parseCertificate(rsaCa.pem), 'CODE1')), 'issuer_mismatch');
      } finally {
        impostor.dispose();
      }
    });

    it('refuses outside the validity of the proof or the CA', () => {
      const proof = parseCertificate(pki.issue(rsaCa, 'CODE2', { days: 1 }).pem);
      const ca = parseCertificate(rsaCa.pem);
      const inTenDays = new Date(Date.now() + 10 * 86_400_000);
      assert.equal(validityAt(proof, inTenDays), 'expired');
      assert.equal(problemOf(() => verifyProofOfPossession(proof, ca, 'CODE2', inTenDays)), 'expired');
      assert.equal(problemOf(() => verifyProofOfPossession(proof, ca, 'CODE2', new Date('2001-01-01'))), 'not_yet_valid');
      const inAYear = new Date(Date.now() + 365 * 86_400_000);
      assert.throws(() => verifyProofOfPossession(proof, ca, 'CODE2', inAYear), (e: unknown) => e instanceof CertificateError && /CA certificate/.test(e.message));
    });

    it('refuses an "issuer" that is not a CA', () => {
      const notCa = pki.issue(rsaCa, 'Leaf Not CA', { kind: 'rsa' });
      const child = parseCertificate(pki.issue({ ...notCa }, 'CODE3').pem);
      assert.equal(problemOf(() => verifyProofOfPossession(child, parseCertificate(notCa.pem), 'CODE3')), 'issuer_not_ca');
    });
  });

  describe('chains', () => {
    it('walks leaf → intermediate → root and names the missing link', () => {
      const intermediate = pki.issue(ecCa, 'Intermediate CA', { ca: true });
      const leaf = parseCertificate(pki.issue(intermediate, 'device-1').pem);
      const root = parseCertificate(ecCa.pem);
      const inter = parseCertificate(intermediate.pem);
      const path = verifyChain(leaf, [inter], [root]);
      assert.deepEqual(path.map((c) => c.subjectCommonName), ['device-1', 'Intermediate CA', 'Tenant EC CA']);
      assert.throws(() => verifyChain(leaf, [], [root]), (e: unknown) => e instanceof CertificateError && e.problem === 'untrusted_root' && /Intermediate CA/.test(e.message));
      assert.equal(problemOf(() => verifyChain(leaf, [inter], [parseCertificate(rsaCa.pem)])), 'untrusted_root');
    });
  });

  describe('writing files', () => {
    let ca: ParsedCertificate;
    let proof: ParsedCertificate;
    before(() => {
      ca = parseCertificate(rsaCa.pem);
      proof = parseCertificate(pki.issue(rsaCa, 'CODE4').pem);
    });

    it('writes .cer as DER, .pem as PEM and .p7b as PKCS#7, each read back by openssl', async () => {
      const cer = await writeCertificateFile(pki.path('ca.cer'), ca);
      const fromCer = openssl(['x509', '-inform', 'DER', '-in', cer, '-noout', '-fingerprint', '-sha1']).toString();
      assert.equal(fromCer.trim().split('=')[1]!.replace(/:/g, ''), ca.thumbprint);

      const pem = await writeCertificateFile(pki.path('both.pem'), [ca, proof]);
      assert.equal(readFileSync(pem, 'utf8'), toPem([ca, proof]));
      assert.equal(opensslThumbprint(pem), ca.thumbprint); // openssl reads the first block

      const p7b = await writeCertificateFile(pki.path('chain.p7b'), [ca, proof]);
      const printed = openssl(['pkcs7', '-inform', 'DER', '-in', p7b, '-print_certs', '-noout']).toString();
      assert.match(printed, /subject=CN = Tenant RSA CA/);
      assert.match(printed, /subject=CN = CODE4/);
    });

    it('refuses an unknown extension and several certificates in a .cer', async () => {
      await assert.rejects(writeCertificateFile(pki.path('ca.txt'), ca), (e: unknown) => e instanceof CertificateError && e.problem === 'unsupported_file_type');
      await assert.rejects(writeCertificateFile(pki.path('two.cer'), [ca, proof]), (e: unknown) => e instanceof CertificateError && /\.p7b/.test(e.message));
    });
  });

  it('verifies with openssl what our helpers accept (cross-check)', () => {
    const proof = pki.issue(ecCa, 'CROSSCHECK');
    verifyProofOfPossession(parseCertificate(proof.pem), parseCertificate(ecCa.pem), 'CROSSCHECK');
    const out = openssl(['verify', '-CAfile', ecCa.certPath, proof.certPath]).toString();
    assert.match(out, /: OK/);
  });
});
