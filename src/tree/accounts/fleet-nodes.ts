// Under each tenant and catalog in Accounts & Tenants: (tenants only) its Users with their roles, its Products →
// Device groups (OS feed, update policy, crash dumps, device count) → Deployments and Devices (a page at a time), and
// its Images — the same nodes for both, over the fleet model. Node ids derive from the scope, product, group and
// device IDs, so a refresh keeps what is expanded; a failed read becomes the provider's retry node.
import * as vscode from 'vscode';
import { currentDeployment, type FleetDeployment, type FleetDeviceGroup, type FleetImage, type FleetProduct, type FleetScope } from '../../cloud/backend/fleet-backend';
import type { Principal } from '../../cloud/sphere-api-types';
import type { ListedDevice } from '../../tenants/device-pager';
import { CommandId, InternalCommandId } from '../../commands/ids';
import type { DeviceUpdateStatus } from '../../fleet/device-update-status';
import type { FleetModel } from '../../fleet/fleet-model';
import type { TenantModel } from '../../tenants/tenant-model';
import { mapLimit } from '../../common/map-limit';
import { MessageNode, TreeNode } from '../tree-node';

/** Device-count requests in flight at once when a product's groups are drawn. */
const COUNT_CONCURRENCY = 6;
/** How long a product's group rows wait for their device counts before they are drawn without the late ones. */
const COUNT_WAIT_MS = 150;

/** The node of the tenant or catalog itself. */
export const scopeNodeId = (scope: Pick<FleetScope, 'id' | 'kind'>): string => `${scope.kind === 'catalog' ? 'catalog' : 'tenant'}:${scope.id}`;
export const usersNodeId = (scope: Pick<FleetScope, 'id' | 'kind'>): string => `${scopeNodeId(scope)}/users`;
export const productsNodeId = (scope: Pick<FleetScope, 'id' | 'kind'>): string => `${scopeNodeId(scope)}/products`;
export const productNodeId = (scope: Pick<FleetScope, 'id' | 'kind'>, productId: string): string => `${scopeNodeId(scope)}/product:${productId}`;
export const groupNodeId = (scope: Pick<FleetScope, 'id' | 'kind'>, productId: string, groupId: string): string => `${productNodeId(scope, productId)}/group:${groupId}`;
export const scopeDevicesNodeId = (scope: Pick<FleetScope, 'id' | 'kind'>): string => `${scopeNodeId(scope)}/devices`;
export const imagesNodeId = (scope: Pick<FleetScope, 'id' | 'kind'>): string => `${scopeNodeId(scope)}/images`;

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The words for a group's settings, as the portal and CLI name them. */
export function groupSettingsText(g: FleetDeviceGroup): string {
  return [g.osFeed === 'RetailEval' ? 'Retail Evaluation OS' : 'Retail OS', g.updatePolicy === 'No3rdPartyAppUpdates' ? 'no app updates' : 'all updates', g.allowCrashDumps ? 'crash dumps on' : undefined]
    .filter(Boolean)
    .join(' · ');
}

/** Something under one tenant or catalog: commands run on it know the scope (and, for a tenant, its ID). */
export abstract class FleetPartNode extends TreeNode {
  constructor(
    id: string,
    parent: TreeNode,
    readonly scope: FleetScope,
  ) {
    super(id, parent);
  }

  /** The tenant's GUID or the catalog's resource ID (what scripted callers pass as `tenantId`). */
  get tenantId(): string {
    return this.scope.id;
  }
}

export class UsersNode extends FleetPartNode {
  constructor(
    parent: TreeNode,
    scope: FleetScope,
    private readonly tenants: TenantModel,
  ) {
    super(usersNodeId(scope), parent, scope);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Users', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = 'tenantUsers';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const users = await this.tenants.users(this.scope.id);
    if (users.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No users')];
    return users.map((u) => new UserNode(this, u));
  }
}

export class UserNode extends FleetPartNode {
  constructor(
    parent: UsersNode,
    readonly user: Principal,
  ) {
    super(`${parent.id}/user:${user.PrincipalId}`, parent, parent.scope);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.user.DisplayName || this.user.Mail, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('person');
    item.description = `${this.user.Mail} · ${this.user.Roles.join(', ') || 'no role'}`;
    item.contextValue = 'tenantUser';
    return item;
  }
}

export class ProductsNode extends FleetPartNode {
  constructor(
    parent: TreeNode,
    scope: FleetScope,
    private readonly fleet: FleetModel,
    private readonly readUpdateStatus: UpdateStatusReader,
  ) {
    super(productsNodeId(scope), parent, scope);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Products', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    item.contextValue = 'products';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const products = await this.fleet.products(this.scope);
    if (products.length === 0) {
      return [
        new MessageNode(`${this.id}/none`, this, 'No products yet — Create Product…', {
          icon: new vscode.ThemeIcon('add'),
          command: { title: 'Create Product…', command: CommandId.createProduct, arguments: [{ scope: this.scope }] },
        }),
      ];
    }
    return products.map((p) => new ProductNode(this, p, this.fleet, this.readUpdateStatus));
  }
}

export class ProductNode extends FleetPartNode {
  constructor(
    parent: ProductsNode,
    readonly product: FleetProduct,
    private readonly fleet: FleetModel,
    private readonly readUpdateStatus: UpdateStatusReader,
  ) {
    super(productNodeId(parent.scope, product.id), parent, parent.scope);
  }

