// The claim wizard's steps (docs/architecture.md#adding-a-wizard), as plain TypeScript the panel drives and tests
// exercise without an editor:
//  1. who and where — the signed-in account and the target tenant (switchable); a personal account, an unregistered
//     user, no tenant or a Reader role stop here with the reason;
//  2. which board — the attached boards with device ID, security state and OS version, and where each is claimed;
//     one claimed into another tenant is refused, one already in the target tenant has nothing to do;
//  3. the point of no return — typing the tenant's name; a wrong name sends nothing;
//  4. progress while the service's claim Operation runs, then the result with next steps.
// The wizard owns the state; the panel renders `view()` after each `onChange` and persists `state()`.
import { CloudApiError } from '../../cloud/api-error';
import { isPersonalAccountTenant, personalAccountMessage } from '../../cloud/personal-account';
import type { BoardChoice, BoardStanding, ClaimStep, ClaimView, ClaimWizardState, TenantChoice } from './claim-contract';
import type { ClaimLocator } from '../../cloud/claim-location';
import { tenantNameMismatch } from './tenant-name-confirmation';

export interface ClaimAccount {
  readonly username: string;
  readonly displayName: string;
  /** The Microsoft Entra directory of the account (the personal-account directory is refused). */
  readonly directoryId: string;
}

export interface ClaimTenant {
  readonly Id: string;
  readonly Name: string;
  readonly Roles: readonly string[];
}

export interface ClaimBoard {
  readonly key: string;
  readonly name: string;
  /** Unknown until the board has answered. */
  readonly deviceId?: string;
  readonly securityState?: string;
  readonly osVersion?: string;
  readonly connection: string;
  /** Why reading the board failed, when it did. */
  readonly problem?: string;
}

export interface ClaimWizardDeps {
  account(): Promise<ClaimAccount | undefined>;
  /** The user's tenants; throws an error named NotRegisteredError for a user not registered with Azure Sphere. */
  tenants(): Promise<readonly ClaimTenant[]>;
  selectedTenantId(): Promise<string | undefined>;
  boards(): Promise<readonly ClaimBoard[]>;
  /** Where devices are claimed: the one cache the Devices view shares (answers the wizard learns go back into it). */
  readonly claims: ClaimLocator;
  /** Claims the device and waits for the service's Operation to complete. */
  claim(tenantId: string, deviceId: string): Promise<void>;
  nextSteps(): { wifi: boolean; certificate: boolean };
}

/** Roles that may claim (the service answers Forbidden to a Reader). */
const CLAIMING_ROLES = ['Administrator', 'Contributor'];

/** A lookup this wizard started and has no answer for (the answers themselves live in deps.claims). */
type Lookup = 'pending' | { readonly kind: 'failed'; readonly message: string };

const OTHER_TENANT = 'It is already claimed into another tenant, one you have no role in. A claimed board can never move to another tenant.';

export class ClaimWizard {
  private step: ClaimStep = 'account';
  private loading = false;
  private account: ClaimAccount | undefined;
  private accountProblem: ClaimView['accountProblem'] = null;
  private tenants: readonly ClaimTenant[] = [];
  private tenantId: string | undefined;
  private boards: readonly ClaimBoard[] = [];
  private boardKey: string | undefined;
  /** A board asked for before the boards were listed (by device ID from saved state, or by key from a command). */
  private wanted: { deviceId?: string; boardKey?: string } = {};
  /** Lookups under way or failed, by upper-case device ID; cleared on refresh. */
  private readonly lookups = new Map<string, Lookup>();
  private confirmError: string | null = null;
  private error: ClaimView['error'] = null;
  private result: ClaimView['result'] = null;
  /** Bumped by refresh, so answers to older lookups are dropped. */
  private generation = 0;

  constructor(
    private readonly deps: ClaimWizardDeps,
    private readonly onChange: () => void = () => undefined,
  ) {}

  // ---- what the page shows and keeps ---------------------------------------------------------------------------

  view(): ClaimView {
    return {
      step: this.step,
      loading: this.loading,
      account: this.account ? { username: this.account.username, displayName: this.account.displayName } : null,
      accountProblem: this.accountProblem,
      tenants: this.tenants.map((t) => this.tenantChoice(t)),
      tenantId: this.tenantId ?? null,
      boards: this.boards.map((b) => this.boardChoice(b)),
      boardKey: this.boardKey ?? null,
      confirmError: this.confirmError,
      error: this.error,
      result: this.result,
      nextSteps: this.deps.nextSteps(),
    };
  }

