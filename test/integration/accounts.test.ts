import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { emulatedCloud, signInAs, type EmulatedCloud, type ScriptedPerson } from './person';
import { activatedExtension } from './support';

const VIEW = 'sphereExplorer.accounts';

interface Api {
  renderView(viewId: string, depth?: number): Promise<string[]>;
}

describe('Accounts & Tenants view against the local cloud emulator', () => {
  let cloud: EmulatedCloud;
  let person: ScriptedPerson;
  let api: Api;


  before(async () => {
    api = (await activatedExtension()).exports as Api;
    cloud = await emulatedCloud();
    person = cloud.person;
  });

  after(async () => {
    await cloud?.close();
  });

  afterEach(() => {
    person.errors.length = 0;
  });

  it('is empty when nobody is signed in, so the welcome text invites a sign-in', async () => {
    await vscode.commands.executeCommand('sphereExplorer.signOut');
    assert.deepEqual(await api.renderView(VIEW), []);
  });

  it("shows the account and its tenants with the user's roles", async () => {
    await signInAs(person, SEED.users.avery.email);
    // Beside the legacy tenants, the Azure Sphere (Integrated) catalogs of the account's subscriptions; a tenant says
    // where it was integrated (migration help).
    assert.deepEqual(await api.renderView(VIEW, 2), [
      '$(account) avery@contoso.com — Avery Howard',
      '  $(organization) Contoso Fleet — Administrator',
      '  $(organization) Contoso Tenant — Administrator · integrated as contoso-catalog',
      '  $(azure) contoso-catalog — catalog · sphere-catalogs · integrated from Contoso Tenant',
      '  $(azure) contoso-lab — catalog · sphere-catalogs · tenant c47a1ab0…',
    ]);
  });

  it('lists catalogs only, or tenants only, as the setting says', async () => {
    const config = vscode.workspace.getConfiguration('sphereExplorer.accounts');
    try {
      await config.update('showScopes', 'catalogs', vscode.ConfigurationTarget.Global);
      assert.deepEqual((await api.renderView(VIEW, 2)).slice(1), ['  $(azure) contoso-catalog — catalog · sphere-catalogs · integrated from Contoso Tenant', '  $(azure) contoso-lab — catalog · sphere-catalogs · tenant c47a1ab0…']);
      await config.update('showScopes', 'tenants', vscode.ConfigurationTarget.Global);
      assert.deepEqual((await api.renderView(VIEW, 2)).slice(1).map((l) => l.replace(/ —.*/, '')), ['  $(organization) Contoso Fleet', '  $(organization) Contoso Tenant']);
    } finally {
      await config.update('showScopes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('lists catalogs from the subscription and resource group chosen, and from all again', async () => {
    const config = () => vscode.workspace.getConfiguration('sphereExplorer.catalogs');
    const catalogRows = async () => (await api.renderView(VIEW, 2)).filter((l) => l.includes('$(azure)')).map((l) => l.trim().replace(/ —.*/, ''));
    try {
      // Picked as a person does: the subscription by its name, then one of its resource groups (sphere-demo holds hubs, no catalog).
      person.willPick('Contoso IoT', 'sphere-demo');
      await vscode.commands.executeCommand('sphereExplorer.chooseCatalogLocation');
      assert.deepEqual(person.errors, []);
      assert.deepEqual([config().get('subscription'), config().get('resourceGroup')], [SEED.catalogs.subscriptionId, 'sphere-demo']);
      assert.deepEqual(await catalogRows(), []);
      assert.ok(person.prompts.includes('List catalogs from which resource group of Contoso IoT?'), person.prompts.join(' | '));
      person.willPick('Contoso IoT', 'sphere-catalogs');
      await vscode.commands.executeCommand('sphereExplorer.chooseCatalogLocation');
      assert.deepEqual(await catalogRows(), ['$(azure) contoso-catalog', '$(azure) contoso-lab']);
      await vscode.commands.executeCommand('sphereExplorer.chooseCatalogLocation', { subscriptionId: 'd0b00099-aaaa-4bbb-8ccc-000000000099' });
      assert.match(person.errors.splice(0)[0] ?? '', /Subscription d0b00099-aaaa-4bbb-8ccc-000000000099 is not among the 1 subscriptions this account can see\. Nothing was changed\./);
      assert.equal(config().get('resourceGroup'), 'sphere-catalogs');
      person.willPick('All subscriptions');
      await vscode.commands.executeCommand('sphereExplorer.chooseCatalogLocation');
      assert.deepEqual([config().get('subscription'), config().get('resourceGroup')], ['', '']);
      assert.deepEqual(await catalogRows(), ['$(azure) contoso-catalog', '$(azure) contoso-lab']);
    } finally {
      await config().update('subscription', undefined, vscode.ConfigurationTarget.Global);
      await config().update('resourceGroup', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('says which subscription cannot hold catalogs, and registers Microsoft.AzureSphere there when asked', async () => {
    await signInAs(person, SEED.users.jordan.email);
    const row = '  $(warning) Subscription Fabrikam IoT cannot hold catalogs yet — click to register Microsoft.AzureSphere';
    assert.deepEqual((await api.renderView(VIEW, 2)).slice(1), ['  $(pass-filled) Fabrikam Tenant — Administrator · selected', row]);
    person.willAnswer('Register');
    await vscode.commands.executeCommand('sphereExplorer.registerAzureSphereProvider', { subscriptionId: SEED.subscriptions.fabrikam.id, subscriptionName: 'Fabrikam IoT' });
    assert.deepEqual(person.errors, []);
    assert.ok(person.warnings.includes('Register the Microsoft.AzureSphere resource provider in subscription Fabrikam IoT?'), person.warnings.join(' | '));
    assert.deepEqual((await api.renderView(VIEW, 2)).slice(1), ['  $(pass-filled) Fabrikam Tenant — Administrator · selected']);
    await signInAs(person, SEED.users.avery.email);
  });

  it('selects a tenant from the palette, marks it, and lists its users and roles, products and images', async () => {
    person.willPick('Contoso Tenant');
    await vscode.commands.executeCommand('sphereExplorer.selectTenant');
    const lines = await api.renderView(VIEW, 4);
    const tenantLine = '  $(pass-filled) Contoso Tenant — Administrator · selected · integrated as contoso-catalog';
    assert.ok(lines.includes(tenantLine), lines.join('\n'));
    const tenantAt = lines.indexOf(tenantLine);
    const nextTop = lines.findIndex((l, i) => i > tenantAt && /^ {2}\S/.test(l));
    assert.deepEqual(lines.slice(tenantAt + 1, nextTop).filter((l) => /^ {4}\S/.test(l)), ['    $(person) Users', '    $(symbol-class) Products', '    $(package) Images']);
    assert.ok(lines.includes('      $(person) Parker Jones — parker@contoso.com · Contributor'), lines.join('\n'));
    assert.ok(lines.includes('      $(person) Riley Chen — riley@contoso.com · Reader'), lines.join('\n'));
    assert.ok(lines.some((l) => /^ {6}\$\(symbol-class\) Contoso Thermostat — \d+ devices? · Wall thermostat with Wi-Fi$/.test(l)), lines.join('\n'));
  });

  it('a Reader sees their role', async () => {
    await signInAs(person, SEED.users.riley.email);
    const lines = await api.renderView(VIEW, 2);
    assert.deepEqual(lines.slice(0, 2), ['$(account) riley@contoso.com — Riley Chen', '  $(pass-filled) Contoso Tenant — Reader · selected · integrated as contoso-catalog']);
  });

  it('offers registration to a user the service does not know yet, and registering works', async () => {
    await signInAs(person, SEED.users.quinn.email);
    const before = await api.renderView(VIEW, 2);
    assert.deepEqual(before, ['$(account) quinn@contoso.com — Quinn Patel', '  $(person-add) Not registered with Azure Sphere yet — click to register']);
    await vscode.commands.executeCommand('sphereExplorer.registerUser');
    assert.ok(person.info.includes('quinn@contoso.com is registered with Azure Sphere.'), person.info.join(' | '));
    assert.deepEqual(await api.renderView(VIEW, 2), ['$(account) quinn@contoso.com — Quinn Patel', '  $(add) No tenants yet — click to create one']);
  });

  it('turns a service that stopped answering into a node that retries, not an empty view', async () => {
    await signInAs(person, SEED.users.avery.email);
    await cloud.stop();
    await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
    const lines = await api.renderView(VIEW, 2);
    assert.equal(lines[0], '$(account) avery@contoso.com — Avery Howard');
    assert.match(lines[1], /^ {2}\$\(error\) .+ — Click to retry$/);
    // The same emulator (same state, same port) comes back: retrying shows the tenants again.
    await cloud.start();
    await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
    assert.deepEqual((await api.renderView(VIEW, 2)).slice(1, 3), ['  $(organization) Contoso Fleet — Administrator', '  $(pass-filled) Contoso Tenant — Administrator · selected · integrated as contoso-catalog']);
  });
});
