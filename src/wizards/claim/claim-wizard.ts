// The claim wizard's steps (docs/architecture.md#adding-a-wizard), as plain TypeScript the panel drives and tests
// exercise without an editor:
//  1. who and where — the signed-in account and the target: one of the user's tenants or, over Azure Resource
//     Manager, one of the catalogs they can see (switchable); for a catalog, optionally a product's device group to
//     claim into (by default none: the catalog only). A personal account, an unregistered user, no tenant or catalog
//     or a tenant Reader role stop here with the reason; a catalog's Azure roles are known only when ARM answers, so
//     a refused claim (403) comes back here, saying so, and marks that catalog;
//  2. which board — the attached boards with device ID, security state and OS version, and where each is claimed;
//     one claimed into another tenant is refused, one already in the target's fleet has nothing to do;
//  3. the point of no return — typing the tenant's or catalog's name; a wrong name sends nothing;
//  4. progress while the service claims it, then the result with next steps.
// The wizard owns the state; the panel renders `view()` after each `onChange` and persists `state()`.
import { CloudApiError } from '../../cloud/api-error';
import { ProviderNotRegisteredError } from '../../cloud/arm-sphere/arm-errors';
import type { FleetDeviceGroup, FleetProduct, FleetScope } from '../../cloud/backend/fleet-backend';
import { claimedIn, fleetTenantId, type ClaimLocation, type ClaimLocator } from '../../cloud/claim-location';
import { isPersonalAccountTenant, personalAccountMessage } from '../../cloud/personal-account';
import type { BoardChoice, BoardStanding, ClaimStep, ClaimView, ClaimWizardState, PlacementView, ScopeChoice } from './claim-contract';
import { tenantNameMismatch } from './tenant-name-confirmation';

export interface ClaimAccount {
  readonly username: string;
  readonly displayName: string;
  /** The Microsoft Entra directory of the account (the personal-account directory is refused). */
  readonly directoryId: string;
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
  /**
   * The user's tenants (with their roles), then the catalogs they can see; throws an error named NotRegisteredError
   * for a user not registered with Azure Sphere.
   */
  scopes(): Promise<readonly FleetScope[]>;
  /** What a scope is, in the words the other pickers use. */
  describeScope(scope: FleetScope): string;
  selectedTenantId(): Promise<string | undefined>;
  boards(): Promise<readonly ClaimBoard[]>;
  /** Where devices are claimed: the one cache the Devices view shares (answers the wizard learns go back into it). */
  readonly claims: ClaimLocator;
  /** A catalog's products, and a product's device groups: where in a catalog a board may be claimed into. */
  products(scope: FleetScope): Promise<readonly FleetProduct[]>;
  deviceGroups(scope: FleetScope, productId: string): Promise<readonly FleetDeviceGroup[]>;
  /** Claims the device (into `groupId` when given) and waits until the service has done it. */
  claim(scope: FleetScope, deviceId: string, groupId?: string): Promise<void>;
  nextSteps(): { wifi: boolean; certificate: boolean };
}

/** Tenant roles that may claim (the service answers Forbidden to a Reader). */
const CLAIMING_ROLES = ['Administrator', 'Contributor'];

/** A lookup this wizard started and has no answer for (the answers themselves live in deps.claims). */
type Lookup = 'pending' | { readonly kind: 'failed'; readonly message: string };

/** A catalog's products and the chosen product's groups, as far as they are read. */
interface Placement {
  loading: boolean;
  products: readonly FleetProduct[];
  productId: string | undefined;
  groups: readonly FleetDeviceGroup[];
  groupId: string | undefined;
  error: string | undefined;
}

const OTHER_TENANT = 'It is already claimed into another tenant, one you have no role in. A claimed board can never move to another tenant.';

