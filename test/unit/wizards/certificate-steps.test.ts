// The certificate wizard's steps against the real cloud emulator over HTTPS on loopback: the CA list, downloads in
// three formats read back by the real openssl, the by-hand proof checked on disk (and by `openssl verify`), and the
// in-one-go flow ending with the hub showing Verified — or refusing a stale code, with the hub's own words.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regenerateCodeBeforeNextVerify } from '../../../emulator/cloud/arm';
import { ArmCertificateClient } from '../../../src/cloud/arm-certificate-client';
import { LegacyFleetBackend, type FleetCertificate, type FleetScope } from '../../../src/cloud/backend';
import type { CaProofStep } from '../../../src/cloud/ca-proof-flow';
import { caCertificateRows, defaultCaRow, listCaCertificateRows } from '../../../src/wizards/certificate/ca-certificate-rows';
import { downloadCaCertificate, formatOfPath, suggestedCaFileName } from '../../../src/wizards/certificate/ca-download';
import { createProofByHand, ProofCheckError } from '../../../src/wizards/certificate/proof-by-hand';
import { certificateNameProblem, listHubChoices, proveInOneGo, ProofRefusedError, suggestedCertificateName } from '../../../src/wizards/certificate/proof-in-one-go';
import { VerificationCodeError } from '../../../src/wizards/certificate/verification-code';
import { openssl } from '../../helpers/openssl-pki';
import { signedInPerSuite } from '../../helpers/cloud-harness';

