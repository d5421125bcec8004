// Under each tenant in Accounts & Tenants: its Users (with roles), its Products → Device groups (OS feed, update
// policy, crash dumps, device count) → Deployments and Devices (a page at a time), and its Images. Node ids derive
// from the tenant, product, group and device IDs, so a refresh keeps what is expanded; a failed read becomes the
// provider's retry node.
import * as vscode from 'vscode';
import type { Deployment, DeviceGroup, ImageMetadata, Principal, Product } from '../../cloud/sphere-api-types';
import type { ListedDevice } from '../../tenants/device-pager';
import { OsFeedType, UpdatePolicy } from '../../cloud/sphere-api-types';
import { CommandId, InternalCommandId } from '../../commands/ids';
import type { DeviceUpdateStatus } from '../../fleet/device-update-status';
import type { FleetModel } from '../../fleet/fleet-model';
import { imageTypeName } from '../../device/image-package';
import type { TenantModel } from '../../tenants/tenant-model';
import { mapLimit } from '../../common/map-limit';
import { MessageNode, TreeNode } from '../tree-node';

/** Device-count requests in flight at once when a product's groups are drawn. */
const COUNT_CONCURRENCY = 6;
/** How long a product's group rows wait for their device counts before they are drawn without the late ones. */
const COUNT_WAIT_MS = 150;

