// The certificate wizard's state machine driven by the messages the webview sends, against the real emulator: both
// paths to the end, a malformed code, the hub refusing a stale code and the retry, the summary naming every file —
// on the Contoso Tenant (security service) and on the contoso-lab catalog (ARM, a CA of its own, named by serial
// number). Every page it renders must pass the contract's schema, as the panel checks before posting.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { regenerateCodeBeforeNextVerify } from '../../../emulator/cloud/arm';
import { seededRandom } from '../../../emulator/common/seeded-random';
import { realSleep } from '../../../src/cloud/abort';
import { ArmCertificateClient } from '../../../src/cloud/arm-certificate-client';
import { ArmSphereClient } from '../../../src/cloud/arm-sphere';
import { ArmFleetBackend, LegacyFleetBackend, type FleetBackend, type FleetScope } from '../../../src/cloud/backend';
import { certificateView, type CertificateView } from '../../../src/wizards/certificate/certificate-contract';
import { CertificateWizard, type SaveFileRequest } from '../../../src/wizards/certificate/certificate-wizard';
import { openssl } from '../../helpers/openssl-pki';
import { signedInPerSuite } from '../../helpers/cloud-harness';
import { testSeed } from '../../helpers/test-seed';

describe('wizards/certificate: the wizard driven by webview messages', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  const seed = () => suite.fx.emu.seed;
  let legacy: LegacyFleetBackend;
  let catalogs: ArmFleetBackend;
  let tenant: FleetScope;
  let lab: FleetScope;
  let arm: ArmCertificateClient;
  let out: string;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'cert-wizard-flow-'));
    arm = suite.session.arm;
    legacy = new LegacyFleetBackend(suite.session.sphere);
    tenant = (await legacy.listScopes()).find((s) => s.id === seed().tenants.contoso.id)!;
  });
  after(async () => {
    suite.session.dispose();
    await suite.fx.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** A wizard on the Contoso Tenant (or `on`) whose save dialog answers from `saveAs` (file names in `out`; undefined = Cancel). */
  function wizard(saveAs: (string | undefined)[], on: { scope: FleetScope; backend: FleetBackend } = { scope: tenant, backend: legacy }) {
    const pages: CertificateView[] = [];
    const asked: SaveFileRequest[] = [];
    const w = new CertificateWizard({
      ...on,
      arm,
      chooseSaveFile: async (request) => {
        asked.push(request);
        const name = saveAs.shift();
        return name === undefined ? undefined : join(out, name);
      },
      render: (view) => pages.push(certificateView.parse(JSON.parse(JSON.stringify(view)))),
    });
    return { w, pages, asked, page: () => w.current() };
  }

  it('by hand: lists the CA, downloads it as .pem, refuses a malformed code, saves a proof openssl verifies, and sums up', async () => {
    const { w, page, asked } = wizard(['tenant-ca.pem', undefined, 'proof']);
    await w.start();
    assert.equal(page().certificates.length, 1);
    assert.deepEqual([page().scopeKind, page().scopeName], ['legacy', 'Contoso Tenant']);
    assert.equal(page().certificateId, page().certificates[0]!.thumbprint);

    await w.handle({ type: 'download', format: 'pem' });
    assert.equal(asked[0]!.title, 'Save the tenant CA certificate as PEM (.pem)');
    assert.equal(asked[0]!.suggestedName, `Contoso-Tenant-CA-${page().certificateId!.slice(0, 8)}.pem`);
    assert.deepEqual(page().downloads.map((f) => f.path), [join(out, 'tenant-ca.pem')]);
    await w.handle({ type: 'download', format: 'cer' }); // the person cancels the dialog: nothing happens
    assert.equal(page().downloads.length, 1);
    assert.equal(page().error, undefined);

    await w.handle({ type: 'next' });
    await w.handle({ type: 'choosePath', path: 'byHand' });
    await w.handle({ type: 'next' });
    assert.equal(page().step, 'byHand');

    await w.handle({ type: 'createProof', code: '47292AB6260DB02CCD2D07C601B7303DD49858B' });
    assert.match(page().codeProblem!, /has 39 hexadecimal characters, an odd number/);
    assert.equal(asked.length, 2, 'no save dialog for a malformed code');

    const code = 'E4C7D2A1B3F5968870123456789ABCDEF0123456';
    await w.handle({ type: 'createProof', code });
    assert.equal(page().step, 'byHandDone');
    const proof = page().proof!;
    assert.equal(proof.path, join(out, 'proof.cer'), 'the extension the format needs was added');
    assert.match(openssl(['verify', '-partial_chain', '-CAfile', join(out, 'tenant-ca.pem'), proof.path]).toString(), /: OK/);

    await w.handle({ type: 'finish' });
    assert.equal(page().step, 'summary');
    assert.deepEqual(page().summary!.files.map((f) => f.path), [join(out, 'tenant-ca.pem'), proof.path]);
    assert.match(page().summary!.actions.join('\n'), new RegExp(`Got the proof-of-possession certificate for verification code ${code}`));
  });

  it('in one go: picks the hub, is refused once (a stale code), retries, and ends with the hub showing Verified', async () => {
    const { w, page, pages } = wizard([]);
    await w.start();
    await w.handle({ type: 'next' });
    await w.handle({ type: 'choosePath', path: 'inOneGo' });
    await w.handle({ type: 'next' });
    assert.equal(page().step, 'hub');
    assert.deepEqual(page().hubs!.map((h) => h.label), ['contoso-hub', 'contoso-dps']);
    assert.match(page().certificateName!, /^Contoso-Tenant-CA-[0-9A-F]{8}$/);

    await w.handle({ type: 'prove', hubId: page().hubId!, certificateName: 'bad name' });
    assert.equal(page().step, 'hub');
    assert.match(page().nameProblem!, /"space" at position 4/);

    regenerateCodeBeforeNextVerify('contoso-hub', 'sphere-ca');
    await w.handle({ type: 'prove', hubId: page().hubId!, certificateName: 'sphere-ca' });
    assert.equal(page().step, 'progress');
    assert.equal(page().error!.title, 'contoso-hub refused the proof');
    assert.match(page().error!.message, /is not the last verification code generated/);
    assert.equal(page().progress!.find((p) => p.id === 'verify-on-hub')!.state, 'failed');
    assert.ok(pages.some((p) => p.progress?.some((s) => s.state === 'running')), 'progress was shown while it ran');

    await w.handle({ type: 'retry' });
    assert.equal(page().error, undefined);
    assert.deepEqual(page().hubResult && [page().hubResult!.verified, page().hubResult!.hubName], [true, 'contoso-hub']);
    assert.equal(page().progress!.find((p) => p.id === 'upload-ca')!.state, 'skipped', 'the CA was already on the hub from the first try');
    const hub = { kind: 'iotHub' as const, subscriptionId: suite.fx.emu.seed.hubs.contosoHub.subscriptionId, resourceGroup: 'sphere-demo', name: 'contoso-hub' };
    assert.equal((await arm.getCertificate(hub, 'sphere-ca')).properties.isVerified, true);

    await w.handle({ type: 'finish' });
    assert.deepEqual(page().summary!.files, []);
    assert.match(page().summary!.actions.join('\n'), /Uploaded CA [0-9A-F]{40} to IoT hub contoso-hub as "sphere-ca".*Verified/);
  });

  it('refuses a CA that cannot be used and a download to a name whose format differs, writing nothing', async () => {
    const { w, page } = wizard(['x.txt']);
    await w.start();
    await w.handle({ type: 'selectCertificate', certificateId: 'F'.repeat(40) });
    assert.match(page().error!.message, /The tenant "Contoso Tenant" has no CA certificate FFFF/);
    await w.handle({ type: 'selectCertificate', certificateId: page().certificates[0]!.id });
    await w.handle({ type: 'download', format: 'p7b' });
    assert.deepEqual(page().downloads.map((f) => f.path), [join(out, 'x.txt.p7b')]);
    assert.equal(existsSync(join(out, 'x.txt')), false);
  });
  describe('on the contoso-lab catalog (ARM)', () => {
    const labCa = () => new X509Certificate(readFileSync(join(out, 'lab-ca.pem')));

    beforeEach(async () => {
      // ARM's operation waits shortened (the emulator asks for 1 s); the retries' jitter seeded per test.
      const armSphere = new ArmSphereClient({
        settings: suite.fx.settings,
        tokens: suite.session.engine,
        transport: suite.session.transport,
        retry: { sleep: (ms, signal) => realSleep(Math.min(ms, 20), signal), random: seededRandom(testSeed()) },
      });
      catalogs = new ArmFleetBackend(armSphere);
      lab = (await catalogs.listScopes()).find((s) => s.name === seed().catalogs.lab.name)!;
    });

    it('lists its CA by serial number with the thumbprint beside it, in the words of a catalog', async () => {
      const { w, page, pages } = wizard([], { scope: lab, backend: catalogs });
      await w.start();
      assert.deepEqual([page().scopeKind, page().scopeName, page().scopeId], ['catalog', 'contoso-lab', lab.id]);
      assert.ok(pages.some((p) => p.busy === 'Reading the catalog’s CA certificates'), 'the busy line says catalog');
      assert.equal(page().certificates.length, 1);
      const [row] = page().certificates;
      assert.deepEqual([row!.status, row!.usable], ['active', true]);
      assert.match(row!.id, /^[0-9A-F]+$/);
      assert.match(row!.thumbprint!, /^[0-9A-F]{40}$/);
      assert.notEqual(row!.id, row!.thumbprint, 'a catalog names its CA by serial number, not by thumbprint');
      assert.equal(page().certificateId, row!.id);
      assert.match(row!.subject, new RegExp(`Microsoft Azure Sphere ${seed().catalogs.lab.tenantId}`));
    });

    it('downloads the CA (.pem) and its chain (.p7b): the serial and thumbprint match, and the chain verifies the CA in openssl and node-forge', async () => {
      const { w, page, asked } = wizard(['lab-ca.pem', 'lab-chain.p7b'], { scope: lab, backend: catalogs });
      await w.start();
      const row = page().certificates[0]!;
      await w.handle({ type: 'download', format: 'pem' });
      await w.handle({ type: 'download', format: 'p7b' });
      assert.equal(page().error, undefined, JSON.stringify(page().error));
      assert.deepEqual([asked[0]!.title, asked[0]!.suggestedName], ['Save the catalog CA certificate as PEM (.pem)', `contoso-lab-CA-${row.thumbprint!.slice(0, 8)}.pem`]);
      assert.deepEqual(page().downloads.map((f) => f.description), ['Catalog CA certificate (PEM text, .pem)', 'Catalog CA certificate chain (PKCS#7, .p7b)']);

      const ca = labCa();
      assert.equal(ca.serialNumber.toUpperCase(), row.id, 'the row the wizard listed is the certificate it saved');
      assert.equal(ca.fingerprint.replace(/:/g, ''), row.thumbprint);
      assert.match(ca.subject, new RegExp(`Microsoft Azure Sphere ${seed().catalogs.lab.tenantId}`));

      // openssl: the chain's certificates as the trust store, the saved CA verified against them.
      const chainPem = join(out, 'lab-chain.pem');
      writeFileSync(chainPem, openssl(['pkcs7', '-inform', 'DER', '-in', join(out, 'lab-chain.p7b'), '-print_certs']));
      assert.match(openssl(['verify', '-CAfile', chainPem, join(out, 'lab-ca.pem')]).toString(), /lab-ca\.pem: OK/);

      // node-forge, a second implementation: the chain holds the CA, and each certificate is signed by the next one up.
      const p7 = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(readFileSync(join(out, 'lab-chain.p7b')).toString('binary')))) as forge.pkcs7.PkcsSignedData;
      const chain = p7.certificates;
      assert.ok(chain.length >= 2, `a chain, not the CA alone (${chain.length})`);
      const forgeCa = forge.pki.certificateFromPem(readFileSync(join(out, 'lab-ca.pem'), 'utf8'));
      const store = forge.pki.createCaStore(chain.filter((c) => c.serialNumber.toUpperCase() !== forgeCa.serialNumber.toUpperCase()));
      assert.equal(forge.pki.verifyCertificateChain(store, [forgeCa]), true);
      assert.ok(chain.some((c) => c.serialNumber.toUpperCase().replace(/^0+/, '') === row.id.replace(/^0+/, '')), 'the chain holds the catalog CA');
    });

    it('by hand: refuses a non-code before anything is sent, then saves a proof for the catalog CA that openssl verifies', async () => {
      const { w, page, asked } = wizard(['lab-proof.cer'], { scope: lab, backend: catalogs });
      await w.start();
      await w.handle({ type: 'next' });
      await w.handle({ type: 'choosePath', path: 'byHand' });
      await w.handle({ type: 'next' });
      await w.handle({ type: 'createProof', code: 'contoso-lab' });
      assert.match(page().codeProblem!, /this one has the letter "o" \(the digit 0 is meant\?\) at position 2/);
      assert.equal(asked.length, 0, 'no save dialog, nothing asked of ARM');
      const code = 'B7E15163A1C2D3E4F5061728394A5B6C7D8E9F00';
      await w.handle({ type: 'createProof', code });
      assert.equal(page().step, 'byHandDone', JSON.stringify(page().error));
      assert.equal(page().proof!.checks[0]!.label, 'Signed by the catalog CA');
      assert.equal(page().proof!.caThumbprint, page().certificates[0]!.thumbprint);
      assert.match(openssl(['verify', '-partial_chain', '-CAfile', join(out, 'lab-ca.pem'), page().proof!.path]).toString(), /lab-proof\.cer: OK/);
      assert.match(openssl(['x509', '-inform', 'DER', '-in', page().proof!.path, '-noout', '-subject']).toString(), new RegExp(`CN = ${code}`));
    });

    it('in one go: uploads the catalog CA to contoso-hub and proves it; the hub shows it Verified, with the CA’s thumbprint', async () => {
      const { w, page } = wizard([], { scope: lab, backend: catalogs });
      await w.start();
      const row = page().certificates[0]!;
      await w.handle({ type: 'next' });
      await w.handle({ type: 'choosePath', path: 'inOneGo' });
      await w.handle({ type: 'next' });
      assert.equal(page().certificateName, `contoso-lab-CA-${row.thumbprint!.slice(0, 8)}`);
      const hub = page().hubs!.find((h) => h.label === 'contoso-hub')!;
      await w.handle({ type: 'prove', hubId: hub.id, certificateName: page().certificateName! });
      assert.equal(page().error, undefined, JSON.stringify(page().error));
      assert.deepEqual(page().progress!.map((p) => p.state), ['done', 'done', 'done', 'done', 'done', 'done']);
      assert.deepEqual([page().hubResult!.verified, page().hubResult!.thumbprint], [true, row.thumbprint]);

      // The hub's own record, read back through ARM (not the wizard's memory).
      const ref = { kind: 'iotHub' as const, subscriptionId: seed().hubs.contosoHub.subscriptionId, resourceGroup: seed().hubs.contosoHub.resourceGroup, name: 'contoso-hub' };
      const entry = await arm.getCertificate(ref, page().certificateName!);
      assert.deepEqual([entry.properties.isVerified, entry.properties.thumbprint], [true, labCa().fingerprint.replace(/:/g, '')]);
      await w.handle({ type: 'finish' });
      assert.match(page().summary!.actions.join('\n'), new RegExp(`Uploaded CA ${row.thumbprint} to IoT hub contoso-hub .*Verified`));
    });

    it('refuses a CA the catalog does not have, in the words of a catalog, before anything is sent', async () => {
      const { w, page } = wizard([], { scope: lab, backend: catalogs });
      await w.start();
      await w.handle({ type: 'selectCertificate', certificateId: '0123ABCD' });
      assert.equal(page().error!.message, 'The catalog "contoso-lab" has no CA certificate 0123ABCD.');
      assert.equal(page().certificateId, page().certificates[0]!.id, 'the choice stays on the usable CA');
    });
  });
});
