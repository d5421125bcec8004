import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devicesHarness';
import { emulatedCloud, type EmulatedCloud, type ScriptedPerson } from './person';

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
    const shown = person.errors.splice(0);
    assert.equal(shown.length, 1, shown.join(' | '));
    assert.match(shown[0], /at most 50 are allowed/);
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

  it('shows the selected tenant\'s claimed devices a page at a time, with "Load more"', async () => {
    await vscode.commands.executeCommand('sphereExplorer.signOut');
    person.willApproveAs(SEED.users.avery.email);
    await vscode.commands.executeCommand('sphereExplorer.signInWithDeviceCode');
    person.willPick(SEED.tenants.contosoFleet.name);
    await vscode.commands.executeCommand('sphereExplorer.selectTenant');
    const first = await eventually(
      () => devices(),
      (l) => l.includes('$(cloud) Claimed in Contoso Fleet — 100+ devices') && l.some((x) => x.includes('Load more')),
      'the first page of claimed devices, counted on the group',
    );
    assert.equal(claimedDevices(first).length, 100);
    await vscode.commands.executeCommand('sphereExplorer.internal.loadMoreClaimedDevices', `claimed:${SEED.tenants.contosoFleet.id}`);
    await vscode.commands.executeCommand('sphereExplorer.internal.loadMoreClaimedDevices', `claimed:${SEED.tenants.contosoFleet.id}`);
    const all = await eventually(() => devices(), (l) => l.includes('$(cloud) Claimed in Contoso Fleet — 250 devices'), 'all pages counted');
    assert.equal(claimedDevices(all).length, 250);
    assert.ok(!all.some((l) => l.includes('Load more')), 'no "Load more" after the last page');
  });
});