  get productId(): string {
    return this.product.id;
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem(this.product.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    const count = await this.fleet.productDeviceCount(this.scope, this.product.id).catch(() => undefined);
    item.description = [count === undefined ? undefined : plural(count, 'device'), this.product.description || undefined].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(`**${this.product.name}**\n\n${this.product.description}\n\n${this.scope.kind === 'catalog' ? 'Resource ID' : 'Product ID'}: \`${this.product.id}\``);
    item.contextValue = 'product';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const groups = await this.fleet.groups(this.scope, this.product.id);
    if (groups.length === 0) {
      return [
        new MessageNode(`${this.id}/none`, this, 'No device groups — Create Default Device Groups', {
          icon: new vscode.ThemeIcon('add'),
          command: { title: 'Create Default Device Groups', command: CommandId.createDefaultDeviceGroups, arguments: [{ scope: this.scope, productId: this.product.id }] },
        }),
      ];
    }
    // Every group's device count (one request each, a few at a time over kept-alive connections). The rows wait for
    // them a little, so they usually appear complete; a count that takes longer fills its row in when it arrives.
    const counts = mapLimit(groups, COUNT_CONCURRENCY, (g) => this.fleet.groupDeviceCount(this.scope, g.id).catch(() => undefined));
    await Promise.race([counts, new Promise((resolve) => setTimeout(resolve, COUNT_WAIT_MS))]);
    return groups.map((g) => new DeviceGroupNode(this, g, this.fleet, this.readUpdateStatus));
  }
}

export class DeviceGroupNode extends FleetPartNode {
  constructor(
    parent: ProductNode,
    readonly group: FleetDeviceGroup,
    private readonly fleet: FleetModel,
    readonly readUpdateStatus: UpdateStatusReader,
  ) {
    super(groupNodeId(parent.scope, parent.productId, group.id), parent, parent.scope);
  }

  get productId(): string {
    return this.group.productId;
  }

  get groupId(): string {
    return this.group.id;
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem(this.group.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    const count = this.fleet.knownGroupDeviceCount(this.scope, this.group.id);
    if (count === undefined) {
      // Not in yet: the row says so and is drawn again when the count arrives.
      void this.fleet.groupDeviceCount(this.scope, this.group.id).then(
        () => this.fleet.redraw({ scope: this.scope, part: 'group', productId: this.productId, groupId: this.group.id }),
        () => undefined,
      );
    }
    item.description = [count === undefined ? 'counting…' : plural(count, 'device'), groupSettingsText(this.group)].filter(Boolean).join(' · ');
    const deployed = this.group.currentImageIds?.length;
    const current = !this.group.hasDeployment ? 'none' : deployed !== undefined ? plural(deployed, 'image') : 'yes';
    item.tooltip = new vscode.MarkdownString(
      `**${this.group.name}**\n\n${this.group.description}\n\n${groupSettingsText(this.group)}\n\nCurrent deployment: ${current}\n\n${this.scope.kind === 'catalog' ? 'Resource ID' : 'Device group ID'}: \`${this.group.id}\``,
    );
    item.contextValue = 'deviceGroup';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const pager = await this.fleet.groupDevices(this.scope, this.group.id);
    await pager.ensureFirstPage();
    const rows: TreeNode[] = [new DeploymentsNode(this, this.fleet)];
    for (const device of pager.devices) rows.push(new FleetDeviceNode(this, device));
    if (pager.devices.length === 0) rows.push(new MessageNode(`${this.id}/none`, this, 'No devices in this group', { icon: new vscode.ThemeIcon('info') }));
    if (pager.hasMore) {
      rows.push(
        new MessageNode(`${this.id}/more`, this, 'Load more…', {
          icon: new vscode.ThemeIcon('more'),
          description: `${pager.devices.length.toLocaleString('en-US')} shown`,
          command: { title: 'Load more', command: InternalCommandId.loadMoreGroupDevices, arguments: [{ scope: this.scope, productId: this.productId, groupId: this.group.id }] },
        }),
      );
    }
    return rows;
  }
}

export class DeploymentsNode extends FleetPartNode {
  constructor(
    private readonly groupNode: DeviceGroupNode,
    private readonly fleet: FleetModel,
  ) {
    super(`${groupNode.id}/deployments`, groupNode, groupNode.scope);
  }

