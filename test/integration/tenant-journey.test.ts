import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import { request } from 'node:https';
import { requestTokenByDeviceCode, SEED } from '../../emulator/cloud';
import { emulatedCloud, signInAs, type EmulatedCloud, type ScriptedPerson } from './person';

/** Claims `deviceId` into the user's tenant named `tenantName` straight through the service's API; returns the tenant ID. */
async function claimAs(cloud: EmulatedCloud, loginHint: string, tenantName: string, deviceId: string): Promise<string> {
  const token = await requestTokenByDeviceCode(cloud.emu, { loginHint, scope: 'https://sphere.azure.net/api/user_impersonation' });
  const call = (method: string, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${cloud.emu.url}${path}`, { method, ca: cloud.emu.caCertPem, headers: { authorization: `Bearer ${String(token.access_token)}` } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const tenants = JSON.parse((await call('GET', '/v2/tenants')).body) as { Id: string; Name: string }[];
  const tenant = tenants.find((t) => t.Name === tenantName);
  if (!tenant) throw new Error(`no tenant ${tenantName}: ${JSON.stringify(tenants)}`);
  const claimed = await call('PUT', `/v2/tenants/${tenant.Id}/devices/${deviceId}/claim`);
  if (claimed.status >= 300) throw new Error(`claim failed: ${claimed.status} ${claimed.body}`);
  return tenant.Id;
}

describe('a new user creates a tenant with the attached board, then sees its claimed devices', () => {
  let cloud: EmulatedCloud;
  let person: ScriptedPerson;
  let api: ExtensionApi;
  let tb: TestBoard;
  const accounts = (depth = 2) => api.renderView('sphereExplorer.accounts', depth);
  const devices = (depth = 2) => api.renderView('sphereExplorer.devices', depth);
  /** Device lines under the "Claimed in" group (the attached board above has the same icon). */
  const claimedDevices = (lines: string[]) => lines.slice(lines.findIndex((l) => l.startsWith('$(cloud) Claimed in'))).filter((l) => l.includes('$(circuit-board)'));

  before(async () => {
    api = await extensionApi();
    cloud = await emulatedCloud({ bulkDevices: 250 });
    person = cloud.person;
    tb = await startTestBoard('tenant-board');
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
  });
  after(async () => {
    await cloud?.close();
    await tb?.close();
  });
  afterEach(() => {
    assert.deepEqual(person.errors, [], 'an error was shown');
  });

  it('refuses a tenant name of 51 characters in the input box, before anything is sent', async () => {
    person.willApproveAs(SEED.users.morgan.email); // registered, no role in any tenant of the Contoso directory
    await vscode.commands.executeCommand('sphereExplorer.signInWithDeviceCode');
    await eventually(() => accounts(), (l) => l.includes('  $(add) No tenants yet — click to create one'), 'no tenants offered for creation');
    await eventually(() => devices(), (l) => l.some((x) => x.includes('SECURE')), 'the board attached and read');
    person.willType('x'.repeat(51));
    await vscode.commands.executeCommand('sphereExplorer.createTenant');
    // The input box shows why under what was typed and does not take it; the person gives up.
    assert.match(person.validation.at(-1) ?? '', /at most 50 are allowed/);
    assert.deepEqual(person.errors.splice(0), []);
    assert.ok((await accounts()).includes('  $(add) No tenants yet — click to create one'), 'a tenant appeared');
  });

  it("warns that the directory already has a tenant, and creates none when the user declines", async () => {
    person.willType('Morgan Labs');
    person.willAnswer(undefined); // closes the warning
    await vscode.commands.executeCommand('sphereExplorer.createTenant');
    assert.equal(person.warnings.length, 1);
    assert.match(person.warnings[0], /already has an Azure Sphere tenant \('Contoso Tenant'\)/);
    assert.ok((await accounts()).includes('  $(add) No tenants yet — click to create one'));
  });

  it('creates another tenant on explicit confirmation, with the attached board, and selects it', async () => {
    person.willType('Morgan Labs');
    person.willAnswer('Create Another Tenant');
    await vscode.commands.executeCommand('sphereExplorer.createTenant');
    assert.equal(person.warnings.length, 2);
    assert.ok(person.info.includes('Tenant "Morgan Labs" is created and selected.'), person.info.join(' | '));
    const lines = await eventually(() => accounts(), (l) => l.some((x) => x.includes('Morgan Labs')), 'the new tenant listed');
    assert.ok(lines.includes('  $(pass-filled) Morgan Labs — Administrator · selected'), lines.join('\n'));
  });

  it('shows on the attached board whether, and where, it is claimed', async () => {
    const short = tb.board.deviceId.slice(0, 8).toUpperCase();
    const boardLine = (lines: string[]) => lines.find((l) => l.includes(`${short}…`)) ?? '';
    await eventually(() => devices(), (l) => boardLine(l).includes('not in your tenants'), 'the board shown as not claimed');
    // Claimed through the service, as the claim wizard or the CLI would.
    const tenantId = await claimAs(cloud, SEED.users.morgan.email, 'Morgan Labs', tb.board.deviceId);
    assert.match(tenantId, /^[0-9a-f-]{36}$/);
    await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
    const lines = await eventually(() => devices(), (l) => boardLine(l).includes('claimed in Morgan Labs'), 'the board shown as claimed');
    assert.match(boardLine(lines), /OS 24\.10 · SECURE · claimed in Morgan Labs · /);
  });

  it('shows the selected tenant\'s claimed devices a page at a time, with "Load more"', async () => {
    await signInAs(person, SEED.users.avery.email, SEED.tenants.contosoFleet.name);
    const first = await eventually(
      () => devices(),
      (l) => l.includes('$(cloud) Claimed in Contoso Fleet — 100+ devices') && l.some((x) => x.includes('Load more')),
      'the first page of claimed devices, counted on the group',
    );
    assert.equal(claimedDevices(first).length, 100);
    // One "Load more" brings up to ten more pages: here the other 150 devices.
    await vscode.commands.executeCommand('sphereExplorer.internal.loadMoreClaimedDevices', `claimed:${SEED.tenants.contosoFleet.id}`);
    const all = await eventually(() => devices(), (l) => l.includes('$(cloud) Claimed in Contoso Fleet — 250 devices'), 'all pages counted');
    assert.equal(claimedDevices(all).length, 250);
    assert.ok(!all.some((l) => l.includes('Load more')), 'no "Load more" after the last page');
  });
});
