// Accounts & Tenants: the signed-in account, its tenants with the user's roles (the selected one marked) and its
// catalogs (Azure Sphere Integrated), and under each its fleet (fleet-nodes.ts) — a tenant's users and roles too. Nothing signed in → no nodes, so the view's welcome text invites a sign-in.
import * as vscode from 'vscode';
import { CommandId } from '../../commands/ids';
import type { Tenant } from '../../cloud/sphere-api-types';
import { Disposable } from '../../common/lifecycle';
import { NotRegisteredError, tenantScope, type CatalogProblem, type TenantModel } from '../../tenants/tenant-model';
import type { FleetScope, FleetScope as CatalogScope } from '../../cloud/backend/fleet-backend';
import type { FleetChange, FleetModel } from '../../fleet/fleet-model';
import { loadingNode, MessageNode, TreeNode } from '../tree-node';
import { groupNodeId, ImagesNode, imagesNodeId, productNodeId, ProductsNode, productsNodeId, ScopeDevicesNode, scopeDevicesNodeId, scopeNodeId, UsersNode, usersNodeId, type UpdateStatusReader } from './fleet-nodes';
import { TreeProviderBase } from '../tree-provider-base';

export const ACCOUNTS_VIEW = 'sphereExplorer.accounts';

/** What a tenant's fleet nodes read from. */
export interface FleetSource {
  readonly fleet: FleetModel;
  readonly readUpdateStatus: UpdateStatusReader;
}

export class AccountsTree extends Disposable {
  readonly provider: TreeProviderBase;
  readonly view: vscode.TreeView<TreeNode>;

  constructor(
    private readonly model: TenantModel,
    log: vscode.LogOutputChannel,
    private readonly fleetSource: FleetSource,
  ) {
    super();
    this.provider = this._register(new TreeProviderBase(() => this.roots(), log));
    this.view = this._register(vscode.window.createTreeView(ACCOUNTS_VIEW, { treeDataProvider: this.provider, showCollapseAll: true }));
    this._register(model.onDidChange(() => this.provider.refresh()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sphereExplorer.accounts.showScopes')) this.provider.refresh();
      }),
    );
    this._register(fleetSource.fleet.onDidChange((scope) => this.provider.refreshById(fleetNodeIdOf(scope))));
  }

  private async roots(): Promise<TreeNode[]> {
    if (this.model.signingIn) return [loadingNode(undefined, 'Signing in…')];
    const account = await this.model.account();
    if (!account) return [];
    return [new AccountNode(this.model, account.username, account.displayName, this.fleetSource)];
  }
}

/** The node that shows what a fleet change touched. */
function fleetNodeIdOf(change: FleetChange): string {
  switch (change.part) {
    case 'products':
      return productsNodeId(change.scope);
    case 'images':
      return imagesNodeId(change.scope);
    case 'devices':
      return scopeDevicesNodeId(change.scope);
    case 'users':
      return usersNodeId(change.scope);
    case 'tenant':
      return scopeNodeId(change.scope);
    case 'product':
      return productNodeId(change.scope, change.productId);
    case 'group':
      return groupNodeId(change.scope, change.productId, change.groupId);
  }
}