describe('wizards/certificate: steps against the emulator', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  let backend: LegacyFleetBackend;
  let tenant: FleetScope;
  let arm: ArmCertificateClient;
  let out: string;
  const tenantId = () => suite.fx.emu.seed.tenants.contoso.id;
  let thumbprint: string;

  before(async () => {
    arm = suite.session.arm;
    backend = new LegacyFleetBackend(suite.session.sphere);
    tenant = (await backend.listScopes()).find((s) => s.id === tenantId())!;
    out = mkdtempSync(join(tmpdir(), 'cert-wizard-'));
    thumbprint = defaultCaRow(await listCaCertificateRows(backend, tenant))!.id;
  });
  after(async () => {
    suite.session.dispose();
    await suite.fx.close();
    rmSync(out, { recursive: true, force: true });
  });

  describe('the CA list', () => {
    it("lists the tenant's CA by thumbprint, with subject (read from the certificate: the list has none), validity and Active status", async () => {
      const rows = await listCaCertificateRows(backend, tenant);
      assert.equal(rows.length, 1);
      const [row] = rows;
      assert.match(row!.thumbprint!, /^[0-9A-F]{40}$/);
      assert.equal(row!.id, row!.thumbprint, "a tenant's CA is selected by its thumbprint");
      assert.equal(row!.subject, `CN=Microsoft Azure Sphere ${tenantId()}`);
      assert.deepEqual([row!.status, row!.statusLabel, row!.usable], ['active', 'Active', true]);
      assert.ok(Date.parse(row!.notBefore) < Date.now() && Date.now() < Date.parse(row!.notAfter));
    });

    it('marks revoked, expired and inactive CAs, puts the active one first and never preselects an unusable one', () => {
      const valid = { notBefore: '2024-01-01T00:00:00Z', notAfter: '2099-01-01T00:00:00Z', subject: 'CN=x' };
      const certificates: FleetCertificate[] = [
        { id: 'a'.repeat(40), thumbprint: 'a'.repeat(40), status: 'Active', notBefore: '2018-01-01T00:00:00Z', notAfter: '2020-01-01T00:00:00Z' }, // says Active, but past its date
        { id: 'C'.repeat(40), thumbprint: 'C'.repeat(40), status: 'Revoked', ...valid },
        { id: 'B'.repeat(40), thumbprint: 'B'.repeat(40), status: 'Active', ...valid },
        { id: '0D1E2F', status: 'Expired', ...valid }, // a catalog's, by serial number, as ARM says it
      ];
      const rows = caCertificateRows(certificates);
      assert.deepEqual(rows.map((r) => [r.id[0], r.status, r.usable]), [['B', 'active', true], ['C', 'revoked', false], ['0', 'expired', false], ['a', 'expired', false]]);
      assert.equal(rows[3]!.thumbprint, 'A'.repeat(40), 'thumbprints are upper-case, as IoT Hub shows them');
      assert.equal(rows[3]!.notAfter, '2020-01-01T00:00:00.000Z');
      assert.equal(rows[2]!.thumbprint, undefined);
      assert.equal(defaultCaRow(rows)?.id, 'B'.repeat(40));
      assert.equal(defaultCaRow(rows.filter((r) => r.status !== 'active')), undefined);
      const inactive = caCertificateRows([{ ...certificates[2]!, status: 'Inactive' }]);
      assert.deepEqual([inactive[0]!.status, inactive[0]!.usable, defaultCaRow(inactive)?.status], ['inactive', true, 'inactive']);
      const notYet = caCertificateRows([{ ...certificates[2]!, notBefore: '2098-01-01T00:00:00Z' }]);
      assert.deepEqual([notYet[0]!.status, notYet[0]!.usable], ['not-yet-valid', false]);
    });
  });

  describe('downloads', () => {
    it('writes .cer as DER, .pem as text and .p7b as PKCS#7, each readable by openssl with the same thumbprint', async () => {
      const fingerprint = (args: string[]) => /Fingerprint=([0-9A-F:]+)/.exec(openssl(['x509', '-noout', '-fingerprint', '-sha1', ...args]).toString())![1]!.replace(/:/g, '');
      const cer = await downloadCaCertificate(backend, tenant, { certificateId: thumbprint, filePath: join(out, 'ca.cer') });
      assert.deepEqual([cer.format, cer.certificates], ['cer', 1]);
      assert.equal(readFileSync(cer.path)[0], 0x30);
      assert.equal(fingerprint(['-inform', 'DER', '-in', cer.path]), thumbprint);

      const pem = await downloadCaCertificate(backend, tenant, { certificateId: thumbprint, filePath: join(out, 'ca.pem') });
      assert.match(readFileSync(pem.path, 'utf8'), /^-----BEGIN CERTIFICATE-----\n/);
      assert.equal(fingerprint(['-in', pem.path]), thumbprint);

      const p7b = await downloadCaCertificate(backend, tenant, { certificateId: thumbprint, filePath: join(out, 'chain.p7b') });
      const printed = openssl(['pkcs7', '-inform', 'DER', '-in', p7b.path, '-print_certs']).toString();
      assert.match(printed, new RegExp(`subject=CN = Microsoft Azure Sphere ${tenantId()}`));
      assert.equal(p7b.certificates, (printed.match(/BEGIN CERTIFICATE/g) ?? []).length);
    });

    it('refuses a file name whose extension names no format, before downloading', async () => {
      await assert.rejects(downloadCaCertificate(backend, tenant, { certificateId: thumbprint, filePath: join(out, 'ca.txt') }), /"ca\.txt" does not end in \.cer, \.pem or \.p7b/);
      assert.equal(existsSync(join(out, 'ca.txt')), false);
      assert.deepEqual([formatOfPath('/x/A.CER'), formatOfPath('a.p7b'), formatOfPath('a.der')], ['cer', 'p7b', undefined]);
      assert.equal(suggestedCaFileName('Contoso Tenant', thumbprint, 'pem'), `Contoso-Tenant-CA-${thumbprint.slice(0, 8)}.pem`);
    });
  });

  describe('by hand', () => {
    const code = '47292AB6260DB02CCD2D07C601B7303DD49858B6';

    it('saves a proof whose CN is the code and which openssl verifies against the downloaded CA; says where to upload it', async () => {
      const ca = await downloadCaCertificate(backend, tenant, { certificateId: thumbprint, filePath: join(out, 'byhand-ca.pem') });
      const result = await createProofByHand(backend, tenant, { certificateId: thumbprint, verificationCode: ` ${code} `, proofPath: join(out, 'proof.cer') });
      assert.equal(result.verificationCode, code);
      assert.equal(result.caThumbprint, thumbprint);
      assert.deepEqual(result.checks.map((c) => c.label), ['Signed by the tenant CA', 'CN equals the verification code', 'Within its validity']);
      // An independent implementation agrees: the saved file chains to the downloaded CA, and its subject is the code.
      assert.match(openssl(['verify', '-partial_chain', '-CAfile', ca.path, result.proofPath]).toString(), /proof\.cer: OK/);
      assert.match(openssl(['x509', '-inform', 'DER', '-in', result.proofPath, '-noout', '-subject']).toString(), new RegExp(`subject=CN = ${code}`));
      assert.match(result.uploadSteps.iotHubPortal, /IoT hub → Security settings → Certificates .* choose proof\.cer → Verify/);
      assert.match(result.uploadSteps.dpsCli, /az iot dps certificate verify .*--path ".*proof\.cer"/);
    });

    it('refuses a malformed code before asking the service, and writes nothing', async () => {
      const target = join(out, 'never.cer');
      await assert.rejects(createProofByHand(backend, tenant, { certificateId: thumbprint, verificationCode: code.slice(0, 39) + 'G', proofPath: target }), (e: unknown) => e instanceof VerificationCodeError && /"G" at position 40/.test(e.message));
      assert.equal(existsSync(target), false);
    });

    it('removes a saved proof that fails the local check (here: checked at a time past its validity)', async () => {
      const target = join(out, 'late.cer');
      const later = new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000);
      await assert.rejects(createProofByHand(backend, tenant, { certificateId: thumbprint, verificationCode: code, proofPath: target, now: later }), (e: unknown) => e instanceof ProofCheckError && /failed the local check and was not kept: .*expired/.test(e.message));
      assert.equal(existsSync(target), false);
    });
  });

  describe('in one go', () => {
    it("lists the account's IoT hubs and DPS (not another directory's), IoT hubs first", async () => {
      const choices = await listHubChoices(arm);
      assert.deepEqual(choices.map((c) => [c.label, c.ref.kind]), [['contoso-hub', 'iotHub'], ['contoso-dps', 'dps']]);
      assert.equal(choices[0]!.description, 'IoT hub · Contoso IoT / sphere-demo · westeurope');
    });

    it('checks the entry name as ARM does and suggests one that passes', () => {
      assert.equal(certificateNameProblem(suggestedCertificateName('Contoso Tenant', thumbprint)), undefined);
      assert.match(certificateNameProblem('my ca')!, /"space" at position 3/);
      assert.match(certificateNameProblem('x'.repeat(65))!, /65 characters long; .* at most 64/);
    });

    it('ends with the hub showing the certificate Verified, reporting every step; a second run changes nothing', async () => {
      const hub = (await listHubChoices(arm))[0]!.ref;
      const steps: CaProofStep[] = [];
      const result = await proveInOneGo(backend, tenant, arm, { certificateId: thumbprint, hub, certificateName: 'contoso-ca', onProgress: (s) => steps.push(s) });
      assert.deepEqual(steps, ['download-ca', 'upload-ca', 'generate-code', 'download-proof', 'check-proof', 'verify-on-hub', 'done']);
      assert.equal(result.alreadyVerified, false);
      assert.equal(result.certificate.properties.isVerified, true);
      assert.equal((await arm.getCertificate(hub, 'contoso-ca')).properties.thumbprint, thumbprint);
      const again = await proveInOneGo(backend, tenant, arm, { certificateId: thumbprint, hub, certificateName: 'contoso-ca' });
      assert.deepEqual([again.alreadyVerified, again.stepsRun], [true, ['download-ca', 'done']]);
    });

    it("turns the hub's refusal of a stale code into ProofRefusedError with its words; trying again verifies", async () => {
      const dps = (await listHubChoices(arm)).find((c) => c.ref.kind === 'dps')!.ref;
      regenerateCodeBeforeNextVerify('contoso-dps', 'stale-ca');
      await assert.rejects(proveInOneGo(backend, tenant, arm, { certificateId: thumbprint, hub: dps, certificateName: 'stale-ca' }), (e: unknown) =>
        e instanceof ProofRefusedError && /^contoso-dps refused the proof of possession for "stale-ca": The verification certificate's subject CN '[0-9A-F]{40}' is not the last verification code generated/.test(e.message) && /Try again/.test(e.message));
      assert.equal((await arm.getCertificate(dps, 'stale-ca')).properties.isVerified, false);
      const retried = await proveInOneGo(backend, tenant, arm, { certificateId: thumbprint, hub: dps, certificateName: 'stale-ca' });
      assert.deepEqual([retried.certificate.properties.isVerified, retried.stepsRun.includes('upload-ca')], [true, false]);
    });
  });
});
