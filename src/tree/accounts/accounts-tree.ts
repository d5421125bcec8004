// Accounts & Tenants: the signed-in account, its tenants with the user's roles (the selected one marked), and under
// each tenant its users and roles and its fleet (fleet-nodes.ts). Nothing signed in → no nodes, so the view's welcome text invites a sign-in.
import * as vscode from 'vscode';
import { CommandId } from '../../commands/ids';
import type { Tenant } from '../../cloud/sphere-api-types';
import { Disposable } from '../../common/lifecycle';
import { NotRegisteredError, type TenantModel } from '../../tenants/tenant-model';
import type { FleetModel, FleetScope } from '../../fleet/fleet-model';
import { loadingNode, MessageNode, TreeNode } from '../tree-node';
import { groupNodeId, ImagesNode, imagesNodeId, productNodeId, ProductsNode, productsNodeId, UsersNode, usersNodeId, type UpdateStatusReader } from './fleet-nodes';
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
function fleetNodeIdOf(scope: FleetScope): string {
  switch (scope.part) {
    case 'products':
      return productsNodeId(scope.tenantId);
    case 'images':
      return imagesNodeId(scope.tenantId);
    case 'users':
      return usersNodeId(scope.tenantId);
    case 'tenant':
      return `tenant:${scope.tenantId}`;
    case 'product':
      return productNodeId(scope.tenantId, scope.productId);
    case 'group':
      return groupNodeId(scope.tenantId, scope.productId, scope.groupId);
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
    let tenants: Tenant[];
    try {
      tenants = await this.model.tenants();
    } catch (err) {
      if (err instanceof NotRegisteredError) {
        return [
          new MessageNode(`${this.id}/register`, this, 'Not registered with Azure Sphere yet — click to register', {
            icon: new vscode.ThemeIcon('person-add'),
            tooltip: err.serverMessage,
            command: { title: 'Register', command: CommandId.registerUser },
          }),
        ];
      }
      throw err;
    }
    if (tenants.length === 0) {
      return [
        new MessageNode(`${this.id}/no-tenants`, this, 'No tenants yet — click to create one', {
          icon: new vscode.ThemeIcon('add'),
          tooltip: 'You hold a role in no Azure Sphere tenant. Create one with an attached board, or ask a tenant Administrator to add you.',
          command: { title: 'Create Tenant', command: CommandId.createTenant },
        }),
      ];
    }
    const selected = await this.model.selectedTenant();
    return [...tenants]
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((t) => new TenantNode(this.model, this, t, t.Id === selected?.Id, this.fleetSource));
  }
}

export class TenantNode extends TreeNode {
  constructor(
    private readonly model: TenantModel,
    parent: TreeNode,
    readonly tenant: Tenant,
    private readonly selected: boolean,
    private readonly fleetSource: FleetSource,
  ) {
    super(`tenant:${tenant.Id}`, parent);
  }

  get tenantId(): string {
    return this.tenant.Id;
  }

  override getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.tenant.Name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const roles = this.tenant.Roles.join(', ') || 'no role';
    item.description = this.selected ? `${roles} · selected` : roles;
    item.iconPath = new vscode.ThemeIcon(this.selected ? 'pass-filled' : 'organization');
    item.tooltip = new vscode.MarkdownString(
      `**${this.tenant.Name}**${this.selected ? ' (selected)' : ''}\n\nTenant ID: \`${this.tenant.Id}\`\n\nYour roles: ${roles}`,
    );
    item.contextValue = this.selected ? 'tenant.selected' : 'tenant';
    return item;
  }

  override getChildren(): TreeNode[] {
    const { fleet, readUpdateStatus } = this.fleetSource;
    return [new UsersNode(this, this.tenant.Id, this.model), new ProductsNode(this, this.tenant.Id, fleet, readUpdateStatus), new ImagesNode(this, this.tenant.Id, fleet)];
  }
}