class AccountNode extends TreeNode {
  constructor(
    private readonly model: TenantModel,
    private readonly username: string,
    private readonly displayName: string,
    private readonly fleetSource: FleetSource,
  ) {
    super(`account:${username}`, undefined);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.username, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.displayName;
    item.iconPath = new vscode.ThemeIcon('account');
    item.tooltip = `Signed in to Azure Sphere as ${this.displayName} <${this.username}>`;
    item.contextValue = 'account';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const show = vscode.workspace.getConfiguration('sphereExplorer.accounts').get<string>('showScopes') ?? 'tenantsAndCatalogs';
    // Both asked at once: ARM's catalog listing (a request per subscription) must not hold up the tenants.
    const listing = show === 'tenants' ? Promise.resolve({ catalogs: [], problems: [] }) : this.model.catalogListing();
    const loaded = this.model.tenants().then(
      (tenants) => ({ tenants, notRegistered: undefined }),
      (err: unknown) => {
        if (err instanceof NotRegisteredError) return { tenants: [] as Tenant[], notRegistered: err };
        throw err;
      },
    );
    const [{ catalogs, problems }, { tenants, notRegistered }] = await Promise.all([listing, loaded]);
    const rows: TreeNode[] = [];
    if (notRegistered) {
      rows.push(
        new MessageNode(`${this.id}/register`, this, 'Not registered with Azure Sphere yet — click to register', {
          icon: new vscode.ThemeIcon('person-add'),
          tooltip: notRegistered.serverMessage,
          command: { title: 'Register', command: CommandId.registerUser },
        }),
      );
    }
    const selected = tenants.length > 0 ? await this.model.selectedTenant() : undefined;
    if (show !== 'catalogs') {
      rows.push(
        ...[...tenants]
          .sort((a, b) => a.Name.localeCompare(b.Name))
          .map((t) => new TenantNode(this.model, this, t, t.Id === selected?.Id, this.fleetSource, catalogs.filter((c) => c.tenantId?.toLowerCase() === t.Id.toLowerCase()))),
      );
    }
    rows.push(...[...catalogs].sort((a, b) => a.name.localeCompare(b.name)).map((c) => new CatalogNode(this, c, tenants.find((t) => t.Id.toLowerCase() === c.tenantId?.toLowerCase()), this.fleetSource)));
    rows.push(...problems.map((p) => catalogProblemNode(this, p)));
    if (tenants.length === 0 && catalogs.length === 0 && !notRegistered) {
      rows.unshift(
        new MessageNode(`${this.id}/no-tenants`, this, 'No tenants yet — click to create one', {
          icon: new vscode.ThemeIcon('add'),
          tooltip: 'You hold a role in no Azure Sphere tenant and can see no catalog. Create a tenant with an attached board, or ask a tenant Administrator to add you.',
          command: { title: 'Create Tenant', command: CommandId.createTenant },
        }),
      );
    }
    return rows;
  }
}

/** A row that says why catalogs are missing, and what to do about it. */
function catalogProblemNode(parent: TreeNode, problem: CatalogProblem): MessageNode {
  if (problem.kind === 'providerNotRegistered') {
    return new MessageNode(`${parent.id}/unregistered:${problem.subscription.id}`, parent, `Subscription ${problem.subscription.name} cannot hold catalogs yet — click to register Microsoft.AzureSphere`, {
      icon: new vscode.ThemeIcon('warning'),
      tooltip: problem.message,
      command: { title: 'Register the Azure Sphere resource provider', command: CommandId.registerAzureSphereProvider, arguments: [{ subscriptionId: problem.subscription.id, subscriptionName: problem.subscription.name }] },
    });
  }
  return new MessageNode(`${parent.id}/catalogs-unavailable`, parent, 'Catalogs could not be listed — click to try again', {
    icon: new vscode.ThemeIcon('warning'),
    tooltip: problem.message,
    command: { title: 'Refresh', command: CommandId.refreshAccounts },
  });
}

export class TenantNode extends TreeNode {
  constructor(
    private readonly model: TenantModel,
    parent: TreeNode,
    readonly tenant: Tenant,
    private readonly selected: boolean,
    private readonly fleetSource: FleetSource,
    /** The catalogs integrated from this tenant (Azure Sphere Integrated), for the migration note. */
    private readonly integratedAs: readonly CatalogScope[] = [],
  ) {
    super(`tenant:${tenant.Id}`, parent);
  }

  get tenantId(): string {
    return this.tenant.Id;
  }