export const usersNodeId = (tenantId: string): string => `tenant:${tenantId}/users`;
export const productsNodeId = (tenantId: string): string => `tenant:${tenantId}/products`;
export const productNodeId = (tenantId: string, productId: string): string => `tenant:${tenantId}/product:${productId}`;
export const groupNodeId = (tenantId: string, productId: string, groupId: string): string => `${productNodeId(tenantId, productId)}/group:${groupId}`;
export const imagesNodeId = (tenantId: string): string => `tenant:${tenantId}/images`;

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The words for a group's settings, as the portal and CLI name them. */
export function groupSettingsText(g: DeviceGroup): string {
  return [
    g.OsFeedType === OsFeedType.RetailEval ? 'Retail Evaluation OS' : 'Retail OS',
    g.UpdatePolicy === UpdatePolicy.No3rdPartyAppUpdates ? 'no app updates' : 'all updates',
    g.AllowCrashDumpsCollection ? 'crash dumps on' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Something under one tenant: commands run on it know the tenant. */
export abstract class TenantPartNode extends TreeNode {
  constructor(
    id: string,
    parent: TreeNode,
    readonly tenantId: string,
  ) {
    super(id, parent);
  }
}

export class UsersNode extends TenantPartNode {
  constructor(
    parent: TreeNode,
    tenantId: string,
    private readonly tenants: TenantModel,
  ) {
    super(usersNodeId(tenantId), parent, tenantId);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Users', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = 'tenantUsers';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const users = await this.tenants.users(this.tenantId);
    if (users.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No users')];
    return users.map((u) => new UserNode(this, u));
  }
}

export class UserNode extends TenantPartNode {
  constructor(
    parent: UsersNode,
    readonly user: Principal,
  ) {
    super(`${parent.id}/user:${user.PrincipalId}`, parent, parent.tenantId);
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

export class ProductsNode extends TenantPartNode {
  constructor(
    parent: TreeNode,
    tenantId: string,
    private readonly fleet: FleetModel,
    private readonly readUpdateStatus: UpdateStatusReader,
  ) {
    super(productsNodeId(tenantId), parent, tenantId);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Products', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    item.contextValue = 'products';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const products = await this.fleet.products(this.tenantId);
    if (products.length === 0) {
      return [
        new MessageNode(`${this.id}/none`, this, 'No products yet — Create Product…', {
          icon: new vscode.ThemeIcon('add'),
          command: { title: 'Create Product…', command: CommandId.createProduct, arguments: [{ tenantId: this.tenantId }] },
        }),
      ];
    }
    return products.map((p) => new ProductNode(this, p, this.fleet, this.readUpdateStatus));
  }
}

export class ProductNode extends TenantPartNode {
  constructor(
    parent: ProductsNode,
    readonly product: Product,
    private readonly fleet: FleetModel,
    private readonly readUpdateStatus: UpdateStatusReader,
  ) {
    super(productNodeId(parent.tenantId, product.Id), parent, parent.tenantId);
  }

  get productId(): string {
    return this.product.Id;
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem(this.product.Name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    const count = await this.fleet.productDeviceCount(this.tenantId, this.product.Id).catch(() => undefined);
    item.description = [count === undefined ? undefined : plural(count, 'device'), this.product.Description || undefined].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(`**${this.product.Name}**\n\n${this.product.Description ?? ''}\n\nProduct ID: \`${this.product.Id}\``);
    item.contextValue = 'product';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const groups = await this.fleet.groups(this.tenantId, this.product.Id);
    if (groups.length === 0) {
      return [
        new MessageNode(`${this.id}/none`, this, 'No device groups — Create Default Device Groups', {
          icon: new vscode.ThemeIcon('add'),
          command: { title: 'Create Default Device Groups', command: CommandId.createDefaultDeviceGroups, arguments: [{ tenantId: this.tenantId, productId: this.product.Id }] },
        }),
      ];
    }
    // Every group's device count (one request each, a few at a time over kept-alive connections). The rows wait for
    // them a little, so they usually appear complete; a count that takes longer fills its row in when it arrives.
    const counts = mapLimit(groups, COUNT_CONCURRENCY, (g) => this.fleet.groupDeviceCount(this.tenantId, g.Id).catch(() => undefined));
    await Promise.race([counts, new Promise((resolve) => setTimeout(resolve, COUNT_WAIT_MS))]);
    return groups.map((g) => new DeviceGroupNode(this, g, this.fleet, this.readUpdateStatus));
  }
}

export class DeviceGroupNode extends TenantPartNode {
  constructor(
    parent: ProductNode,
    readonly group: DeviceGroup,
    private readonly fleet: FleetModel,
    readonly readUpdateStatus: UpdateStatusReader,
  ) {
    super(groupNodeId(parent.tenantId, parent.productId, group.Id), parent, parent.tenantId);
  }

  get productId(): string {
    return this.group.ProductId;
  }

  get groupId(): string {
    return this.group.Id;
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem(this.group.Name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    const count = this.fleet.knownGroupDeviceCount(this.tenantId, this.group.Id);
    if (count === undefined) {
      // Not in yet: the row says so and is drawn again when the count arrives.
      void this.fleet.groupDeviceCount(this.tenantId, this.group.Id).then(
        () => this.fleet.redraw({ tenantId: this.tenantId, part: 'group', productId: this.productId, groupId: this.group.Id }),
        () => undefined,
      );
    }
    item.description = [count === undefined ? 'counting…' : plural(count, 'device'), groupSettingsText(this.group)].filter(Boolean).join(' · ');
    const deployed = this.group.CurrentDeployment?.DeployedImages?.length ?? 0;
    item.tooltip = new vscode.MarkdownString(
      `**${this.group.Name}**\n\n${this.group.Description ?? ''}\n\n${groupSettingsText(this.group)}\n\nCurrent deployment: ${deployed ? plural(deployed, 'image') : 'none'}\n\nDevice group ID: \`${this.group.Id}\``,
    );
    item.contextValue = 'deviceGroup';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const pager = await this.fleet.groupDevices(this.tenantId, this.group.Id);
    await pager.ensureFirstPage();
    const rows: TreeNode[] = [new DeploymentsNode(this, this.fleet)];
    for (const device of pager.devices) rows.push(new FleetDeviceNode(this, device));
    if (pager.devices.length === 0) rows.push(new MessageNode(`${this.id}/none`, this, 'No devices in this group', { icon: new vscode.ThemeIcon('info') }));
    if (pager.hasMore) {
      rows.push(
        new MessageNode(`${this.id}/more`, this, 'Load more…', {
          icon: new vscode.ThemeIcon('more'),
          description: `${pager.devices.length.toLocaleString('en-US')} shown`,
          command: { title: 'Load more', command: InternalCommandId.loadMoreGroupDevices, arguments: [{ tenantId: this.tenantId, productId: this.productId, groupId: this.group.Id }] },
        }),
      );
    }
    return rows;
  }
}

export class DeploymentsNode extends TenantPartNode {
  constructor(
    private readonly groupNode: DeviceGroupNode,
    private readonly fleet: FleetModel,
  ) {
    super(`${groupNode.id}/deployments`, groupNode, groupNode.tenantId);
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
    const current = this.groupNode.group.CurrentDeployment;
    item.description = current ? `current: ${plural(current.DeployedImages?.length ?? 0, 'image')}` : 'none';
    item.contextValue = 'deployments';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const [deployments, images] = await Promise.all([this.fleet.deployments(this.tenantId, this.groupId), this.fleet.images(this.tenantId)]);
    if (deployments.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No deployments yet', { icon: new vscode.ThemeIcon('info') })];
    const names = new Map(images.map((i) => [i.Id, i.Name]));
    const currentId = this.groupNode.group.CurrentDeployment?.Id;
    return deployments.map((d) => new DeploymentNode(this, d, d.Id === currentId, names));
  }
}

class DeploymentNode extends TenantPartNode {
  constructor(
    parent: DeploymentsNode,
    readonly deployment: Deployment,
    private readonly current: boolean,
    private readonly imageNames: ReadonlyMap<string, string>,
  ) {
    super(`${parent.id}/${deployment.Id}`, parent, parent.tenantId);
  }

  getTreeItem(): vscode.TreeItem {
    const images = (this.deployment.DeployedImages ?? []).map((id) => this.imageNames.get(id) ?? `${id.slice(0, 8)}…`);
    const when = this.deployment.DeploymentDateUtc ? new Date(this.deployment.DeploymentDateUtc).toLocaleString('en-GB', { hour12: false }) : 'date unknown';
    const item = new vscode.TreeItem(images.join(', ') || 'no images', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.current ? 'pass-filled' : 'history');
    item.description = `${this.current ? 'current · ' : ''}${when}`;
    item.tooltip = `Deployment ${this.deployment.Id}\nImages: ${(this.deployment.DeployedImages ?? []).join(', ')}`;
    item.contextValue = this.current ? 'deployment.current' : 'deployment';
    return item;
  }
}

/** Reads a device's update status (targeted images, and installed ones for an attached board). */
export type UpdateStatusReader = (tenantId: string, deviceId: string) => Promise<DeviceUpdateStatus>;

export class FleetDeviceNode extends TenantPartNode {
  constructor(
    private readonly groupNode: DeviceGroupNode,
    readonly device: ListedDevice,
  ) {
    super(`${groupNode.id}/device:${device.DeviceId}`, groupNode, groupNode.tenantId);
  }

  get productId(): string {
    return this.groupNode.productId;
  }

  get groupId(): string {
    return this.groupNode.groupId;
  }

  /** Targeted images, each installed / not yet / unknown. */
  override async getChildren(): Promise<TreeNode[]> {
    const status = await this.groupNode.readUpdateStatus(this.tenantId, this.device.DeviceId);
    if (status.targeted.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No images targeted (the group has no deployment, or takes no app updates)', { icon: new vscode.ThemeIcon('info') })];
    return status.targeted.map(
      ({ image, installed }) =>
        new MessageNode(`${this.id}/image:${image.Id}`, this, image.Name || image.Id, {
          icon: new vscode.ThemeIcon(installed === true ? 'pass-filled' : installed === false ? 'sync' : 'question'),
          description: installed === true ? 'targeted · installed' : installed === false ? 'targeted · not installed yet' : 'targeted · installed unknown (not attached)',
          tooltip: `Image ${image.Id} (${imageTypeName(image.Type)})${status.attachedAs ? ` — ${status.attachedAs} is attached here` : ''}`,
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

export class ImagesNode extends TenantPartNode {
  constructor(
    parent: TreeNode,
    tenantId: string,
    private readonly fleet: FleetModel,
  ) {
    super(imagesNodeId(tenantId), parent, tenantId);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Images', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'images';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const images = await this.fleet.images(this.tenantId);
    if (images.length === 0) {
      return [
        new MessageNode(`${this.id}/none`, this, 'No images yet — Upload Image Package…', {
          icon: new vscode.ThemeIcon('cloud-upload'),
          command: { title: 'Upload Image Package…', command: CommandId.uploadImagePackage, arguments: [{ tenantId: this.tenantId }] },
        }),
      ];
    }
    return images.map((i) => new ImageNode(this, i));
  }
}

class ImageNode extends TenantPartNode {
  constructor(
    parent: ImagesNode,
    readonly image: ImageMetadata,
  ) {
    super(`${parent.id}/${image.Id}`, parent, parent.tenantId);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.image.Name || this.image.Id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('file-binary');
    item.description = `${imageTypeName(this.image.Type)} · component ${this.image.ComponentId.slice(0, 8)}…`;
    item.tooltip = new vscode.MarkdownString(`**${this.image.Name}**\n\nImage ID: \`${this.image.Id}\`\n\nComponent ID: \`${this.image.ComponentId}\`\n\nType: ${imageTypeName(this.image.Type)} (${this.image.Type})`);
    item.contextValue = 'image';
    return item;
  }
}