export class ClaimWizard {
  private step: ClaimStep = 'account';
  private loading = false;
  private account: ClaimAccount | undefined;
  private accountProblem: ClaimView['accountProblem'] = null;
  private scopes: readonly FleetScope[] = [];
  private scopeId: string | undefined;
  /** Catalogs Azure refused a claim into (403), by scope ID, with the words why: they cannot be chosen again. */
  private readonly refused = new Map<string, string>();
  /** For a catalog target: its products and groups and the choice among them. */
  private placement: Placement | undefined;
  /** A product and group asked for before they were read (from saved state). */
  private wantedPlacement: { productId?: string; groupId?: string } = {};
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
  /** Bumped whenever the target or product changes, so products and groups read for an older choice are dropped. */
  private placementGeneration = 0;
  /** The products or groups being read for the current choice. */
  private placementLoad: Promise<void> = Promise.resolve();

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
      scopes: this.scopes.map((s) => this.scopeChoice(s)),
      scopeId: this.scopeId ?? null,
      placement: this.placementView(),
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
    const productId = this.placement?.productId;
    const groupId = this.placement?.groupId;
    return {
      step: this.step,
      ...(this.scopeId ? { scopeId: this.scopeId } : {}),
      ...(productId ? { productId } : {}),
      ...(groupId ? { groupId } : {}),
      ...(deviceId ? { deviceId } : {}),
    };
  }

  get currentStep(): ClaimStep {
    return this.step;
  }

  // ---- starting and reloading ----------------------------------------------------------------------------------

  /** Loads account, tenants, catalogs and boards; resumes at `restored`'s step when what it names still holds. */
  async start(restored?: ClaimWizardState, boardKey?: string): Promise<void> {
    this.wanted = { deviceId: restored?.deviceId, boardKey };
    this.wantedPlacement = { productId: restored?.productId, groupId: restored?.groupId };
    await this.loadAccount(restored?.scopeId);
    await this.loadBoards();
    if (!restored || restored.step === 'account' || !this.accountReady()) return this.go('account');
    if (restored.step === 'board') return this.go('board');
    const board = this.board();
    if (!board?.deviceId || board.deviceId.toUpperCase() !== restored.deviceId?.toUpperCase()) return this.go('board');
    // Where the board stands now decides where to resume (during or after a claim: how it ended).
    const scope = this.scope()!;
    await this.locate(board.deviceId.toUpperCase(), this.generation);
    const where = this.deps.claims.peek(board.deviceId);
    if (restored.step === 'confirm') return this.go(this.claimable(board) ? 'confirm' : 'board');
    if (where && inFleetOf(where, scope)) {
      this.result = this.resultFor(board.name, board.deviceId, scope);
      return this.go('result');
    }
    this.error = { title: 'The claim did not finish', message: `The window closed before the claim completed, and the board is not in ${scope.name}. Confirm again to claim it.` };
    this.go(this.claimable(board) ? 'confirm' : 'board');
  }

  /** Reads account, tenants and catalogs again (after a sign-in, sign-out or tenant change); keeps the step when it still holds. */
  async reloadAccount(): Promise<void> {
    const placement = this.placement;
    this.wantedPlacement = { productId: placement?.productId, groupId: placement?.groupId };
    await this.loadAccount(this.scopeId);
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
    this.refused.clear();
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

  /** Settles when the products and groups being read for the current target are in (tests and resuming wait on it). */
  async placementRead(): Promise<void> {
    await this.placementLoad;
  }

  // ---- the user's intents ----------------------------------------------------------------------------------------

  selectScope(scopeId: string): void {
    if (this.step !== 'account' || !this.scopes.some((s) => s.id === scopeId) || scopeId === this.scopeId) return;
    this.scopeId = scopeId;
    this.error = null;
    this.wantedPlacement = {};
    this.readPlacement();
    this.changed();
  }

  /** Catalogs: a product to claim into (its groups are read next), or null for the catalog only. */
  selectProduct(productId: string | null): void {
    const placement = this.placement;
    if (this.step !== 'account' || !placement || (productId !== null && !placement.products.some((p) => p.id === productId))) return;
    if ((productId ?? undefined) === placement.productId) return;
    placement.productId = productId ?? undefined;
    placement.groupId = undefined;
    placement.groups = [];
    placement.error = undefined;
    if (productId) this.placementLoad = this.readGroups(productId, ++this.placementGeneration);
    this.changed();
  }

  selectGroup(groupId: string): void {
    const placement = this.placement;
    if (this.step !== 'account' || !placement?.groups.some((g) => g.id === groupId)) return;
    placement.groupId = groupId;
    this.changed();
  }

  selectBoard(boardKey: string): void {
    if (this.step !== 'board' || !this.boards.some((b) => b.key === boardKey)) return;
    this.boardKey = boardKey;
    this.error = null;
    this.changed();
  }

  next(): void {
    if (this.step === 'account' && this.accountReady() && this.scopeCanClaim() && this.placementReady()) {
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

  /** Starts over at the board step for another board, keeping the target. */
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
    const scope = this.scope();
    const board = this.board();
    if (this.step !== 'confirm' || !scope || !board?.deviceId || !this.claimable(board)) return;
    const mismatch = tenantNameMismatch(typedName, scope.name, scope.kind === 'catalog' ? 'catalog' : 'tenant');
    if (mismatch) {
      this.confirmError = mismatch;
      this.changed();
      return;
    }
    const deviceId = board.deviceId;
    const groupId = scope.kind === 'catalog' ? this.placement?.groupId : undefined;
    this.confirmError = null;
    this.error = null;
    this.go('progress');
    try {
      await this.deps.claim(scope, deviceId, groupId);
      this.deps.claims.record(deviceId, claimedIn(scope, this.scopes));
      this.result = this.resultFor(board.name, deviceId, scope);
      this.go('result');
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 409 && !(err instanceof ProviderNotRegisteredError)) {
        // Claimed into a tenant this user has no role in: only the claim could tell.
        this.deps.claims.record(deviceId, { kind: 'otherTenant' });
        this.error = { title: `${board.name} cannot be claimed into ${scope.name}`, message: `${OTHER_TENANT} Nothing was changed.` };
        this.go('board');
      } else if (scope.kind === 'catalog' && err instanceof CloudApiError && err.status === 403) {
        // Azure RBAC decides on a catalog, and tells only when asked to write: this catalog is out for this account.
        const reason = `Azure refused to claim into catalog ${scope.name}: your account's role there (a Reader, for instance) does not allow changing it. Claiming needs the Contributor or Owner role on the catalog or its resource group (${scope.resourceGroup ?? 'see the Azure portal'}); ask its Owner for one, or choose another tenant or catalog. Nothing was claimed.`;
        this.refused.set(scope.id, reason);
        this.error = { title: `You cannot claim boards into ${scope.name}`, message: reason };
        this.go('account');
      } else if (err instanceof ProviderNotRegisteredError) {
        this.error = { title: `Azure Sphere is not set up in ${scope.name}'s subscription`, message: `${describe(err)} Nothing was claimed.` };
        this.go('confirm');
      } else {
        this.error = { title: 'The claim did not go through', message: describe(err) };
        this.go('confirm');
      }
    }
  }

  // ---- loading -----------------------------------------------------------------------------------------------------

  private async loadAccount(preferredScopeId: string | undefined): Promise<void> {
    this.setLoading(true);
    const previousAtStart = this.scopeId;
    // What was shown stays until the new answer is in: intents arriving meanwhile (a tenant picked while a claim's
    // refresh re-reads the catalogs over ARM) still find what they name.
    let scopes: readonly FleetScope[] = [];
    let problem: ClaimView['accountProblem'] = null;
    try {
      this.account = await this.deps.account();
      if (!this.account) {
        problem = { kind: 'signedOut', title: 'Sign in to claim a board', message: 'A board is claimed into an Azure Sphere tenant or catalog of your work or school account. Sign in first.' };
      } else if (isPersonalAccountTenant(this.account.directoryId)) {
        problem = { kind: 'personal', title: 'A personal Microsoft account cannot claim boards', message: personalAccountMessage(this.account.username) };
      } else {
        scopes = await this.deps.scopes();
        if (scopes.length === 0) {
          problem = {
            kind: 'noTenants',
            title: 'You have no Azure Sphere tenant or catalog yet',
            message:
              'A board is claimed into a tenant or a catalog. Create a tenant with "Azure Sphere: Create Tenant" (it needs an attached board), create a catalog in the Azure portal, or ask an Administrator of your organization\'s tenant to give you the Contributor role.',
          };
        }
      }
    } catch (err) {
      scopes = [];
      problem =
        err instanceof Error && err.name === 'NotRegisteredError'
          ? { kind: 'notRegistered', title: 'Your account is not registered with Azure Sphere', message: `${err.message} Run "Azure Sphere: Register User" once, then refresh.` }
          : { kind: 'failed', title: 'Could not read your tenants and catalogs', message: describe(err) };
    }
    this.scopes = scopes;
    this.accountProblem = problem;
    const selected = this.scopes.length ? await this.deps.selectedTenantId().catch(() => undefined) : undefined;
    const byId = (id: string | undefined) => this.scopes.find((s) => s.id === id);
    const previous = this.scopeId;
    // A target picked while this load ran wins over the one asked for when it started.
    const picked = this.scopeId !== previousAtStart ? this.scopeId : undefined;
    this.scopeId = (byId(picked) ?? byId(preferredScopeId) ?? byId(selected) ?? this.scopes.find((s) => this.canClaim(s)) ?? this.scopes[0])?.id;
    if (this.scopeId !== previous || this.scope()?.kind === 'catalog') this.readPlacement();
    this.setLoading(false);
  }

  /** For a catalog target, reads its products (and the wanted product's groups); for a tenant, there is no placement. */
  private readPlacement(): void {
    const scope = this.scope();
    const generation = ++this.placementGeneration;
    if (scope?.kind !== 'catalog') {
      this.placement = undefined;
      this.placementLoad = Promise.resolve();
      return;
    }
    this.placement = { loading: true, products: [], productId: undefined, groups: [], groupId: undefined, error: undefined };
    this.placementLoad = this.readProducts(scope, generation);
  }

  private async readProducts(scope: FleetScope, generation: number): Promise<void> {
    let products: readonly FleetProduct[] = [];
    let error: string | undefined;
    try {
      products = await this.deps.products(scope);
    } catch (err) {
      error = `Could not read the products of ${scope.name}: ${describe(err)}`;
    }
    const placement = this.placement;
    if (generation !== this.placementGeneration || !placement) return;
    placement.products = products;
    placement.error = error;
    const wanted = products.find((p) => p.id === this.wantedPlacement.productId);
    if (wanted) {
      placement.productId = wanted.id;
      return this.readGroups(wanted.id, generation);
    }
    this.wantedPlacement = {};
    placement.loading = false;
    this.changed();
  }

  private async readGroups(productId: string, generation: number): Promise<void> {
    const scope = this.scope();
    const placement = this.placement;
    if (!scope || !placement) return;
    placement.loading = true;
    this.changed();
    let groups: readonly FleetDeviceGroup[] = [];
    let error: string | undefined;
    try {
      groups = await this.deps.deviceGroups(scope, productId);
    } catch (err) {
      error = `Could not read the device groups of that product: ${describe(err)}`;
    }
    if (generation !== this.placementGeneration || this.placement !== placement) return;
    placement.groups = groups;
    placement.error = error;
    placement.groupId = groups.find((g) => g.id === this.wantedPlacement.groupId)?.id;
    this.wantedPlacement = {};
    placement.loading = false;
    this.changed();
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
      await this.deps.claims.locate(deviceId, this.scopes, this.scopeId);
    } catch (err) {
      failed = { kind: 'failed', message: describe(err) };
    }
    if (generation !== this.generation) return;
    if (failed) this.lookups.set(deviceId, failed);
    else this.lookups.delete(deviceId);
    this.changed();
  }

  /** The target changed or the scopes reloaded: answers stay valid (they name the fleet), views recompute. */
  private revalidateLocations(): void {
    this.lookUpAll();
    this.changed();
  }

  // ---- derived facts -----------------------------------------------------------------------------------------------

  private scope(): FleetScope | undefined {
    return this.scopes.find((s) => s.id === this.scopeId);
  }

  private board(): ClaimBoard | undefined {
    return this.boards.find((b) => b.key === this.boardKey);
  }

  private accountReady(): boolean {
    return !!this.account && !this.accountProblem && this.scopes.length > 0;
  }

  private scopeCanClaim(): boolean {
    const scope = this.scope();
    return !!scope && this.canClaim(scope);
  }

  private canClaim(scope: FleetScope): boolean {
    if (scope.kind === 'catalog') return !this.refused.has(scope.id);
    return (scope.roles ?? []).some((r) => CLAIMING_ROLES.includes(r));
  }

  /** A tenant needs no placement; a catalog's is ready once read, with no product or with one of its groups chosen. */
  private placementReady(): boolean {
    const placement = this.placement;
    if (this.scope()?.kind !== 'catalog') return true;
    return !!placement && !placement.loading && (!placement.productId || !!placement.groupId);
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
    const target = this.scope();
    if (where === undefined || where === 'pending') return { standing: 'reading', text: 'Checking where it is claimed…' };
    switch (where.kind) {
      case 'failed':
        return { standing: 'unknown', text: `Could not check where it is claimed (${where.message}). The service refuses the claim if another tenant owns it.` };
      case 'otherTenant':
        return { standing: 'elsewhere', text: OTHER_TENANT };
      case 'noneOfYours':
        return { standing: 'available', text: 'Not claimed into any of your tenants or catalogs: ready to claim.' };
      case 'tenant': {
        const place = placeName(where);
        return target && inFleetOf(where, target)
          ? { standing: 'here', text: `Already claimed into ${place}${target.name === where.tenant.Name ? '' : ` (the same fleet as ${target.name})`}: there is nothing to do.` }
          : { standing: 'elsewhere', text: `Already claimed into ${place}. A claimed board can never move to another tenant, so it cannot join ${target?.name ?? 'this tenant'}.` };
      }
    }
  }

  private scopeChoice(s: FleetScope): ScopeChoice {
    const description = this.deps.describeScope(s);
    const base = { id: s.id, name: s.name, kind: s.kind, description };
    if (s.kind === 'catalog') {
      const refusal = this.refused.get(s.id);
      return refusal ? { ...base, canClaim: false, reason: refusal } : { ...base, canClaim: true };
    }
    const roles = s.roles?.length ? s.roles.join(', ') : 'no role';
    return this.canClaim(s) ? { ...base, canClaim: true } : { ...base, canClaim: false, reason: `You are ${article(roles)} here; claiming needs the Administrator or Contributor role.` };
  }

  private placementView(): PlacementView | null {
    const p = this.placement;
    if (!p || this.scope()?.kind !== 'catalog') return null;
    const item = (x: { id: string; name: string; description: string }) => ({ id: x.id, name: x.name, description: x.description });
    return { loading: p.loading, products: p.products.map(item), productId: p.productId ?? null, groups: p.groups.map(item), groupId: p.groupId ?? null, error: p.error ?? null };
  }

  private resultFor(boardName: string, deviceId: string, scope: FleetScope): NonNullable<ClaimView['result']> {
    const placement = scope.kind === 'catalog' ? this.placement : undefined;
    const product = placement?.products.find((p) => p.id === placement.productId);
    const group = placement?.groups.find((g) => g.id === placement.groupId);
    return {
      boardName,
      deviceId,
      scopeName: scope.name,
      scopeId: scope.id,
      scopeKind: scope.kind,
      ...(product && group ? { productName: product.name, groupName: group.name } : {}),
      alreadyClaimed: false,
    };
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

/** Whether a claim location is the fleet `scope` holds (a catalog integrated from a tenant is that tenant's fleet). */
function inFleetOf(where: ClaimLocation, scope: FleetScope): boolean {
  return where.kind === 'tenant' && where.tenant.Id.toLowerCase() === fleetTenantId(scope);
}

/** "Contoso Tenant", or "contoso-lab (catalog)" for a fleet the user sees only as a catalog. */
function placeName(where: ClaimLocation & { kind: 'tenant' }): string {
  return where.scope.kind === 'catalog' ? `${where.tenant.Name} (catalog)` : where.tenant.Name;
}

function article(roles: string): string {
  return /^[AEIOU]/i.test(roles) ? `an ${roles}` : `a ${roles}`;
}

/** An error as one sentence for the page: its message only (CloudApiError messages are written for people and scrubbed). */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 600 ? `${message.slice(0, 600)}…` : message;
}