  get groupId(): string {
    return this.groupNode.groupId;
  }

  get productId(): string {
    return this.groupNode.productId;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Deployments', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('rocket');
    const group = this.groupNode.group;
    item.description = !group.hasDeployment ? 'none' : group.currentImageIds ? `current: ${plural(group.currentImageIds.length, 'image')}` : 'current deployment';
    item.contextValue = 'deployments';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const [deployments, images] = await Promise.all([this.fleet.deployments(this.scope, this.groupId), this.fleet.images(this.scope)]);
    if (deployments.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No deployments yet', { icon: new vscode.ThemeIcon('info') })];
    const names = new Map(images.map((i) => [i.id, i.name]));
    const current = currentDeployment(this.groupNode.group, deployments);
    return deployments.map((d) => new DeploymentNode(this, d, d === current, names));
  }
}

class DeploymentNode extends FleetPartNode {
  constructor(
    parent: DeploymentsNode,
    readonly deployment: FleetDeployment,
    private readonly current: boolean,
    private readonly imageNames: ReadonlyMap<string, string>,
  ) {
    super(`${parent.id}/${deployment.id}`, parent, parent.scope);
  }

  getTreeItem(): vscode.TreeItem {
    const images = this.deployment.imageIds.map((id) => this.imageNames.get(id) || `${id.slice(0, 8)}…`);
    const when = this.deployment.deployedAt ? new Date(this.deployment.deployedAt).toLocaleString('en-GB', { hour12: false }) : 'date unknown';
    const item = new vscode.TreeItem(images.join(', ') || 'no images', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.current ? 'pass-filled' : 'history');
    item.description = `${this.current ? 'current · ' : ''}${when}`;
    item.tooltip = `Deployment ${this.deployment.id}\nImages: ${this.deployment.imageIds.join(', ')}`;
    item.contextValue = this.current ? 'deployment.current' : 'deployment';
    return item;
  }
}

/** Reads a device's update status (targeted images, and installed ones for an attached board). */
export type UpdateStatusReader = (scope: FleetScope, deviceId: string, groupId?: string) => Promise<DeviceUpdateStatus>;

export class FleetDeviceNode extends FleetPartNode {
  constructor(
    private readonly groupNode: DeviceGroupNode,
    readonly device: ListedDevice,
  ) {
    super(`${groupNode.id}/device:${device.DeviceId}`, groupNode, groupNode.scope);
  }

  get productId(): string {
    return this.groupNode.productId;
  }

  get groupId(): string {
    return this.groupNode.groupId;
  }

