// The certificate wizard's state machine driven by the messages the webview sends, against the real emulator: both
// paths to the end, a malformed code, the hub refusing a stale code and the retry, the summary naming every file.
// Every page it renders must pass the contract's schema, as the panel checks before posting.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regenerateCodeBeforeNextVerify } from '../../../emulator/cloud/arm';
import { ArmCertificateClient } from '../../../src/cloud/arm-certificate-client';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { certificateView, type CertificateView } from '../../../src/wizards/certificate/certificate-contract';
import { CertificateWizard, type SaveFileRequest } from '../../../src/wizards/certificate/certificate-wizard';
import { openssl } from '../../helpers/openssl-pki';
import { signedInPerSuite } from '../../helpers/cloud-harness';

describe('wizards/certificate: the wizard driven by webview messages', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  let sphere: SphereApiClient;
  let arm: ArmCertificateClient;
  let out: string;

  before(async () => {
    ({ sphere, arm } = suite.session);
    out = mkdtempSync(join(tmpdir(), 'cert-wizard-flow-'));
  });
  after(async () => {
    suite.session.dispose();
    await suite.fx.close();
    rmSync(out, { recursive: true, force: true });
  });

  /** A wizard whose save dialog answers from `saveAs` (file names in `out`; undefined = Cancel). */
  function wizard(saveAs: (string | undefined)[]) {
    const pages: CertificateView[] = [];
    const asked: SaveFileRequest[] = [];
    const w = new CertificateWizard({
      sphere,
      arm,
      tenant: { id: suite.fx.emu.seed.tenants.contoso.id, name: 'Contoso Tenant' },
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
    assert.equal(page().thumbprint, page().certificates[0]!.thumbprint);

    await w.handle({ type: 'download', format: 'pem' });
    assert.equal(asked[0]!.suggestedName, `Contoso-Tenant-CA-${page().thumbprint!.slice(0, 8)}.pem`);
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
    await w.handle({ type: 'selectCertificate', thumbprint: 'F'.repeat(40) });
    assert.match(page().error!.message, /has no CA certificate FFFF/);
    await w.handle({ type: 'selectCertificate', thumbprint: page().certificates[0]!.thumbprint });
    await w.handle({ type: 'download', format: 'p7b' });
    assert.deepEqual(page().downloads.map((f) => f.path), [join(out, 'x.txt.p7b')]);
    assert.equal(existsSync(join(out, 'x.txt')), false);
  });
});
