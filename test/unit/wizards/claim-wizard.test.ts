import * as assert from 'node:assert/strict';
import { CloudApiError } from '../../../src/cloud/api-error';
import type { FleetDeviceGroup, FleetProduct, FleetScope } from '../../../src/cloud/backend/fleet-backend';
import { ClaimLocator, fleetTenantId } from '../../../src/cloud/claim-location';
import { PERSONAL_ACCOUNT_TENANT_ID } from '../../../src/cloud/personal-account';
import { claimContract } from '../../../src/wizards/claim/claim-contract';
import { ClaimWizard, type ClaimAccount, type ClaimBoard, type ClaimWizardDeps } from '../../../src/wizards/claim/claim-wizard';
import { tenantNameMismatch } from '../../../src/wizards/claim/tenant-name-confirmation';

// The wizard's collaborators are in-memory stand-ins here: what is under test is the step logic. The same wizard
// runs against the real emulator and simulator in test/integration/claim-wizard.test.ts.
const tenant = (id: string, name: string, roles: string[]): FleetScope => ({ id, name, kind: 'legacy', tenantId: id, roles });
const CONTOSO = tenant('768c2cd6-1bf0-4521-9f53-084a331d81cb', 'Contoso Tenant', ['Administrator']);
const FLEET = tenant('768c2cd6-1bf0-4521-9f53-084a331d81cc', 'Contoso Fleet', ['Contributor']);
const READONLY = tenant('768c2cd6-1bf0-4521-9f53-084a331d81cd', 'Audit Tenant', ['Reader']);
const CATALOGS = '/subscriptions/d0b00001-aaaa-4bbb-8ccc-000000000001/resourceGroups/sphere-catalogs/providers/Microsoft.AzureSphere/catalogs';
const catalog = (name: string, tenantId: string): FleetScope => ({ id: `${CATALOGS}/${name}`, name, kind: 'catalog', tenantId, subscriptionId: 'd0b00001-aaaa-4bbb-8ccc-000000000001', resourceGroup: 'sphere-catalogs' });
/** A catalog with a tenant of its own, and one integrated from the Contoso Tenant (the same fleet). */
const LAB = catalog('contoso-lab', 'c47a1ab0-5e7d-4d2b-9a51-1f7c2b3d4e10');
const CONTOSO_CATALOG = catalog('contoso-catalog', CONTOSO.id);
const THERMOSTAT: FleetProduct = { id: `${LAB.id}/products/Thermostat`, name: 'Thermostat', description: 'Lab thermostats' };
const groupOf = (name: string): FleetDeviceGroup => ({ id: `${THERMOSTAT.id}/deviceGroups/${name}`, name, description: '', productId: THERMOSTAT.id, osFeed: 'Retail', updatePolicy: 'UpdateAll', allowCrashDumps: false, hasDeployment: false });
const DEVELOPMENT = groupOf('Development');
const FIELD_TEST = groupOf('Field Test');
const AVERY: ClaimAccount = { username: 'avery@contoso.com', displayName: 'Avery Howard', directoryId: 'c0de0001-5e7d-4d2b-9a51-1f7c2b3d4e01' };
const FREE = 'A1'.repeat(64);
const IN_FLEET = 'D4'.repeat(64);
const IN_CONTOSO = 'E5'.repeat(64);
const board = (key: string, deviceId?: string, extra: Partial<ClaimBoard> = {}): ClaimBoard => ({
  key,
  name: `sim-${key}`,
  deviceId,
  securityState: 'SECURE',
  osVersion: '24.10',
  connection: `/dev/pts/${key}`,
  ...extra,
});

class World implements ClaimWizardDeps {
  accountValue: ClaimAccount | undefined = AVERY;
  tenantList: FleetScope[] = [CONTOSO, FLEET];
  tenantsError: Error | undefined;
  selected: string | undefined = CONTOSO.id;
  boardList: ClaimBoard[] = [board('1', FREE)];
  /** deviceId → the fleet's tenant ID the service knows, including tenants the user cannot see. */
  owners = new Map<string, string>([[IN_FLEET, FLEET.id], [IN_CONTOSO, CONTOSO.id]]);
  /** deviceId → the device group it was claimed into. */
  groups = new Map<string, string>();
  claimCalls: string[][] = [];
  /** Catalogs whose Azure role (Reader) refuses writes. */
  readerOf = new Set<string>();
  claimError: Error | undefined;
  tenantsCalls = 0;
  lookupError: Error | undefined;