  /** Targeted images, each installed / not yet / unknown. */
  override async getChildren(): Promise<TreeNode[]> {
    const status = await this.groupNode.readUpdateStatus(this.scope, this.device.DeviceId, this.groupId);
    if (status.targeted.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No images targeted (the group has no deployment, or takes no app updates)', { icon: new vscode.ThemeIcon('info') })];
    return status.targeted.map(
      ({ image, installed }) =>
        new MessageNode(`${this.id}/image:${image.id}`, this, image.name || image.id, {
          icon: new vscode.ThemeIcon(installed === true ? 'pass-filled' : installed === false ? 'sync' : 'question'),
          description: installed === true ? 'targeted · installed' : installed === false ? 'targeted · not installed yet' : 'targeted · installed unknown (not attached)',
          tooltip: `Image ${image.id} (${image.typeName})${status.attachedAs ? ` — ${status.attachedAs} is attached here` : ''}`,
          contextValue: 'targetedImage',
        }),
    );
  }

  getTreeItem(): vscode.TreeItem {
    const id = this.device.DeviceId;
    const item = new vscode.TreeItem(`${id.slice(0, 12)}…`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('circuit-board');
    item.description = this.device.LastUpdateRequestUTC ? `checked in ${new Date(this.device.LastUpdateRequestUTC).toLocaleString('en-GB', { hour12: false })}` : 'not checked in yet';
    item.tooltip = `Device ID: ${id}`;
    item.contextValue = 'fleetDevice';
    return item;
  }
}

/**
 * A catalog's claimed devices, in any device group or none, a page at a time, each with where it is (a tenant shows
 * its claimed devices in the Devices view instead). A device claimed into the catalog only is found nowhere else.
 */
export class ScopeDevicesNode extends FleetPartNode {
  constructor(
    parent: TreeNode,
    scope: FleetScope,
    private readonly fleet: FleetModel,
  ) {
    super(scopeDevicesNodeId(scope), parent, scope);
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem('Devices', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('circuit-board');
    const count = await this.fleet.scopeDeviceCount(this.scope).catch(() => undefined);
    item.description = count === undefined ? undefined : `${plural(count, 'device')} claimed`;
    item.contextValue = 'scopeDevices';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const pager = await this.fleet.scopeDevices(this.scope);
    await pager.ensureFirstPage();
    if (pager.devices.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No devices claimed yet — Claim Device…', { icon: new vscode.ThemeIcon('add'), command: { title: 'Claim Device…', command: CommandId.claimDevice } })];
    // Where each is, by name: the products (one request) and the groups of the products these devices are in.
    const products = await this.fleet.products(this.scope);
    const productIds = [...new Set(pager.devices.map((d) => d.ProductId).filter((p): p is string => !!p))];
    const groups = (await mapLimit(productIds, COUNT_CONCURRENCY, (p) => this.fleet.groups(this.scope, p).catch(() => []))).flat();
    const names = new Map<string, string>([...products.map((p) => [p.id.toLowerCase(), p.name] as const), ...groups.map((g) => [g.id.toLowerCase(), g.name] as const)]);
    const rows: TreeNode[] = pager.devices.map((d) => new ClaimedDeviceRow(this, d, names));
    if (pager.hasMore) {
      rows.push(
        new MessageNode(`${this.id}/more`, this, 'Load more…', {
          icon: new vscode.ThemeIcon('more'),
          description: `${pager.devices.length.toLocaleString('en-US')} shown`,
          command: { title: 'Load more', command: InternalCommandId.loadMoreGroupDevices, arguments: [{ scope: this.scope }] },
        }),
      );
    }
    return rows;
  }
}

class ClaimedDeviceRow extends FleetPartNode {
  constructor(
    parent: ScopeDevicesNode,
    readonly device: ListedDevice,
    private readonly names: ReadonlyMap<string, string>,
  ) {
    super(`${parent.id}/device:${device.DeviceId}`, parent, parent.scope);
  }

  get groupId(): string | undefined {
    return this.device.DeviceGroupId ?? undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const id = this.device.DeviceId;
    const item = new vscode.TreeItem(`${id.slice(0, 12)}…`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('circuit-board');
    const name = (x: string | null) => (x ? (this.names.get(x.toLowerCase()) ?? '?') : undefined);
    const where = this.device.DeviceGroupId ? `${name(this.device.ProductId)} › ${name(this.device.DeviceGroupId)}` : 'in no device group';
    item.description = [where, this.device.LastUpdateRequestUTC ? `checked in ${new Date(this.device.LastUpdateRequestUTC).toLocaleString('en-GB', { hour12: false })}` : undefined].filter(Boolean).join(' · ');
    item.tooltip = `Device ID: ${id}`;
    item.contextValue = 'fleetDevice';
    return item;
  }
}

export class ImagesNode extends FleetPartNode {
  constructor(
    parent: TreeNode,
    scope: FleetScope,
    private readonly fleet: FleetModel,
  ) {
    super(imagesNodeId(scope), parent, scope);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Images', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'images';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const images = await this.fleet.images(this.scope);
    if (images.length === 0) {
      return [
        new MessageNode(`${this.id}/none`, this, 'No images yet — Upload Image Package…', {
          icon: new vscode.ThemeIcon('cloud-upload'),
          command: { title: 'Upload Image Package…', command: CommandId.uploadImagePackage, arguments: [{ scope: this.scope }] },
        }),
      ];
    }
    return images.map((i) => new ImageNode(this, i));
  }
}

class ImageNode extends FleetPartNode {
  constructor(
    parent: ImagesNode,
    readonly image: FleetImage,
  ) {
    super(`${parent.id}/${image.id}`, parent, parent.scope);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.image.name || this.image.id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('file-binary');
    item.description = `${this.image.typeName} · component ${this.image.componentId.slice(0, 8)}…`;
    item.tooltip = new vscode.MarkdownString(`**${this.image.name}**\n\nImage ID: \`${this.image.id}\`\n\nComponent ID: \`${this.image.componentId}\`\n\nType: ${this.image.typeName}${this.image.type >= 0 ? ` (${this.image.type})` : ''}`);
    item.contextValue = 'image';
    return item;
  }
}
