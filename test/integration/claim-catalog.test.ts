// Claiming into an Azure Sphere (Integrated) catalog, in the real extension host, against the local cloud emulator
// (which serves ARM too) and simulated boards: the claim wizard offers the catalogs after the tenants, claims a board
// into `contoso-lab` (a catalog with a tenant of its own) — the catalog only, or a product's device group — and a
// Reader is refused by Azure with words that say why. The Devices view then names the catalog, and Enable
// Development works on a board claimed there: the capability file comes over ARM, the board installs it, and the
// device moves to its product's Development group. Where things land is read independently, through raw HTTPS to
// ARM with the user's own token, and from the board's own state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import type { DevelopmentModeChange } from '../../src/boards/development-mode-flow';
import type { ClaimView } from '../../src/wizards/claim/claim-contract';
import type { ClaimWizardPanel } from '../../src/wizards/claim/claim-wizard-panel';
import { ARM_SCOPE, call, tokenFor } from '../helpers/cloud-emulator';
import { eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import { emulatedCloud, signInAs, type EmulatedCloud } from './person';

const AVERY = SEED.users.avery.email;
const RILEY = SEED.users.riley.email;
const { subscriptionId, resourceGroup, lab } = SEED.catalogs;
const LAB_ID = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${lab.name}`;

describe('Claim wizard into a catalog (ARM on the emulator, simulated boards)', function () {
  this.timeout(180_000);
  let cloud: EmulatedCloud;
  let api: ExtensionApi;
  let tb: TestBoard | undefined;
  let panel: ClaimWizardPanel | undefined;
  let rendered: ClaimView | undefined;

  const send = (message: unknown) => panel!.receive(message);
  const until = (ok: (v: ClaimView) => boolean, what: string) => eventually(() => rendered, (v) => !!v && ok(v), what) as Promise<ClaimView>;
  const deviceId = () => tb!.board.deviceId.toUpperCase();
  const boardLine = async () => (await api.renderView('sphereExplorer.devices', 2)).find((l) => l.includes(`${deviceId().slice(0, 8)}…`)) ?? '';

  /** One ARM call as `email`, with that user's own token (not our client); the parsed body, failing on non-2xx. */
  async function arm(email: string, method: string, path: string, body?: object): Promise<unknown> {
    const token = await tokenFor(cloud.emu, email, ARM_SCOPE);
    const reply = await call(cloud.emu, `${path}?api-version=2024-04-01`, { method, token, ...(body !== undefined && { body }) });
    if (reply.status >= 300) throw new Error(`${method} ${path}: HTTP ${reply.status}: ${reply.text}`);
    return reply.json;
  }

  /** The resource ID ARM gives this board in contoso-lab, or undefined when the catalog does not hold it. */
  async function labResourceIdOfBoard(): Promise<string | undefined> {
    const page = (await arm(AVERY, 'POST', `${LAB_ID}/listDevices`)) as { value: { id: string; name: string }[] };
    return page.value.find((d) => d.name.toUpperCase() === deviceId())?.id;
  }

  async function openWizard(): Promise<void> {
    panel?.dispose();
    panel = await vscode.commands.executeCommand<ClaimWizardPanel>('sphereExplorer.claimDevice');
    rendered = undefined;
    panel.onDidPostMessage((m) => {
      if (m.type === 'render') rendered = m.view;
    });
    await send({ type: 'ready' });
    await until((v) => !v.loading && v.scopes.length > 0, 'the tenants and catalogs');
  }

  /** Picks contoso-lab and waits for its products. */
  async function chooseLab(): Promise<ClaimView> {
    const labId = (await until((v) => v.scopes.some((s) => s.name === lab.name), 'contoso-lab offered')).scopes.find((s) => s.name === lab.name)!.id;
    await send({ type: 'selectScope', scopeId: labId });
    return until((v) => v.scopeId === labId && !!v.placement && !v.placement.loading, 'the products of contoso-lab');
  }

  /** From the first step to the confirmation, with the attached board ready to claim. */
  async function toConfirmation(): Promise<void> {
    await send({ type: 'next' });
    await until((v) => v.step === 'board' && v.boards.some((b) => b.deviceId?.toUpperCase() === deviceId() && b.standing === 'available'), 'the board ready to claim');
    await send({ type: 'next' });
    await until((v) => v.step === 'confirm', 'the point of no return');
  }

  async function attachBoard(name: string): Promise<void> {
    await tb?.close();
    tb = await startTestBoard(name);
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    await eventually(() => boardLine(), (l) => l.includes('not in your tenants'), 'the board attached, read, and shown unclaimed');
  }

  /** Signs in as another person, as one does from the palette (the next ARM call goes with their token). */
  async function switchTo(email: string, tenant?: string): Promise<void> {
    await signInAs(cloud.person, email, tenant);
  }

  before(async () => {
    api = await extensionApi();
    cloud = await emulatedCloud();
    await signInAs(cloud.person, AVERY, SEED.tenants.contoso.name);
  });
  after(async () => {
    panel?.dispose();
    await cloud?.close();
    await tb?.close();
  });
  afterEach(() => assert.deepEqual(cloud.person.errors.splice(0), [], 'an error was shown'));

  it('offers the tenants, then the catalogs, each saying which it is', async () => {
    await attachBoard('catalog-board-a');
    await openWizard();
    const v = await until((x) => x.scopes.length === 4, 'two tenants and two catalogs');
    assert.deepEqual(
      v.scopes.map((s) => [s.name, s.kind, s.description]),
      [
        [SEED.tenants.contoso.name, 'legacy', 'tenant · Administrator'],
        [SEED.tenants.contosoFleet.name, 'legacy', 'tenant · Administrator'],
        ['contoso-catalog', 'catalog', `catalog · resource group ${resourceGroup}`],
        [lab.name, 'catalog', `catalog · resource group ${resourceGroup}`],
      ].sort((a, b) => Number(a[1] === 'catalog') - Number(b[1] === 'catalog')),
    );
  });

  it('claims the board into contoso-lab, the catalog only: ARM lists it there, and the Devices view names the catalog', async () => {
    const v = await chooseLab();
    assert.equal(v.placement?.productId, null, 'the catalog only by default');
    await toConfirmation();
    await send({ type: 'confirm', typedName: 'Contoso Tenant' });
    assert.match((await until((x) => !!x.confirmError, 'the refusal')).confirmError ?? '', /not the name of the catalog you are claiming into\. Type "contoso-lab" to confirm\. Nothing was sent/);
    assert.equal(await labResourceIdOfBoard(), undefined);
    await send({ type: 'confirm', typedName: lab.name });
    const done = await until((x) => x.step === 'result', 'the result');
    assert.equal(done.result?.scopeName, lab.name);
    assert.equal(done.result?.scopeKind, 'catalog');
    assert.match((await labResourceIdOfBoard()) ?? '', /\/products\/\.unassigned\/deviceGroups\/\.unassigned\/devices\//, 'in the catalog, in no product');
    assert.match(await eventually(() => boardLine(), (l) => l.includes(`claimed in ${lab.name}`), 'the board shown claimed in the catalog'), /claimed in contoso-lab \(catalog\)/);
  });

  it('Enable Development on a board claimed in the catalog: the capability over ARM, installed on the board', async () => {
    const change = await vscode.commands.executeCommand<DevelopmentModeChange>('sphereExplorer.enableDevelopment', { boardKey: `sim:${deviceId().toLowerCase()}` });
    assert.equal(change.tenantName, lab.name);
    assert.deepEqual(tb!.board.state.capabilities, [11]);
    assert.equal(change.group.kind, 'noProduct', change.group.message);
  });

  it('a Reader of the catalog is refused by Azure, in words that say why, and nothing is claimed', async () => {
    await attachBoard('catalog-board-b');
    await switchTo(RILEY);
    await openWizard();
    await chooseLab();
    await toConfirmation();
    await send({ type: 'confirm', typedName: lab.name });
    const v = await until((x) => x.step === 'account' && !!x.error, 'the refusal');
    assert.equal(v.error?.title, 'You cannot claim boards into contoso-lab');
    assert.match(v.error?.message ?? '', /Azure refused to claim into catalog contoso-lab: your account's role there \(a Reader, for instance\) does not allow changing it\. Claiming needs the Contributor or Owner role/);
    assert.equal(v.scopes.find((s) => s.name === lab.name)?.canClaim, false);
    assert.equal(await labResourceIdOfBoard(), undefined);
  });

  it('claims into a product\'s device group of the catalog; Enable Development then moves it to Development', async () => {
    await switchTo(AVERY, SEED.tenants.contoso.name);
    // A product with the five default groups, made straight through ARM (the product's creation runs as an operation).
    await arm(AVERY, 'PUT', `${LAB_ID}/products/Lab Sensor`, { properties: { description: 'Sensors on the bench' } });
    await eventually(() => arm(AVERY, 'GET', `${LAB_ID}/products/Lab Sensor`).catch(() => undefined), (p) => !!p, 'the product created');
    await arm(AVERY, 'POST', `${LAB_ID}/products/Lab Sensor/generateDefaultDeviceGroups`);
    await openWizard();
    const v = await chooseLab();
    const product = v.placement!.products.find((p) => p.name === 'Lab Sensor');
    assert.ok(product, JSON.stringify(v.placement));
    await send({ type: 'selectProduct', productId: product.id });
    const withGroups = await until((x) => !!x.placement && !x.placement.loading && x.placement.groups.length === 5, 'its device groups');
    await send({ type: 'next' });
    assert.equal((await until((x) => !!x, 'a view')).step, 'account', 'a product needs one of its groups');
    await send({ type: 'selectGroup', groupId: withGroups.placement!.groups.find((g) => g.name === 'Field Test')!.id });
    await toConfirmation();
    await send({ type: 'confirm', typedName: lab.name });
    const done = await until((x) => x.step === 'result', 'the result');
    assert.deepEqual([done.result?.productName, done.result?.groupName], ['Lab Sensor', 'Field Test']);
    assert.match((await labResourceIdOfBoard()) ?? '', /\/products\/Lab%20Sensor\/deviceGroups\/Field%20Test\/devices\/|\/products\/Lab Sensor\/deviceGroups\/Field Test\/devices\//);
    await eventually(() => boardLine(), (l) => l.includes(`claimed in ${lab.name}`), 'the board shown claimed in the catalog');

    const change = await vscode.commands.executeCommand<DevelopmentModeChange>('sphereExplorer.enableDevelopment', { boardKey: `sim:${deviceId().toLowerCase()}` });
    assert.equal(change.group.kind, 'move', change.group.message);
    assert.deepEqual(tb!.board.state.capabilities, [11]);
    assert.match((await labResourceIdOfBoard()) ?? '', /\/deviceGroups\/Development\/devices\//);
  });
});
