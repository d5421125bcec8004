// The certificate-validation wizard in the real extension host against the local cloud emulator: the command opens
// the panel, the test speaks as the page through panel.receive (the page's own entry point, so validation runs),
// and checks the results where they land — the hub's state through the emulator's ARM API (raw HTTPS, not our
// client), files on disk through the real openssl. Then the same on the contoso-lab catalog (Azure Sphere Integrated,
// over ARM): its CA listed by serial number, the chain downloaded and verified, and proved to an IoT hub.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { requestTokenByDeviceCode, SEED } from '../../emulator/cloud';
import { regenerateCodeBeforeNextVerify } from '../../emulator/cloud/arm';
import type { CertificateWizardPanel } from '../../src/wizards/certificate/certificate-wizard-panel';
import type { CertificateToHost, CertificateView } from '../../src/wizards/certificate/certificate-contract';
import { eventually } from './devices-harness';
import { emulatedCloud, signInAs, type EmulatedCloud } from './person';
import { activatedExtension } from './support';

/** GET through the emulator's ARM API with a token of `email`, as any other ARM client would. */
async function armGet(cloud: EmulatedCloud, path: string): Promise<Record<string, unknown>> {
  const token = (await requestTokenByDeviceCode(cloud.emu, { loginHint: SEED.users.avery.email, scope: 'https://management.azure.com/user_impersonation' })).access_token as string;
  return new Promise((resolve, reject) => {
    https
      .get(`${cloud.emu.url}${path}`, { ca: cloud.emu.caCertPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

const hubCertificatePath = (hub: { subscriptionId: string; resourceGroup: string; kind: string; name: string }, name: string) =>
  `/subscriptions/${hub.subscriptionId}/resourceGroups/${hub.resourceGroup}/providers/Microsoft.Devices/${hub.kind}/${hub.name}/certificates/${name}?api-version=2023-06-30`;

describe('Certificate-validation wizard (host side, message contract, emulator)', function () {
  this.timeout(120_000);
  let cloud: EmulatedCloud;
  let dir: string;
  let panel: CertificateWizardPanel;
  const posted: unknown[] = [];

  const view = (): CertificateView => panel.view!;
  const send = (message: CertificateToHost | Record<string, unknown>) => panel.receive(message);

  before(async () => {
    await activatedExtension();
    cloud = await emulatedCloud();
    dir = mkdtempSync(join(tmpdir(), 'cert-wizard-int-'));
    await signInAs(cloud.person, SEED.users.avery.email, 'Contoso Tenant');
    assert.deepEqual(cloud.person.errors, []);
  });
  after(async () => {
    panel?.dispose();
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens for the selected tenant and, on ready, sends the CA list with the active CA preselected', async () => {
    panel = (await vscode.commands.executeCommand('sphereExplorer.validateCaCertificate')) as CertificateWizardPanel;
    assert.ok(panel, 'the command returns the panel');
    panel.onDidPostMessage((m) => posted.push(m));
    await send({ type: 'ready' });
    assert.deepEqual([view().scopeName, view().scopeKind], ['Contoso Tenant', 'legacy']);
    assert.equal(view().certificates.length, 1);
    assert.deepEqual([view().certificates[0]!.status, view().certificateId], ['active', view().certificates[0]!.thumbprint]);
    assert.ok(posted.some((m) => (m as { type: string }).type === 'view') && posted.some((m) => (m as { type: string }).type === 'persist'), 'the view is posted and kept');
    assert.ok(!JSON.stringify(posted).includes('eyJ'), 'no token reaches the page');
  });

  it('ignores a malformed message from the page', async () => {
    const before = view();
    await send({ type: 'download', format: 'der' });
    await send({ type: 'next', accessToken: 'x' });
    assert.deepEqual(view(), before);
    assert.deepEqual(cloud.person.saveDialogs.length, 0);
  });

  it('by hand: the files written (CA as .pem, proof as .cer) pass openssl verify; a malformed code is explained first', async () => {
    cloud.person.saveAs.push(join(dir, 'contoso-ca.pem'), join(dir, 'proof.cer'));
    await send({ type: 'download', format: 'pem' });
    assert.equal(cloud.person.saveDialogs[0]!.defaultUri?.path.endsWith(`Contoso-Tenant-CA-${view().certificateId!.slice(0, 8)}.pem`), true);
    await send({ type: 'next' });
    await send({ type: 'choosePath', path: 'byHand' });
    await send({ type: 'next' });
    assert.equal(view().step, 'byHand');

    await send({ type: 'createProof', code: '47292AB6 260DB02CCD2D07C601B7303DD49858B6' });
    assert.match(view().codeProblem!, /a space at position 9/);
    assert.equal(cloud.person.saveDialogs.length, 1, 'no save dialog for a malformed code');

    await send({ type: 'createProof', code: '47292AB6260DB02CCD2D07C601B7303DD49858B6' });
    assert.equal(view().step, 'byHandDone', JSON.stringify(view().error));
    const proof = join(dir, 'proof.cer');
    const verified = execFileSync('openssl', ['verify', '-partial_chain', '-CAfile', join(dir, 'contoso-ca.pem'), proof]).toString();
    assert.match(verified, /proof\.cer: OK/);
    assert.match(execFileSync('openssl', ['x509', '-inform', 'DER', '-in', proof, '-noout', '-subject']).toString(), /CN = 47292AB6260DB02CCD2D07C601B7303DD49858B6/);
    await send({ type: 'finish' });
    assert.deepEqual(view().summary!.files.map((f) => f.path), [join(dir, 'contoso-ca.pem'), proof]);
  });

  it('in one go: a refused proof (stale code) is shown with the hub’s words; Try Again ends with the hub showing Verified', async () => {
    await send({ type: 'startOver' });
    await send({ type: 'next' });
    await send({ type: 'choosePath', path: 'inOneGo' });
    await send({ type: 'next' });
    assert.deepEqual(view().hubs!.map((h) => h.label), ['contoso-hub', 'contoso-dps']);
    const dps = view().hubs!.find((h) => h.label === 'contoso-dps')!;
    await send({ type: 'selectHub', hubId: dps.id });

    regenerateCodeBeforeNextVerify('contoso-dps', 'contoso-tenant-ca');
    await send({ type: 'prove', hubId: dps.id, certificateName: 'contoso-tenant-ca' });
    assert.equal(view().error?.title, 'contoso-dps refused the proof');
    assert.match(view().error!.message, /not the last verification code generated for 'contoso-tenant-ca'/);
    const pending = await armGet(cloud, hubCertificatePath(SEED.hubs.contosoDps, 'contoso-tenant-ca'));
    assert.equal((pending.properties as { isVerified: boolean }).isVerified, false);

    await send({ type: 'retry' });
    assert.equal(view().hubResult?.verified, true, JSON.stringify(view().error));
    const entry = await armGet(cloud, hubCertificatePath(SEED.hubs.contosoDps, 'contoso-tenant-ca'));
    const props = entry.properties as { isVerified: boolean; thumbprint: string };
    assert.equal(props.isVerified, true);
    assert.equal(props.thumbprint, view().certificates[0]!.thumbprint);
  });

  it('in one go on the IoT hub: uploaded and Verified in one step, as the emulator’s ARM API shows', async () => {
    await send({ type: 'back' });
    const hub = view().hubs!.find((h) => h.label === 'contoso-hub')!;
    await send({ type: 'prove', hubId: hub.id, certificateName: 'sphere-ca' });
    assert.deepEqual(view().progress!.map((p) => p.state), ['done', 'done', 'done', 'done', 'done', 'done']);
    const entry = await armGet(cloud, hubCertificatePath(SEED.hubs.contosoHub, 'sphere-ca'));
    assert.equal((entry.properties as { isVerified: boolean }).isVerified, true);
    await send({ type: 'finish' });
    assert.match(view().summary!.actions.join('\n'), /IoT hub contoso-hub as "sphere-ca".*Verified/);
    assert.equal(existsSync(join(dir, 'proof.cer')), true);
  });

  it('comes back with the same page after the webview reloads (ready with the kept state)', async () => {
    const kept = view();
    const reopened = (await vscode.commands.executeCommand('sphereExplorer.validateCaCertificate')) as CertificateWizardPanel;
    assert.equal(reopened, panel, 'one panel per kind');
    await send({ type: 'ready', state: kept });
    assert.deepEqual(view(), kept);
  });
  describe('on the contoso-lab catalog (Azure Sphere Integrated, over ARM)', () => {
    const { subscriptionId, resourceGroup, lab } = SEED.catalogs;
    const LAB_ID = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${lab.name}`;

    it('the open wizard starts over for the catalog it is run on: its CA listed by serial number, in a catalog’s words', async () => {
      // What the Accounts view's catalog node hands the command: its scope, as `catalog`.
      const scope = { id: LAB_ID, name: lab.name, kind: 'catalog' as const, subscriptionId, resourceGroup, tenantId: lab.tenantId };
      const reopened = (await vscode.commands.executeCommand('sphereExplorer.validateCaCertificate', { catalog: scope })) as CertificateWizardPanel;
      assert.equal(reopened, panel, 'one panel per kind');
      assert.equal(panel.panel.title, 'Validate CA Certificate — contoso-lab');
      // The open panel starts over for the catalog by itself, reading its CAs over ARM: wait for that page.
      await eventually(() => view(), (v) => v.scopeKind === 'catalog' && !v.busy && v.certificates.length > 0, 'the catalog’s CA list');
      assert.deepEqual([view().step, view().scopeKind, view().scopeName, view().scopeId], ['certificates', 'catalog', 'contoso-lab', LAB_ID]);
      assert.equal(view().certificates.length, 1);
      const row = view().certificates[0]!;
      assert.equal(view().certificateId, row.id);
      const armCa = (await armGet(cloud, `${LAB_ID}/certificates/.default?api-version=2024-04-01`)) as { name: string; properties: { thumbprint: string } };
      assert.deepEqual([row.id, row.thumbprint], [armCa.name, armCa.properties.thumbprint], 'listed by serial number, the thumbprint beside it');
      assert.deepEqual(view().downloads, [], 'nothing of the tenant’s page carried over');
    });

    it('saves the catalog CA and its chain; openssl verifies the CA against the chain', async () => {
      cloud.person.saveAs.push(join(dir, 'lab-ca.pem'), join(dir, 'lab-chain.p7b'));
      await send({ type: 'download', format: 'pem' });
      await send({ type: 'download', format: 'p7b' });
      assert.equal(view().error, undefined, JSON.stringify(view().error));
      assert.equal(cloud.person.saveDialogs.at(-2)!.title, 'Save the catalog CA certificate as PEM (.pem)');
      const chainPem = join(dir, 'lab-chain.pem');
      writeFileSync(chainPem, execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, 'lab-chain.p7b'), '-print_certs']));
      assert.match(execFileSync('openssl', ['verify', '-CAfile', chainPem, join(dir, 'lab-ca.pem')]).toString(), /lab-ca\.pem: OK/);
      const serial = execFileSync('openssl', ['x509', '-in', join(dir, 'lab-ca.pem'), '-noout', '-serial']).toString().trim().replace(/^serial=/, '');
      assert.equal(serial.replace(/^0+/, ''), view().certificateId!.replace(/^0+/, ''));
    });

    it('in one go to contoso-hub: the hub shows the catalog CA Verified, as the emulator’s ARM API says', async () => {
      await send({ type: 'next' });
      await send({ type: 'choosePath', path: 'inOneGo' });
      await send({ type: 'next' });
      const hub = view().hubs!.find((h) => h.label === 'contoso-hub')!;
      await send({ type: 'prove', hubId: hub.id, certificateName: 'contoso-lab-ca' });
      assert.equal(view().hubResult?.verified, true, JSON.stringify(view().error));
      const entry = await armGet(cloud, hubCertificatePath(SEED.hubs.contosoHub, 'contoso-lab-ca'));
      const props = entry.properties as { isVerified: boolean; thumbprint: string };
      assert.deepEqual([props.isVerified, props.thumbprint], [true, view().certificates[0]!.thumbprint]);
    });

    it('named by resource ID from a script, the same catalog keeps its page', async () => {
      const kept = view();
      await vscode.commands.executeCommand('sphereExplorer.validateCaCertificate', { tenantId: LAB_ID });
      assert.deepEqual(view(), kept);
    });
  });
});
