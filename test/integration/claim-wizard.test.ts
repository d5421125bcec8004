// The claim wizard in the real extension host, against the local cloud emulator and a simulated board (real pty,
// SLIP/TCP/TLS, device REST API): the command opens the panel, the test speaks as the page through panel.receive
// (the page's own entry point, so validation runs), and checks the outcome where it lands — the emulator's device
// list (raw HTTPS with the user's own token, not our client) and the Devices view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import type { ClaimWizardPanel } from '../../src/wizards/claim/claim-wizard-panel';
import type { ClaimView } from '../../src/wizards/claim/claim-contract';
import { eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import { callService, emulatedCloud, signInAs, type EmulatedCloud } from './person';

/** Device IDs the service lists in a tenant, asked straight through its API as `loginHint`. */
async function devicesInTenant(cloud: EmulatedCloud, loginHint: string, tenantId: string): Promise<string[]> {
  const body = (await callService(cloud.emu, loginHint, 'GET', `/v2/tenants/${tenantId}/devices?maxPageSize=1000`)) as { Items: { DeviceId: string }[] };
  return body.Items.map((d) => d.DeviceId);
}

describe('Claim wizard (host side, message contract, emulator and simulated board)', function () {
  this.timeout(120_000);
  let cloud: EmulatedCloud;
  let api: ExtensionApi;
  let tb: TestBoard;
  let panel: ClaimWizardPanel;
  let rendered: ClaimView | undefined;
  const kept: unknown[] = [];
  const CONTOSO = SEED.tenants.contoso;
  const FLEET = SEED.tenants.contosoFleet;

  const send = (message: unknown) => panel.receive(message);
  const view = () => eventually(() => rendered, (v) => !!v, 'a rendered view') as Promise<ClaimView>;
  const until = (ok: (v: ClaimView) => boolean, what: string) => eventually(() => rendered, (v) => !!v && ok(v), what) as Promise<ClaimView>;
  const boardLine = async () => {
    const short = tb.board.deviceId.slice(0, 8).toUpperCase();
    return (await api.renderView('sphereExplorer.devices', 2)).find((l) => l.includes(`${short}…`)) ?? '';
  };

  async function open(argument?: unknown): Promise<ClaimWizardPanel> {
    const p = await vscode.commands.executeCommand<ClaimWizardPanel>('sphereExplorer.claimDevice', argument);
    rendered = undefined;
    p.onDidPostMessage((m) => {
      if (m.type === 'render') rendered = m.view;
      else kept.push(m.state);
    });
    return p;
  }

  before(async () => {
    api = await extensionApi();
    cloud = await emulatedCloud();
    tb = await startTestBoard('claim-board');
    await signInAs(cloud.person, SEED.users.avery.email, CONTOSO.name);
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    await eventually(() => boardLine(), (l) => l.includes('not in your tenants'), 'the board attached, read, and shown unclaimed');
  });
  after(async () => {
    panel?.dispose();
    await cloud?.close();
    await tb?.close();
  });
  afterEach(() => assert.deepEqual(cloud.person.errors, [], 'an error was shown'));

  it('opens on the signed-in account and the selected tenant, and ignores malformed messages', async () => {
    panel = await open();
    await send({ type: 'ready' });
    const v = await until((x) => !x.loading, 'the account loaded');
    assert.equal(v.step, 'account');
    assert.equal(v.account?.username, SEED.users.avery.email);
    assert.equal(v.scopeId, CONTOSO.id);
    assert.deepEqual(v.scopes.filter((s) => s.kind === 'legacy').map((s) => s.name).sort(), [CONTOSO.name, FLEET.name].sort());
    const before = JSON.stringify(await view());
    for (const bad of [{ type: 'next', scopeId: CONTOSO.id }, { type: 'confirm', typedName: 42 }, { type: 'claimNow' }, 'next', null]) await send(bad);
    assert.equal(JSON.stringify(await view()), before, 'a malformed message changed the wizard');
  });

  it('lists the attached board with its facts and takes it to the point of no return', async () => {
    await send({ type: 'next' });
    const v = await until((x) => x.step === 'board' && x.boards.some((b) => b.standing === 'available'), 'the board ready to claim');
    const board = v.boards.find((b) => b.deviceId?.toUpperCase() === tb.board.deviceId.toUpperCase());
    assert.ok(board, JSON.stringify(v.boards));
    assert.equal(board.securityState, 'SECURE');
    assert.equal(board.osVersion, '24.10');
    assert.equal(v.boardKey, board.key, 'the only board is chosen');
    await send({ type: 'next' });
    assert.equal((await view()).step, 'confirm');
  });

  it('a wrong tenant name is refused with the reason, and nothing reaches the service', async () => {
    await send({ type: 'confirm', typedName: 'Contoso Tenat' });
    const v = await until((x) => !!x.confirmError, 'the refusal');
    assert.equal(v.step, 'confirm');
    assert.match(v.confirmError ?? '', /"Contoso Tenat" is not the name .* Type "Contoso Tenant" to confirm\. Nothing was sent\./);
    assert.ok(!(await devicesInTenant(cloud, SEED.users.avery.email, CONTOSO.id)).includes(tb.board.deviceId.toUpperCase()));
  });

  it('the exact name claims the board: the service lists it in the tenant and the Devices view shows it claimed', async () => {
    await send({ type: 'confirm', typedName: 'Contoso Tenant' });
    const v = await until((x) => x.step === 'result', 'the result');
    assert.equal(v.result?.scopeName, CONTOSO.name);
    assert.equal(v.result?.deviceId.toUpperCase(), tb.board.deviceId.toUpperCase());
    assert.ok((await devicesInTenant(cloud, SEED.users.avery.email, CONTOSO.id)).includes(tb.board.deviceId.toUpperCase()));
    assert.match(await eventually(() => boardLine(), (l) => l.includes('claimed in Contoso Tenant'), 'the board shown claimed'), /SECURE · claimed in Contoso Tenant/);
    assert.deepEqual(kept.at(-1), { step: 'result', scopeId: CONTOSO.id, deviceId: v.result?.deviceId }, 'the page keeps where the wizard is');
  });

  it('refuses the board for another tenant: it is claimed elsewhere, and nothing is sent', async () => {
    await send({ type: 'nextStep', action: 'claimAnother' });
    await send({ type: 'back' });
    await send({ type: 'selectScope', scopeId: FLEET.id });
    await send({ type: 'next' });
    const v = await until((x) => x.step === 'board' && x.boards.some((b) => b.standing === 'elsewhere'), 'the board refused');
    const board = v.boards[0];
    assert.match(board.standingText, /Already claimed into Contoso Tenant\. A claimed board can never move to another tenant, so it cannot join Contoso Fleet/);
    await send({ type: 'selectBoard', boardKey: board.key });
    await send({ type: 'next' });
    assert.equal((await view()).step, 'board', 'it went on to the confirmation');
    assert.ok(!(await devicesInTenant(cloud, SEED.users.avery.email, FLEET.id)).includes(tb.board.deviceId.toUpperCase()));
  });

  it('after a window reload, a revived panel resumes from the state its page kept', async () => {
    panel.dispose();
    panel = await open();
    // What a reloaded page sends: the state it kept with vscode.setState, validated by the host. (The new panel's
    // own page, loading in the workbench meanwhile, says ready later; the first ready starts the wizard.)
    await send({ type: 'ready', state: { step: 'result', scopeId: CONTOSO.id, deviceId: tb.board.deviceId } });
    const v = await until((x) => x.step === 'result', 'the result again');
    assert.equal(v.result?.scopeName, CONTOSO.name);
  });
});
