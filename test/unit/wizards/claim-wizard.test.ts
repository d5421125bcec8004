import * as assert from 'node:assert/strict';
import { CloudApiError } from '../../../src/cloud/api-error';
import { ClaimLocator } from '../../../src/cloud/claim-location';
import { PERSONAL_ACCOUNT_TENANT_ID } from '../../../src/cloud/personal-account';
import { claimContract } from '../../../src/wizards/claim/claim-contract';
import { ClaimWizard, type ClaimAccount, type ClaimBoard, type ClaimTenant, type ClaimWizardDeps } from '../../../src/wizards/claim/claim-wizard';
import { tenantNameMismatch } from '../../../src/wizards/claim/tenant-name-confirmation';

// The wizard's collaborators are in-memory stand-ins here: what is under test is the step logic. The same wizard
// runs against the real emulator and simulator in test/integration/claim-wizard.test.ts.
const CONTOSO: ClaimTenant = { Id: '768c2cd6-1bf0-4521-9f53-084a331d81cb', Name: 'Contoso Tenant', Roles: ['Administrator'] };
const FLEET: ClaimTenant = { Id: '768c2cd6-1bf0-4521-9f53-084a331d81cc', Name: 'Contoso Fleet', Roles: ['Contributor'] };
const READONLY: ClaimTenant = { Id: '768c2cd6-1bf0-4521-9f53-084a331d81cd', Name: 'Audit Tenant', Roles: ['Reader'] };
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
  tenantList: ClaimTenant[] = [CONTOSO, FLEET];
  tenantsError: Error | undefined;
  selected: string | undefined = CONTOSO.Id;
  boardList: ClaimBoard[] = [board('1', FREE)];
  /** deviceId → tenantId the service knows, including tenants the user cannot see. */
  owners = new Map<string, string>([[IN_FLEET, FLEET.Id], [IN_CONTOSO, CONTOSO.Id]]);
  claimCalls: [string, string][] = [];
  claimError: Error | undefined;
  tenantsCalls = 0;
  lookupError: Error | undefined;

  account = async () => this.accountValue;
  tenants = async () => {
    this.tenantsCalls++;
    if (this.tenantsError) throw this.tenantsError;
    return this.tenantList;
  };
  selectedTenantId = async () => this.selected;
  boards = async () => this.boardList;
  /** The real shared cache, over the service's answers. */
  claims = new ClaimLocator(async (tenantId: string, deviceId: string) => {
    if (this.lookupError) throw this.lookupError;
    return this.owners.get(deviceId) === tenantId;
  });
  claim = async (tenantId: string, deviceId: string) => {
    this.claimCalls.push([tenantId, deviceId]);
    if (this.claimError) throw this.claimError;
    const owner = this.owners.get(deviceId);
    if (owner && owner !== tenantId) throw new CloudApiError('Claiming device failed: Conflict', 'Conflict', 409, 'already claimed', undefined);
    this.owners.set(deviceId, tenantId);
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
    assert.equal(v.tenantId, CONTOSO.Id);
    wizard.selectTenant(FLEET.Id);
    assert.equal(view(wizard).tenantId, FLEET.Id);
    wizard.selectTenant('not-a-tenant');
    assert.equal(view(wizard).tenantId, FLEET.Id, 'an unknown tenant is ignored');
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
    world.selected = READONLY.Id;
    const wizard = await started(world);
    const reader = view(wizard).tenants.find((t) => t.id === READONLY.Id)!;
    assert.equal(reader.canClaim, false);
    assert.match(reader.reason ?? '', /You are a Reader here; claiming needs the Administrator or Contributor role/);
    wizard.next();
    assert.equal(view(wizard).step, 'account');
    wizard.selectTenant(CONTOSO.Id);
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
    assert.deepEqual(world.claimCalls, [[CONTOSO.Id, FREE]]);
    assert.ok(steps.includes('progress'), 'progress is shown while the claim runs');
    const v = view(seen);
    assert.equal(v.step, 'result');
    assert.deepEqual(v.result, { boardName: 'sim-1', deviceId: FREE, tenantName: 'Contoso Tenant', tenantId: CONTOSO.Id, alreadyClaimed: false });
    assert.equal(world.owners.get(FREE), CONTOSO.Id);
    assert.deepEqual(seen.state(), { step: 'result', tenantId: CONTOSO.Id, deviceId: FREE });
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
    assert.equal(v.tenantId, CONTOSO.Id);
    assert.equal(v.boards[0].standing, 'here');
  });
});

describe('claim wizard: resuming after a reload', () => {
  it('resumes at the confirmation for the same board and tenant', async () => {
    const world = new World();
    world.boardList = [board('x', 'B2'.repeat(64)), board('y', FREE)];
    const v = view(await started(world, { step: 'confirm', tenantId: FLEET.Id, deviceId: FREE.toLowerCase() }));
    assert.equal(v.step, 'confirm');
    assert.equal(v.tenantId, FLEET.Id);
    assert.equal(v.boardKey, 'y');
  });

  it('a claim that completed while the window reloaded shows its result; one that did not asks again', async () => {
    const world = new World();
    world.owners.set(FREE, CONTOSO.Id);
    let v = view(await started(world, { step: 'progress', tenantId: CONTOSO.Id, deviceId: FREE }));
    assert.equal(v.step, 'result');
    assert.equal(v.result?.tenantName, 'Contoso Tenant');
    world.owners.delete(FREE);
    world.claims.forget(); // a reloaded window starts with an empty cache
    v = view(await started(world, { step: 'progress', tenantId: CONTOSO.Id, deviceId: FREE }));
    assert.equal(v.step, 'confirm');
    assert.match(v.error?.message ?? '', /not in Contoso Tenant\. Confirm again/);
  });

  it('falls back to an earlier step when what the state names is gone', async () => {
    const world = new World();
    assert.equal(view(await started(world, { step: 'confirm', tenantId: CONTOSO.Id, deviceId: 'C3'.repeat(64) })).step, 'board');
    world.accountValue = undefined;
    assert.equal(view(await started(world, { step: 'result', tenantId: CONTOSO.Id, deviceId: FREE })).step, 'account');
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