  /** What fleet commands run on this node work on. */
  get scope(): FleetScope {
    return tenantScope(this.tenant);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.tenant.Name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const roles = this.tenant.Roles.join(', ') || 'no role';
    const integrated = this.integratedAs.map((c) => c.name).join(', ');
    item.description = [roles, this.selected ? 'selected' : undefined, integrated ? `integrated as ${integrated}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(this.selected ? 'pass-filled' : 'organization');
    item.tooltip = new vscode.MarkdownString(
      `**${this.tenant.Name}**${this.selected ? ' (selected)' : ''}\n\nTenant ID: \`${this.tenant.Id}\`\n\nYour roles: ${roles}\n\n${migrationNote(this.integratedAs)}`,
    );
    item.contextValue = this.selected ? 'tenant.selected' : 'tenant';
    return item;
  }

  override getChildren(): TreeNode[] {
    const { fleet, readUpdateStatus } = this.fleetSource;
    const scope = this.scope;
    return [new UsersNode(this, scope, this.model), new ProductsNode(this, scope, fleet, readUpdateStatus), new ImagesNode(this, scope, fleet)];
  }
}

/** Azure Sphere (Legacy) retires on this date (learn.microsoft.com/azure-sphere/product-overview/migrate-legacy-integrated). */
const LEGACY_RETIREMENT = '2027-09-27';

/** Migration help for a legacy tenant: where it was integrated, or that it was not yet. */
export function migrationNote(catalogs: readonly CatalogScope[]): string {
  if (catalogs.length === 0) {
    return `Not integrated into Azure Sphere (Integrated) yet. The legacy service retires on ${LEGACY_RETIREMENT}; integrate the tenant into a catalog in the Azure portal (learn.microsoft.com/azure-sphere/deployment/az-integrate-tenant).`;
  }
  return `Integrated into Azure Sphere (Integrated) as ${catalogs.map((c) => `catalog **${c.name}** (subscription \`${c.subscriptionId}\`, resource group \`${c.resourceGroup}\`)`).join(', ')}: the same products, devices and images.`;
}

/** An Azure Sphere (Integrated) catalog, beside the legacy tenants. */
export class CatalogNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly catalog: CatalogScope,
    /** The legacy tenant it was integrated from, when the account holds a role there. */
    private readonly fromTenant: Tenant | undefined,
    private readonly fleetSource: FleetSource,
  ) {
    super(scopeNodeId(catalog), parent);
  }

  /** What fleet commands run on this node work on. */
  get scope(): FleetScope {
    return this.catalog;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.catalog.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('azure');
    // properties.tenantId names the Azure Sphere tenant behind the catalog: a legacy tenant the account holds a role in
    // is named; any other is shown by its ID.
    const from = this.fromTenant ? `integrated from ${this.fromTenant.Name}` : this.catalog.tenantId ? `tenant ${this.catalog.tenantId.slice(0, 8)}…` : undefined;
    item.description = ['catalog', this.catalog.resourceGroup, from].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(
      `**${this.catalog.name}** — Azure Sphere (Integrated) catalog\n\nSubscription \`${this.catalog.subscriptionId}\`, resource group \`${this.catalog.resourceGroup}\`\n\n${this.fromTenant ? `Integrated from the legacy tenant ${this.fromTenant.Name}` : 'Azure Sphere tenant'} \`${this.catalog.tenantId ?? 'unknown'}\`.`,
    );
    item.contextValue = 'catalog';
    return item;
  }

  /** Its fleet over Azure Resource Manager; Azure roles (not tenant users) govern it, so there is no Users node. */
  override getChildren(): TreeNode[] {
    const { fleet, readUpdateStatus } = this.fleetSource;
    const rows: TreeNode[] = [new ProductsNode(this, this.catalog, fleet, readUpdateStatus), new ScopeDevicesNode(this, this.catalog, fleet), new ImagesNode(this, this.catalog, fleet)];
    if (this.fromTenant) {
      rows.push(
        new MessageNode(`${this.id}/same-fleet`, this, `Same fleet as tenant ${this.fromTenant.Name}, here through Azure Resource Manager`, {
          icon: new vscode.ThemeIcon('link'),
          tooltip: 'A catalog integrated from a legacy tenant holds that tenant\'s products, device groups, devices and images: a change made on either shows on both.',
        }),
      );
    }
    return rows;
  }
}
