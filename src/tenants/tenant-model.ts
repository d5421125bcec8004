// What the Accounts & Tenants view and the tenant commands know: the signed-in account, the user's tenants with
// their roles, the selected tenant (remembered per account in globalState — an ID, not a secret), and whether a
// sign-in is under way. Loads on demand, caches, and says when something changed.
import * as vscode from 'vscode';
import type { FleetBackend, FleetScope } from '../cloud/backend/fleet-backend';
import type { SignInService } from '../auth/sign-in-service';
import { CloudApiError } from '../cloud/api-error';
import type { SignedInAccount } from '../cloud/sign-in-engine';
import type { Principal, Tenant } from '../cloud/sphere-api-types';
import { Disposable } from '../common/lifecycle';

export const SIGNED_IN_CONTEXT = 'sphereExplorer.signedIn';
export const TENANT_SELECTED_CONTEXT = 'sphereExplorer.tenantSelected';

/** The user is signed in but has never registered with Azure Sphere (the service answers 403 until they do). */
export class NotRegisteredError extends Error {
  constructor(readonly serverMessage: string) {
    super(serverMessage);
    this.name = 'NotRegisteredError';
  }
}

/** What kept catalogs from being listed. */
export type CatalogProblem =
  | { readonly kind: 'providerNotRegistered'; readonly subscription: { readonly id: string; readonly name: string }; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string };

export const CATALOGS_SECTION = 'sphereExplorer.catalogs';

/** The subscription and resource group catalogs are listed from (settings; empty = all the account can see). */
export function catalogLocation(): { subscriptionId?: string; resourceGroup?: string } {
  const config = vscode.workspace.getConfiguration(CATALOGS_SECTION);
  const subscriptionId = config.get<string>('subscription')?.trim() || undefined;
  const resourceGroup = (subscriptionId && config.get<string>('resourceGroup')?.trim()) || undefined;
  return { ...(subscriptionId && { subscriptionId }), ...(resourceGroup && { resourceGroup }) };
}