  state(): ClaimWizardState {
    const deviceId = this.board()?.deviceId;
    return { step: this.step, ...(this.tenantId ? { tenantId: this.tenantId } : {}), ...(deviceId ? { deviceId } : {}) };
  }

  get currentStep(): ClaimStep {
    return this.step;
  }

  // ---- starting and reloading ----------------------------------------------------------------------------------

  /** Loads account, tenants and boards; resumes at `restored`'s step when what it names still holds. */
  async start(restored?: ClaimWizardState, boardKey?: string): Promise<void> {
    this.wanted = { deviceId: restored?.deviceId, boardKey };
    await this.loadAccount(restored?.tenantId);
    await this.loadBoards();
    if (!restored || restored.step === 'account' || !this.accountReady()) return this.go('account');
    if (restored.step === 'board') return this.go('board');
    const board = this.board();
    if (!board?.deviceId || board.deviceId.toUpperCase() !== restored.deviceId?.toUpperCase()) return this.go('board');
    // Where the board stands now decides where to resume (during or after a claim: how it ended).
    const tenant = this.tenant()!;
    await this.locate(board.deviceId.toUpperCase(), this.generation);
    const where = this.deps.claims.peek(board.deviceId);
    if (restored.step === 'confirm') return this.go(this.claimable(board) ? 'confirm' : 'board');
    if (where?.kind === 'tenant' && where.tenant.Id === tenant.Id) {
      this.result = { boardName: board.name, deviceId: board.deviceId, tenantName: tenant.Name, tenantId: tenant.Id, alreadyClaimed: false };
      return this.go('result');
    }
    this.error = { title: 'The claim did not finish', message: `The window closed before the claim completed, and the board is not in ${tenant.Name}. Confirm again to claim it.` };
    this.go(this.claimable(board) ? 'confirm' : 'board');
  }

  /** Reads account and tenants again (after a sign-in, sign-out or tenant change); keeps the step when it still holds. */
  async reloadAccount(): Promise<void> {
    await this.loadAccount(this.tenantId);
    if (!this.accountReady() && this.step !== 'progress') this.go('account');
    else this.revalidateLocations();
  }

  /** Lists the attached boards again (one attached, detached, or its facts were read). */
  async reloadBoards(): Promise<void> {
    await this.loadBoards();
    if ((this.step === 'confirm' && !this.claimable(this.board())) || (this.step === 'board' && this.boardKey && !this.board())) {
      this.go('board');
    }
  }

  /** Forgets where boards are claimed and reads everything again. */
  async refresh(): Promise<void> {
    this.generation++;
    this.lookups.clear();
    this.deps.claims.forget();
    this.error = null;
    await this.reloadAccount();
    await this.reloadBoards();
  }

  /** A command asked for a particular board (the wizard was opened on a board's node). */
  preferBoard(boardKey: string): void {
    if (this.step === 'progress') return;
    if (this.boards.some((b) => b.key === boardKey)) this.boardKey = boardKey;
    else this.wanted = { boardKey };
    this.changed();
  }

  // ---- the user's intents ----------------------------------------------------------------------------------------

  selectTenant(tenantId: string): void {
    if (this.step !== 'account' || !this.tenants.some((t) => t.Id === tenantId)) return;
    this.tenantId = tenantId;
    this.error = null;
    this.changed();
  }

  selectBoard(boardKey: string): void {
    if (this.step !== 'board' || !this.boards.some((b) => b.key === boardKey)) return;
    this.boardKey = boardKey;
    this.error = null;
    this.changed();
  }

  next(): void {
    if (this.step === 'account' && this.accountReady() && this.tenantCanClaim()) {
      this.error = null;
      this.go('board');
    } else if (this.step === 'board' && this.claimable(this.board())) {
      this.error = null;
      this.confirmError = null;
      this.go('confirm');
    }
  }

  back(): void {
    if (this.step === 'board') this.go('account');
    else if (this.step === 'confirm') this.go('board');
    else return;
    this.error = null;
    this.confirmError = null;
    this.changed();
  }

  /** Starts over at the board step for another board, keeping the tenant. */
  claimAnother(): void {
    if (this.step !== 'result') return;
    this.result = null;
    this.boardKey = undefined;
    this.go('board');
  }

