// "Download CA Certificate…" in the real extension host against the local cloud emulator: the file the person
// names is written in the format its extension says, and holds the tenant's CA (checked with the real openssl); run on
// a catalog node, the catalog's own CA, with a name suggested after the catalog.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { emulatedCloud, signInAs, type EmulatedCloud } from './person';
import { activatedExtension } from './support';

describe('Download CA Certificate (emulator)', function () {
  this.timeout(60_000);
  let cloud: EmulatedCloud;
  let dir: string;
  let thumbprint: string;

  before(async () => {
    await activatedExtension();
    cloud = await emulatedCloud();
    dir = mkdtempSync(join(tmpdir(), 'ca-download-int-'));
    await signInAs(cloud.person, SEED.users.avery.email, 'Contoso Tenant');
  });
  after(async () => {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves the CA as .cer (DER) where the person chooses, suggesting a name with tenant and thumbprint', async () => {
    const file = join(dir, 'contoso.cer');
    cloud.person.saveAs.push(file);
    assert.equal(await vscode.commands.executeCommand('sphereExplorer.downloadCaCertificate'), file);
    const cert = new X509Certificate(readFileSync(file));
    thumbprint = cert.fingerprint.replace(/:/g, '');
    assert.match(cert.subject, /Microsoft Azure Sphere 768c2cd6-1bf0-4521-9f53-084a331d81cb/);
    assert.match(cloud.person.saveDialogs.at(-1)!.defaultUri!.path, new RegExp(`/Contoso-Tenant-CA-${thumbprint.slice(0, 8)}\\.cer$`));
    assert.ok(cloud.person.info.some((m) => m.includes('contoso.cer')), 'the person is told where it went');
  });

  it('saves the same CA as .pem text and the chain as .p7b, both readable by openssl', async () => {
    const pem = join(dir, 'contoso.pem');
    const p7b = join(dir, 'contoso.p7b');
    cloud.person.saveAs.push(pem);
    await vscode.commands.executeCommand('sphereExplorer.downloadCaCertificate');
    cloud.person.saveAs.push(p7b);
    await vscode.commands.executeCommand('sphereExplorer.downloadCaCertificate');
    const fromPem = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    assert.equal(fromPem.split('=')[1]!.trim().replace(/:/g, ''), thumbprint);
    const chain = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', p7b, '-print_certs', '-noout'], { encoding: 'utf8' });
    assert.match(chain, /subject=.*Microsoft Azure Sphere 768c2cd6/);
  });

  it('cancelling the save dialog writes nothing and shows no error', async () => {
    const before = cloud.person.errors.length;
    cloud.person.saveAs.push(undefined);
    await vscode.commands.executeCommand('sphereExplorer.downloadCaCertificate');
    assert.equal(cloud.person.errors.length, before);
    assert.equal(existsSync(join(dir, 'Contoso-Tenant-CA.cer')), false);
  });
  it('on the contoso-lab catalog node: saves the catalog’s own CA (not the tenant’s), named after the catalog', async () => {
    const { subscriptionId, resourceGroup, lab } = SEED.catalogs;
    const scope = { id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${lab.name}`, name: lab.name, kind: 'catalog' as const, subscriptionId, resourceGroup, tenantId: lab.tenantId };
    const file = join(dir, 'lab.pem');
    cloud.person.saveAs.push(file);
    assert.equal(await vscode.commands.executeCommand('sphereExplorer.downloadCaCertificate', { catalog: scope }), file);
    const cert = new X509Certificate(readFileSync(file));
    assert.match(cert.subject, new RegExp(`Microsoft Azure Sphere ${lab.tenantId}`));
    assert.notEqual(cert.fingerprint.replace(/:/g, ''), thumbprint);
    assert.match(cloud.person.saveDialogs.at(-1)!.defaultUri!.path, new RegExp(`/contoso-lab-CA-${cert.fingerprint.replace(/:/g, '').slice(0, 8)}\\.cer$`));
    assert.ok(cloud.person.info.some((m) => m.includes('Saved the CA certificate of contoso-lab') && m.includes('lab.pem')), cloud.person.info.join(' | '));
  });
});