export class TenantModel extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidChangeDevices = this._register(new vscode.EventEmitter<void>());
  /** The tenants' device lists may have changed (a claim, a move, a refresh asked for): lists read them again. */
  readonly onDidChangeDevices = this._onDidChangeDevices.event;
  private accountCache: Promise<SignedInAccount | undefined> | undefined;
  private tenantCache: Promise<Tenant[]> | undefined;
  private catalogCache: Promise<{ catalogs: readonly FleetScope[]; problems: readonly CatalogProblem[] }> | undefined;
  private selectedId: string | undefined;

  constructor(
    private readonly signIn: SignInService,
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(signIn.onDidChangeAccounts(() => this.refresh()));
    this._register(signIn.onDidChangeSigningIn(() => this._onDidChange.fire()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(CATALOGS_SECTION)) {
          this.catalogCache = undefined;
          this._onDidChange.fire();
        }
      }),
    );
  }

  get signingIn(): boolean {
    return this.signIn.isSigningIn;
  }

  /** The signed-in account, or undefined. Does not load msal-node unless a sign-in was ever kept. */
  account(): Promise<SignedInAccount | undefined> {
    if (!this.accountCache) {
      const loading = this.signIn.getEngine().then((e) => e.currentAccount());
      this.accountCache = loading;
      loading.then(
        (a) => void vscode.commands.executeCommand('setContext', SIGNED_IN_CONTEXT, !!a),
        () => {
          if (this.accountCache === loading) this.accountCache = undefined;
        },
      );
    }
    return this.accountCache;
  }

  /** The user's tenants with their roles (cached until refresh). Throws NotRegisteredError for an unregistered user. */
  tenants(): Promise<Tenant[]> {
    this.tenantCache ??= this.loadTenants();
    this.tenantCache.catch(() => (this.tenantCache = undefined));
    return this.tenantCache;
  }

  /**
   * The Azure Sphere (Integrated) catalogs the account can see over ARM (cached until refresh): in the subscription
   * and resource group the settings name, else in every subscription. Never fails: catalogs are shown beside the
   * tenants and must not take them down — what kept some or all from being listed is in catalogListing().
   */
  catalogs(): Promise<readonly FleetScope[]> {
    return this.catalogListing().then((r) => r.catalogs);
  }

  /** The catalogs, and why some or all are missing (subscriptions without the provider, or ARM not answering). */
  catalogListing(): Promise<{ catalogs: readonly FleetScope[]; problems: readonly CatalogProblem[] }> {
    this.catalogCache ??= (async () => {
      const problems: CatalogProblem[] = [];
      const { subscriptionId, resourceGroup } = catalogLocation();
      try {
        const { catalogs } = await this.signIn.getClients();
        const found = await catalogs.listScopes({
          subscriptionId,
          resourceGroup,
          onSkipped: (subscription, reason) => {
            this.log.info(`Catalogs: subscription ${subscription.name} (${subscription.id}) skipped: ${reason.message}`);
            problems.push({ kind: 'providerNotRegistered', subscription, message: reason.message });
          },
        });
        return { catalogs: found, problems };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.log.warn(`Catalogs (Azure Sphere Integrated) could not be listed: ${message}`);
        return { catalogs: [], problems: [{ kind: 'unavailable', message }] };
      }
    })();
    return this.catalogCache;
  }

  /** The user's tenants as fleet scopes (roles kept), then the catalogs they can see. */
  async scopes(): Promise<FleetScope[]> {
    const [tenants, catalogs] = await Promise.all([this.tenants(), this.catalogs()]);
    return [...tenants.map(tenantScope), ...catalogs];
  }

  /** The model behind a scope: the security service for a tenant, Azure Resource Manager for a catalog. */
  async backendFor(scope: Pick<FleetScope, 'kind'>): Promise<FleetBackend> {
    const clients = await this.signIn.getClients();
    return scope.kind === 'catalog' ? clients.catalogs : clients.legacy;
  }

  /** The selected tenant among those loaded (a single tenant is selected by itself, as the CLI does). */
  async selectedTenant(): Promise<Tenant | undefined> {
    return this.selectedAmong(await this.tenants());
  }

  private selectedAmong(tenants: readonly Tenant[]): Tenant | undefined {
    return tenants.find((t) => t.Id === this.selectedId) ?? (tenants.length === 1 ? tenants[0] : undefined);
  }

  async selectTenant(tenant: Tenant): Promise<void> {
    const account = await this.account();
    if (!account) return;
    this.selectedId = tenant.Id;
    await this.memento.update(selectionKey(account), tenant.Id);
    this.log.info(`Selected tenant ${tenant.Name} (${tenant.Id})`);
    void vscode.commands.executeCommand('setContext', TENANT_SELECTED_CONTEXT, true);
    this._onDidChange.fire();
  }

  /** Says the device lists may be stale (e.g. the person pressed Refresh, or a device was claimed elsewhere). */
  devicesChanged(): void {
    this._onDidChangeDevices.fire();
  }

  /** The security service client (for the views that list a tenant's devices). */
  async apiClient(): Promise<import('../cloud/sphere-api-client').SphereApiClient> {
    return (await this.signIn.getClients()).api;
  }

  async users(tenantId: string): Promise<readonly Principal[]> {
    const { api } = await this.signIn.getClients();
    return (await api.listUsers(tenantId)).Principals;
  }

  async registerUser(): Promise<Principal> {
    const { api } = await this.signIn.getClients();
    const principal = await api.registerUser();
    this.refresh();
    return principal;
  }

  /** Forgets what was loaded; the views ask again. */
  refresh(): void {
    this.accountCache = undefined;
    this.tenantCache = undefined;
    this.catalogCache = undefined;
    this._onDidChange.fire();
  }

  private async loadTenants(): Promise<Tenant[]> {
    const account = await this.account();
    if (!account) return [];
    const { api } = await this.signIn.getClients();
    let tenants: Tenant[];
    try {
      tenants = await api.listTenants();
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 403 && /not registered/i.test(err.serverMessage ?? '')) {
        throw new NotRegisteredError(err.serverMessage ?? err.message);
      }
      throw err;
    }
    this.selectedId = this.memento.get<string>(selectionKey(account));
    void vscode.commands.executeCommand('setContext', TENANT_SELECTED_CONTEXT, !!this.selectedAmong(tenants));
    return tenants;
  }
}

/** A legacy tenant as a fleet scope. */
export function tenantScope(t: Tenant): FleetScope {
  return { id: t.Id, name: t.Name, kind: 'legacy', tenantId: t.Id, roles: t.Roles };
}

function selectionKey(account: SignedInAccount): string {
  return `sphereExplorer.selectedTenant.${account.id}`;
}