  account = async () => this.accountValue;
  scopes = async () => {
    this.tenantsCalls++;
    if (this.tenantsError) throw this.tenantsError;
    return this.tenantList;
  };
  describeScope = (scope: FleetScope) => (scope.kind === 'catalog' ? `catalog · resource group ${scope.resourceGroup}` : `tenant · ${scope.roles?.join(', ')}`);
  products = async (scope: FleetScope) => (scope.id === LAB.id ? [THERMOSTAT] : []);
  deviceGroups = async (_scope: FleetScope, productId: string) => (productId === THERMOSTAT.id ? [DEVELOPMENT, FIELD_TEST] : []);
  selectedTenantId = async () => this.selected;
  boards = async () => this.boardList;
  /** The real shared cache, over the service's answers. */
  claims = new ClaimLocator(async (scope: FleetScope, deviceId: string) => {
    if (this.lookupError) throw this.lookupError;
    return this.owners.get(deviceId) === fleetTenantId(scope);
  });
  claim = async (scope: FleetScope, deviceId: string, groupId?: string) => {
    this.claimCalls.push(groupId ? [scope.id, deviceId, groupId] : [scope.id, deviceId]);
    if (this.claimError) throw this.claimError;
    if (this.readerOf.has(scope.id)) throw new CloudApiError('Claiming device A1A1A1A1… failed: your account does not have a role that allows this (403)', 'AuthorizationFailed', 403, 'does not have authorization', undefined);
    const owner = this.owners.get(deviceId);
    if (owner && owner !== fleetTenantId(scope)) throw new CloudApiError('Claiming device failed: Conflict', 'Conflict', 409, 'already claimed', undefined);
    this.owners.set(deviceId, fleetTenantId(scope));
    if (groupId) this.groups.set(deviceId, groupId);
  };
  nextSteps = () => ({ wifi: true, certificate: false });
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function started(world: World, restored?: Parameters<ClaimWizard['start']>[0]): Promise<ClaimWizard> {
  const wizard = new ClaimWizard(world);
  await wizard.start(restored);
  await settle();
  return wizard;
}

/** Every view the wizard produces must pass the contract the page validates against. */
function view(wizard: ClaimWizard) {
  const v = wizard.view();
  claimContract.toWebview.parse({ type: 'render', view: v });
  return v;
}

describe('claim wizard: who and where', () => {
  it('starts with the signed-in account and the selected tenant, switchable to another', async () => {
    const wizard = await started(new World());
    const v = view(wizard);
    assert.equal(v.step, 'account');
    assert.deepEqual(v.account, { username: 'avery@contoso.com', displayName: 'Avery Howard' });
    assert.equal(v.scopeId, CONTOSO.id);
    wizard.selectScope(FLEET.id);
    assert.equal(view(wizard).scopeId, FLEET.id);
    wizard.selectScope('not-a-tenant');
    assert.equal(view(wizard).scopeId, FLEET.id, 'an unknown tenant is ignored');
  });

  it('signed out: says to sign in and goes no further', async () => {
    const world = new World();
    world.accountValue = undefined;
    const wizard = await started(world);
    wizard.next();
    const v = view(wizard);
    assert.equal(v.step, 'account');
    assert.equal(v.accountProblem?.kind, 'signedOut');
  });

  it('refuses a personal Microsoft account with the explanation, without asking the service for tenants', async () => {
    const world = new World();
    world.accountValue = { username: 'sam@outlook.com', displayName: 'Sam Rivera', directoryId: PERSONAL_ACCOUNT_TENANT_ID };
    const wizard = await started(world);
    wizard.next();
    const v = view(wizard);
    assert.equal(v.step, 'account');
    assert.equal(v.accountProblem?.kind, 'personal');
    assert.match(v.accountProblem?.message ?? '', /personal Microsoft account \(sam@outlook\.com\).*work or school account/);
    assert.equal(world.tenantsCalls, 0);
  });

  it('an unregistered user, or one without tenants, is told what to do', async () => {
    const world = new World();
    world.tenantsError = Object.assign(new Error('User is not registered with Azure Sphere.'), { name: 'NotRegisteredError' });
    assert.equal(view(await started(world)).accountProblem?.kind, 'notRegistered');
    world.tenantsError = undefined;
    world.tenantList = [];
    const v = view(await started(world));
    assert.equal(v.accountProblem?.kind, 'noTenants');
    assert.match(v.accountProblem?.message ?? '', /Create Tenant/);
  });

  it('a Reader cannot pick that tenant to claim into', async () => {
    const world = new World();
    world.tenantList = [READONLY, CONTOSO];
    world.selected = READONLY.id;
    const wizard = await started(world);
    const reader = view(wizard).scopes.find((t) => t.id === READONLY.id)!;
    assert.equal(reader.canClaim, false);
    assert.match(reader.reason ?? '', /You are a Reader here; claiming needs the Administrator or Contributor role/);
    wizard.next();
    assert.equal(view(wizard).step, 'account');
    wizard.selectScope(CONTOSO.id);
    wizard.next();
    assert.equal(view(wizard).step, 'board');
  });
});

describe('claim wizard: which board', () => {
  async function atBoards(world: World): Promise<ClaimWizard> {
    const wizard = await started(world);
    wizard.next();
    await settle();
    return wizard;
  }

  it('lists each board with device ID, security state, OS version and where it stands', async () => {
    const world = new World();
    world.boardList = [board('1', FREE), board('2', IN_CONTOSO), board('3', IN_FLEET), board('4', undefined, { problem: 'no answer within 5 s' }), board('5')];
    const wizard = await atBoards(world);
    const boards = view(wizard).boards;
    assert.deepEqual(
      boards.map((b) => [b.key, b.standing]),
      [['1', 'available'], ['2', 'here'], ['3', 'elsewhere'], ['4', 'unreadable'], ['5', 'reading']],
    );
    assert.equal(boards[0].deviceId, FREE);
    assert.equal(boards[0].securityState, 'SECURE');
    assert.equal(boards[0].osVersion, '24.10');
    assert.match(boards[1].standingText, /Already claimed into Contoso Tenant: there is nothing to do/);
    assert.match(boards[2].standingText, /Already claimed into Contoso Fleet\. A claimed board can never move to another tenant, so it cannot join Contoso Tenant/);
  });

  it('goes on only with a board that can be claimed', async () => {
    const world = new World();
    world.boardList = [board('1', FREE), board('2', IN_CONTOSO), board('3', IN_FLEET)];
    const wizard = await atBoards(world);
    for (const key of ['2', '3']) {
      wizard.selectBoard(key);
      wizard.next();
      assert.equal(view(wizard).step, 'board', `board ${key} must be refused`);
    }
    wizard.selectBoard('1');
    wizard.next();
    assert.equal(view(wizard).step, 'confirm');
  });

  it('the only board is chosen by itself; a board asked for by a command is preferred', async () => {
    const world = new World();
    assert.equal(view(await atBoards(world)).boardKey, '1');
    world.boardList = [board('1', FREE), board('2', 'B2'.repeat(64))];
    const wizard = new ClaimWizard(world);
    await wizard.start(undefined, '2');
    assert.equal(view(wizard).boardKey, '2');
  });

  it('a failed lookup leaves the board claimable, saying the service decides', async () => {
    const world = new World();
    world.lookupError = new Error('Reading device A1A1A1A1… failed: the service is unavailable (503)');
    const wizard = await atBoards(world);
    const [b] = view(wizard).boards;
    assert.equal(b.standing, 'unknown');
    assert.match(b.standingText, /service is unavailable.*refuses the claim if another tenant owns it/);
    wizard.next();
    assert.equal(view(wizard).step, 'confirm');
  });
});

describe('claim wizard: point of no return and result', () => {
  async function atConfirm(world = new World()): Promise<ClaimWizard> {
    const wizard = await started(world);
    wizard.next();
    await settle();
    wizard.next();
    assert.equal(view(wizard).step, 'confirm');
    return wizard;
  }

  it('a wrong tenant name is refused with a specific reason and nothing is sent', async () => {
    const world = new World();
    const wizard = await atConfirm(world);
    await wizard.confirm('Contoso Tenat');
    let v = view(wizard);
    assert.equal(v.step, 'confirm');
    assert.match(v.confirmError ?? '', /"Contoso Tenat" is not the name of the tenant you are claiming into\. Type "Contoso Tenant" to confirm\. Nothing was sent\./);
    await wizard.confirm('contoso tenant');
    v = view(wizard);
    assert.match(v.confirmError ?? '', /must match exactly, including capitals/);
    await wizard.confirm('   ');
    assert.match(view(wizard).confirmError ?? '', /Type the tenant's name to confirm/);
    assert.deepEqual(world.claimCalls, []);
  });

  it('the exact name claims the board into the chosen tenant and shows the result', async () => {
    const world = new World();
    const steps: string[] = [];
    const seen = new ClaimWizard(world, () => steps.push(seen.currentStep));
    await seen.start();
    await settle();
    seen.next();
    await settle();
    seen.next();
    await seen.confirm('  Contoso Tenant ');
    assert.deepEqual(world.claimCalls, [[CONTOSO.id, FREE]]);
    assert.ok(steps.includes('progress'), 'progress is shown while the claim runs');
    const v = view(seen);
    assert.equal(v.step, 'result');
    assert.deepEqual(v.result, { boardName: 'sim-1', deviceId: FREE, scopeName: 'Contoso Tenant', scopeId: CONTOSO.id, scopeKind: 'legacy', alreadyClaimed: false });
    assert.equal(world.owners.get(FREE), CONTOSO.id);
    assert.deepEqual(seen.state(), { step: 'result', scopeId: CONTOSO.id, deviceId: FREE });
  });

  it('a board claimed into a tenant the user cannot see: Conflict sends them back to the boards, saying so', async () => {
    const world = new World();
    world.owners.set(FREE, '5a7d2e10-8c3b-4f6a-9e21-7b4c0d9f1a22'); // Fabrikam's, invisible to this user
    const wizard = await atConfirm(world);
    await wizard.confirm('Contoso Tenant');
    const v = view(wizard);
    assert.equal(v.step, 'board');
    assert.match(v.error?.title ?? '', /sim-1 cannot be claimed into Contoso Tenant/);
    assert.match(v.error?.message ?? '', /already claimed into another tenant.*can never move.*Nothing was changed/);
    assert.equal(v.boards[0].standing, 'elsewhere');
    wizard.next();
    assert.equal(view(wizard).step, 'board', 'it cannot be picked again');
  });

  it('any other failure returns to the confirmation with the service\'s reason', async () => {
    const world = new World();
    world.claimError = new CloudApiError('Claiming device A1A1A1A1… failed: you need the Administrator or Contributor role (403)', 'Forbidden', 403, undefined, undefined);
    const wizard = await atConfirm(world);
    await wizard.confirm('Contoso Tenant');
    const v = view(wizard);
    assert.equal(v.step, 'confirm');
    assert.match(v.error?.message ?? '', /Administrator or Contributor role \(403\)/);
  });

  it('claim another board starts again at the boards with the same tenant', async () => {
    const world = new World();
    world.boardList = [board('1', FREE), board('2', 'B2'.repeat(64))];
    const wizard = await started(world);
    wizard.next();
    await settle();
    wizard.selectBoard('1');
    wizard.next();
    await wizard.confirm('Contoso Tenant');
    wizard.claimAnother();
    await settle();
    const v = view(wizard);
    assert.equal(v.step, 'board');
    assert.equal(v.boardKey, null);
    assert.equal(v.scopeId, CONTOSO.id);
    assert.equal(v.boards[0].standing, 'here');
  });
});

describe('claim wizard: resuming after a reload', () => {
  it('resumes at the confirmation for the same board and tenant', async () => {
    const world = new World();
    world.boardList = [board('x', 'B2'.repeat(64)), board('y', FREE)];
    const v = view(await started(world, { step: 'confirm', scopeId: FLEET.id, deviceId: FREE.toLowerCase() }));
    assert.equal(v.step, 'confirm');
    assert.equal(v.scopeId, FLEET.id);
    assert.equal(v.boardKey, 'y');
  });

  it('a claim that completed while the window reloaded shows its result; one that did not asks again', async () => {
    const world = new World();
    world.owners.set(FREE, CONTOSO.id);
    let v = view(await started(world, { step: 'progress', scopeId: CONTOSO.id, deviceId: FREE }));
    assert.equal(v.step, 'result');
    assert.equal(v.result?.scopeName, 'Contoso Tenant');
    world.owners.delete(FREE);
    world.claims.forget(); // a reloaded window starts with an empty cache
    v = view(await started(world, { step: 'progress', scopeId: CONTOSO.id, deviceId: FREE }));
    assert.equal(v.step, 'confirm');
    assert.match(v.error?.message ?? '', /not in Contoso Tenant\. Confirm again/);
  });

  it('falls back to an earlier step when what the state names is gone', async () => {
    const world = new World();
    assert.equal(view(await started(world, { step: 'confirm', scopeId: CONTOSO.id, deviceId: 'C3'.repeat(64) })).step, 'board');
    world.accountValue = undefined;
    assert.equal(view(await started(world, { step: 'result', scopeId: CONTOSO.id, deviceId: FREE })).step, 'account');
  });
});

describe('claim wizard: catalogs (Azure Sphere Integrated)', () => {
  function worldWithCatalogs(): World {
    const world = new World();
    world.tenantList = [CONTOSO, FLEET, CONTOSO_CATALOG, LAB];
    return world;
  }

  async function labChosen(world: World): Promise<ClaimWizard> {
    const wizard = await started(world);
    wizard.selectScope(LAB.id);
    await wizard.placementRead();
    return wizard;
  }

  it('offers the tenants first, then the catalogs, each saying what it is', async () => {
    const v = view(await started(worldWithCatalogs()));
    assert.deepEqual(
      v.scopes.map((s) => [s.name, s.kind, s.description, s.canClaim]),
      [
        ['Contoso Tenant', 'legacy', 'tenant · Administrator', true],
        ['Contoso Fleet', 'legacy', 'tenant · Contributor', true],
        ['contoso-catalog', 'catalog', 'catalog · resource group sphere-catalogs', true],
        ['contoso-lab', 'catalog', 'catalog · resource group sphere-catalogs', true],
      ],
    );
    assert.equal(v.placement, null, 'a tenant has no product choice here');
  });

  it('a catalog defaults to the catalog only, and claims there after its name is typed', async () => {
    const world = worldWithCatalogs();
    const wizard = await labChosen(world);
    let v = view(wizard);
    assert.deepEqual(v.placement, { loading: false, products: [THERMOSTAT], productId: null, groups: [], groupId: null, error: null });
    wizard.next();
    await settle();
    v = view(wizard);
    assert.equal(v.step, 'board');
    assert.match(v.boards[0].standingText, /Not claimed into any of your tenants or catalogs: ready to claim/);
    wizard.next();
    await wizard.confirm('Contoso Tenant');
    assert.match(view(wizard).confirmError ?? '', /is not the name of the catalog you are claiming into\. Type "contoso-lab" to confirm\. Nothing was sent/);
    await wizard.confirm('contoso-lab');
    v = view(wizard);
    assert.equal(v.step, 'result');
    assert.deepEqual(world.claimCalls, [[LAB.id, FREE]]);
    assert.deepEqual(v.result, { boardName: 'sim-1', deviceId: FREE, scopeName: 'contoso-lab', scopeId: LAB.id, scopeKind: 'catalog', alreadyClaimed: false });
    assert.deepEqual(world.claims.peek(FREE), { kind: 'tenant', tenant: { Id: fleetTenantId(LAB), Name: 'contoso-lab' }, scope: LAB, catalog: LAB });
  });

  it('a product chosen needs one of its groups; the claim goes into that group', async () => {
    const world = worldWithCatalogs();
    const wizard = await labChosen(world);
    wizard.selectProduct(THERMOSTAT.id);
    await wizard.placementRead();
    assert.deepEqual(view(wizard).placement?.groups.map((g) => g.name), ['Development', 'Field Test']);
    wizard.next();
    assert.equal(view(wizard).step, 'account', 'no group chosen yet');
    wizard.selectGroup(DEVELOPMENT.id);
    assert.deepEqual(wizard.state(), { step: 'account', scopeId: LAB.id, productId: THERMOSTAT.id, groupId: DEVELOPMENT.id, deviceId: FREE });
    wizard.next();
    await settle();
    wizard.next();
    await wizard.confirm('contoso-lab');
    assert.deepEqual(world.claimCalls, [[LAB.id, FREE, DEVELOPMENT.id]]);
    assert.equal(view(wizard).result?.groupName, 'Development');
    assert.equal(view(wizard).result?.productName, 'Thermostat');
    wizard.claimAnother();
    wizard.back();
    wizard.selectProduct(null);
    assert.equal(view(wizard).placement?.groupId, null, 'back to the catalog only');
  });

  it('a Reader refused by Azure (403) is told in plain words, back where another target can be chosen', async () => {
    const world = worldWithCatalogs();
    world.readerOf.add(LAB.id);
    const wizard = await labChosen(world);
    wizard.next();
    await settle();
    wizard.next();
    await wizard.confirm('contoso-lab');
    const v = view(wizard);
    assert.equal(v.step, 'account');
    assert.equal(v.error?.title, 'You cannot claim boards into contoso-lab');
    assert.match(v.error?.message ?? '', /Azure refused to claim into catalog contoso-lab: your account's role there \(a Reader, for instance\) does not allow changing it\. Claiming needs the Contributor or Owner role on the catalog or its resource group \(sphere-catalogs\).*Nothing was claimed\./);
    const lab = v.scopes.find((s) => s.id === LAB.id)!;
    assert.equal(lab.canClaim, false);
    wizard.next();
    assert.equal(view(wizard).step, 'account', 'the refused catalog cannot be taken on again');
    assert.equal(world.owners.get(FREE), undefined);
  });

  it('a board in the Contoso Tenant is already in contoso-catalog, integrated from it', async () => {
    const world = worldWithCatalogs();
    world.boardList = [board('1', IN_CONTOSO)];
    const wizard = await started(world);
    wizard.selectScope(CONTOSO_CATALOG.id);
    await wizard.placementRead();
    wizard.next();
    await settle();
    const [b] = view(wizard).boards;
    assert.equal(b.standing, 'here');
    assert.match(b.standingText, /Already claimed into Contoso Tenant \(the same fleet as contoso-catalog\): there is nothing to do/);
  });

  it('a board in a catalog of its own cannot join a tenant, and says which catalog has it', async () => {
    const world = worldWithCatalogs();
    world.owners.set(FREE, fleetTenantId(LAB));
    const wizard = await started(world);
    wizard.next();
    await settle();
    assert.match(view(wizard).boards[0].standingText, /Already claimed into contoso-lab \(catalog\)\. A claimed board can never move to another tenant, so it cannot join Contoso Tenant/);
  });

  it('resumes a catalog claim into a group from the kept state', async () => {
    const world = worldWithCatalogs();
    const wizard = await started(world, { step: 'confirm', scopeId: LAB.id, productId: THERMOSTAT.id, groupId: DEVELOPMENT.id, deviceId: FREE });
    await wizard.placementRead();
    const v = view(wizard);
    assert.equal(v.step, 'confirm');
    assert.equal(v.placement?.groupId, DEVELOPMENT.id);
  });
});

describe('tenant name confirmation', () => {
  it('accepts the exact name, surrounding spaces aside', () => {
    assert.equal(tenantNameMismatch(' Contoso Tenant ', 'Contoso Tenant'), undefined);
  });
  it('says what is wrong: empty, capitals, spacing, another name', () => {
    assert.match(tenantNameMismatch('', 'Contoso Tenant')!, /^Type the tenant's name to confirm/);
    assert.match(tenantNameMismatch('CONTOSO TENANT', 'Contoso Tenant')!, /including capitals/);
    assert.match(tenantNameMismatch('Contoso  Tenant', 'Contoso Tenant')!, /spacing differs/);
    assert.match(tenantNameMismatch('Contoso Fleet', 'Contoso Tenant')!, /"Contoso Fleet" is not the name/);
    assert.ok(tenantNameMismatch('x'.repeat(300), 'Contoso Tenant')!.length < 200, 'a long paste is shortened');
  });
});
