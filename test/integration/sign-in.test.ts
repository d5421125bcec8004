import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { emulatedCloud, type EmulatedCloud, type ScriptedPerson } from './person';
import { activatedExtension } from './support';

const PROVIDER = 'sphereExplorer';

describe('sign-in from the editor against the local cloud emulator', () => {
  let cloud: EmulatedCloud;
  let person: ScriptedPerson;
  const config = () => vscode.workspace.getConfiguration('sphereExplorer.cloud');

  before(async () => {
    await activatedExtension();
    cloud = await emulatedCloud();
    person = cloud.person;
  });

  after(async () => {
    await cloud?.close();
  });

  it('refuses a personal Microsoft account with the explanation of what to use instead', async () => {
    person.willApproveAs(SEED.users.sam.email);
    await vscode.commands.executeCommand('sphereExplorer.signInWithDeviceCode');
    assert.equal(person.errors.length, 1, `errors shown: ${person.errors.join(' | ')}`);
    assert.match(person.errors[0], /personal Microsoft account/);
    assert.match(person.errors[0], /work or school account/);
    assert.deepEqual(await vscode.authentication.getAccounts(PROVIDER), []);
    person.errors.length = 0;
  });

  it('signs in a work account with a device code; its account shows in vscode.authentication (the Accounts menu)', async () => {
    person.willApproveAs(SEED.users.avery.email);
    await vscode.commands.executeCommand('sphereExplorer.signInWithDeviceCode');
    assert.deepEqual(person.errors, []);
    assert.ok(person.info.some((m) => m.includes('enter the code')), 'the device code was shown');
    assert.ok(person.info.includes(`Signed in to Azure Sphere as ${SEED.users.avery.email}.`), person.info.join(' | '));

    // What the Accounts menu shows.
    const accounts = await vscode.authentication.getAccounts(PROVIDER);
    assert.deepEqual(accounts.map((a) => a.label), [SEED.users.avery.email]);
  });

  it('keeps the session across a rebuilt sign-in engine (the cache lives in SecretStorage), and tokens stay out of settings', async () => {
    // Changing a cloud setting throws the engine away; the next one must find the account in SecretStorage.
    await config().update('tenant', 'organizations', vscode.ConfigurationTarget.Global);
    const accounts = await vscode.authentication.getAccounts(PROVIDER);
    assert.deepEqual(accounts.map((a) => a.label), [SEED.users.avery.email]);
    await config().update('tenant', undefined, vscode.ConfigurationTarget.Global);
    // No token (a JWT starts "eyJ") in any of our settings.
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('sphereExplorer')).includes('eyJ'));
  });

  it('signs out: no account remains', async () => {
    await vscode.commands.executeCommand('sphereExplorer.signOut');
    assert.ok(person.info.some((m) => m.startsWith('Signed out of Azure Sphere')), person.info.join(' | '));
    assert.deepEqual(await vscode.authentication.getAccounts(PROVIDER), []);
  });
});