  /**
   * The point of no return. A name that does not match is refused with a specific reason and nothing is sent;
   * otherwise the claim runs (progress), and ends in the result or back where the user can act on the failure.
   */
  async confirm(typedName: string): Promise<void> {
    const tenant = this.tenant();
    const board = this.board();
    if (this.step !== 'confirm' || !tenant || !board?.deviceId || !this.claimable(board)) return;
    const mismatch = tenantNameMismatch(typedName, tenant.Name);
    if (mismatch) {
      this.confirmError = mismatch;
      this.changed();
      return;
    }
    const deviceId = board.deviceId;
    this.confirmError = null;
    this.error = null;
    this.go('progress');
    try {
      await this.deps.claim(tenant.Id, deviceId);
      this.deps.claims.record(deviceId, { kind: 'tenant', tenant });
      this.result = { boardName: board.name, deviceId, tenantName: tenant.Name, tenantId: tenant.Id, alreadyClaimed: false };
      this.go('result');
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 409) {
        // Claimed into a tenant this user has no role in: only the claim could tell.
        this.deps.claims.record(deviceId, { kind: 'otherTenant' });
        this.error = { title: `${board.name} cannot be claimed into ${tenant.Name}`, message: `${OTHER_TENANT} Nothing was changed.` };
        this.go('board');
      } else {
        this.error = { title: 'The claim did not go through', message: describe(err) };
        this.go('confirm');
      }
    }
  }

  // ---- loading -----------------------------------------------------------------------------------------------------

  private async loadAccount(preferredTenantId: string | undefined): Promise<void> {
    this.setLoading(true);
    try {
      this.account = await this.deps.account();
      this.tenants = [];
      this.accountProblem = null;
      if (!this.account) {
        this.accountProblem = { kind: 'signedOut', title: 'Sign in to claim a board', message: 'A board is claimed into an Azure Sphere tenant of your work or school account. Sign in first.' };
      } else if (isPersonalAccountTenant(this.account.directoryId)) {
        this.accountProblem = { kind: 'personal', title: 'A personal Microsoft account cannot claim boards', message: personalAccountMessage(this.account.username) };
      } else {
        this.tenants = await this.deps.tenants();
        if (this.tenants.length === 0) {
          this.accountProblem = {
            kind: 'noTenants',
            title: 'You have no Azure Sphere tenant yet',
            message: 'A board is claimed into a tenant. Create one with "Azure Sphere: Create Tenant" (it needs an attached board), or ask an Administrator of your organization\'s tenant to give you the Contributor role.',
          };
        }
      }
    } catch (err) {
      this.tenants = [];
      this.accountProblem =
        err instanceof Error && err.name === 'NotRegisteredError'
          ? { kind: 'notRegistered', title: 'Your account is not registered with Azure Sphere', message: `${err.message} Run "Azure Sphere: Register User" once, then refresh.` }
          : { kind: 'failed', title: 'Could not read your tenants', message: describe(err) };
    }
    const selected = this.tenants.length ? await this.deps.selectedTenantId().catch(() => undefined) : undefined;
    const byId = (id: string | undefined) => this.tenants.find((t) => t.Id === id);
    this.tenantId = (byId(preferredTenantId) ?? byId(selected) ?? this.tenants.find((t) => canClaim(t)) ?? this.tenants[0])?.Id;
    this.setLoading(false);
  }

  private async loadBoards(): Promise<void> {
    this.setLoading(true);
    try {
      this.boards = await this.deps.boards();
    } catch (err) {
      this.boards = [];
      this.error = { title: 'Could not list the attached boards', message: describe(err) };
    }
    const wantedKey = this.wanted.boardKey;
    const wantedId = this.wanted.deviceId?.toUpperCase();
    const wanted = this.boards.find((b) => b.key === wantedKey) ?? this.boards.find((b) => !!wantedId && b.deviceId?.toUpperCase() === wantedId);
    if (wanted) {
      this.boardKey = wanted.key;
      this.wanted = {};
    } else if (!this.board()) {
      this.boardKey = this.boards.length === 1 ? this.boards[0].key : undefined;
    }
    this.setLoading(false);
    if (this.step !== 'account') this.lookUpAll();
  }

  /** Starts a lookup for every board whose claim location is not known yet. */
  private lookUpAll(): void {
    if (!this.accountReady()) return;
    for (const board of this.boards) {
      const id = board.deviceId?.toUpperCase();
      if (id && !this.lookups.has(id) && !this.deps.claims.peek(id)) void this.locate(id, this.generation);
    }
  }

  private async locate(deviceId: string, generation: number): Promise<void> {
    this.lookups.set(deviceId, 'pending');
    this.changed();
    let failed: Lookup | undefined;
    try {
      await this.deps.claims.locate(deviceId, this.tenants, this.tenantId);
    } catch (err) {
      failed = { kind: 'failed', message: describe(err) };
    }
    if (generation !== this.generation) return;
    if (failed) this.lookups.set(deviceId, failed);
    else this.lookups.delete(deviceId);
    this.changed();
  }

  /** The target tenant changed or tenants reloaded: answers stay valid (they name the tenant), views recompute. */
  private revalidateLocations(): void {
    this.lookUpAll();
    this.changed();
  }

  // ---- derived facts -----------------------------------------------------------------------------------------------

  private tenant(): ClaimTenant | undefined {
    return this.tenants.find((t) => t.Id === this.tenantId);
  }

  private board(): ClaimBoard | undefined {
    return this.boards.find((b) => b.key === this.boardKey);
  }

  private accountReady(): boolean {
    return !!this.account && !this.accountProblem && this.tenants.length > 0;
  }

  private tenantCanClaim(): boolean {
    const tenant = this.tenant();
    return !!tenant && canClaim(tenant);
  }

  private claimable(board: ClaimBoard | undefined): boolean {
    if (!board) return false;
    const standing = this.standing(board).standing;
    return standing === 'available' || standing === 'unknown';
  }

  private standing(board: ClaimBoard): { standing: BoardStanding; text: string } {
    if (board.problem) return { standing: 'unreadable', text: `The board does not answer: ${board.problem}` };
    if (!board.deviceId) return { standing: 'reading', text: 'Reading the board\'s device ID…' };
    const id = board.deviceId.toUpperCase();
    const where = this.deps.claims.peek(id) ?? this.lookups.get(id);
    const target = this.tenant();
    if (where === undefined || where === 'pending') return { standing: 'reading', text: 'Checking where it is claimed…' };
    switch (where.kind) {
      case 'failed':
        return { standing: 'unknown', text: `Could not check where it is claimed (${where.message}). The service refuses the claim if another tenant owns it.` };
      case 'otherTenant':
        return { standing: 'elsewhere', text: OTHER_TENANT };
      case 'noneOfYours':
        return { standing: 'available', text: 'Not claimed into any of your tenants: ready to claim.' };
      case 'tenant':
        return where.tenant.Id === target?.Id
          ? { standing: 'here', text: `Already claimed into ${where.tenant.Name}: there is nothing to do.` }
          : { standing: 'elsewhere', text: `Already claimed into ${where.tenant.Name}. A claimed board can never move to another tenant, so it cannot join ${target?.Name ?? 'this tenant'}.` };
    }
  }

  private tenantChoice(t: ClaimTenant): TenantChoice {
    const roles = t.Roles.length ? t.Roles.join(', ') : 'no role';
    return canClaim(t)
      ? { id: t.Id, name: t.Name, roles, canClaim: true }
      : { id: t.Id, name: t.Name, roles, canClaim: false, reason: `You are ${article(roles)} here; claiming needs the Administrator or Contributor role.` };
  }

  private boardChoice(b: ClaimBoard): BoardChoice {
    const { standing, text } = this.standing(b);
    return {
      key: b.key,
      name: b.name,
      deviceId: b.deviceId ?? null,
      ...(b.deviceId ? { shortId: `${b.deviceId.slice(0, 8).toUpperCase()}…` } : {}),
      ...(b.securityState ? { securityState: b.securityState } : {}),
      ...(b.osVersion ? { osVersion: b.osVersion } : {}),
      connection: b.connection,
      standing,
      standingText: text,
    };
  }

  private go(step: ClaimStep): void {
    this.step = step;
    if (step === 'board') this.lookUpAll();
    this.changed();
  }

  private setLoading(loading: boolean): void {
    if (this.loading === loading) return;
    this.loading = loading;
    this.changed();
  }

  private changed(): void {
    this.onChange();
  }
}

function canClaim(tenant: ClaimTenant): boolean {
  return tenant.Roles.some((r) => CLAIMING_ROLES.includes(r));
}

function article(roles: string): string {
  return /^[AEIOU]/i.test(roles) ? `an ${roles}` : `a ${roles}`;
}

/** An error as one sentence for the page: its message only (CloudApiError messages are written for people and scrubbed). */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 600 ? `${message.slice(0, 600)}…` : message;
}
