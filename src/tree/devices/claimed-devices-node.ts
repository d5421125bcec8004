// "Claimed in ‹tenant›" in the Devices view: the selected tenant's devices, a page at a time with "Load more".
import * as vscode from 'vscode';
import { InternalCommandId } from '../../commands/ids';
import type { TenantModel } from '../../tenants/tenant-model';
import { claimedDevicePages, DevicePager, type ListedDevice } from '../../tenants/device-pager';
import { MessageNode, TreeNode } from '../tree-node';

/** Extra words for a claimed device's row from other models (e.g. its IoT hub's connection state); undefined adds none. */
export type ClaimedDeviceDescriber = (deviceId: string) => string | undefined;

/** Pages one "Load more" brings. */
const LOAD_MORE_PAGES = 10;

/** Run by a "Load more" node: loads the next pages of its group and refreshes it. */
const LOAD_MORE_COMMAND = InternalCommandId.loadMoreClaimedDevices;

export class ClaimedDevicesNode extends TreeNode {
  private pager: DevicePager | undefined;
  /** The count the group's description last showed; when a page changes it, the group is redrawn once. */
  private describedCount: string | undefined;

  constructor(
    private readonly tenants: TenantModel,
    private readonly tenantId: string,
    private readonly tenantName: string,
    private readonly refresh: (node: TreeNode) => void,
    readonly describe: ClaimedDeviceDescriber = () => undefined,
  ) {
    super(`claimed:${tenantId}`, undefined);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Claimed in ${this.tenantName}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    this.describedCount = this.countText();
    item.description = this.describedCount;
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.tooltip = `Devices claimed into the tenant ${this.tenantName}`;
    item.contextValue = 'claimedDevices';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    this.pager ??= new DevicePager(claimedDevicePages(await this.tenants.apiClient(), this.tenantId));
    await this.pager.ensureFirstPage();
    if (this.countText() !== this.describedCount) queueMicrotask(() => this.refresh(this));
    const nodes: TreeNode[] = this.pager.devices.map((d) => new ClaimedDeviceNode(this, d));
    if (nodes.length === 0) {
      return [new MessageNode(`${this.id}/none`, this, 'No devices claimed into this tenant yet', { icon: new vscode.ThemeIcon('info') })];
    }
    if (this.pager.hasMore) {
      nodes.push(
        new MessageNode(`${this.id}/more`, this, 'Load more…', {
          icon: new vscode.ThemeIcon('more'),
          description: `${this.pager.devices.length} shown`,
          command: { title: 'Load more', command: LOAD_MORE_COMMAND, arguments: [this.id] },
        }),
      );
    }
    return nodes;
  }

  private countText(): string | undefined {
    return this.pager ? `${this.pager.devices.length}${this.pager.hasMore ? '+' : ''} devices` : undefined;
  }

  /** The next getChildren() reads the first page again. */
  forgetPages(): void {
    this.pager = undefined;
  }

  async loadMore(): Promise<void> {
    // The first page is a screenful, quick to show; each "Load more" then brings ten pages, so walking 10,000
    // devices takes ten clicks (and redraws), not a hundred.
    await this.pager?.loadMore(LOAD_MORE_PAGES);
    this.refresh(this);
  }
}

class ClaimedDeviceNode extends TreeNode {
  constructor(
    private readonly group: ClaimedDevicesNode,
    readonly device: ListedDevice,
  ) {
    super(`${group.id}/${device.DeviceId}`, group);
  }

  override getTreeItem(): vscode.TreeItem {
    const id = this.device.DeviceId;
    const item = new vscode.TreeItem(`${id.slice(0, 12)}…`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [this.device.LastInstalledOSVersion ? `OS ${this.device.LastInstalledOSVersion}` : undefined, this.group.describe(id)].filter(Boolean).join(' · ') || undefined;
    item.iconPath = new vscode.ThemeIcon('circuit-board');
    item.tooltip = new vscode.MarkdownString(
      `Device ID: \`${id}\`\n\nProduct: ${this.device.ProductId ?? 'none'} · Device group: ${this.device.DeviceGroupId ?? 'none'}`,
    );
    item.contextValue = 'claimedDevice';
    return item;
  }
}

/**
 * The Devices view's "Claimed in ‹tenant›" section: a group for the selected tenant when signed in, else nothing.
 * One node per tenant is kept, so pages already loaded survive the view's other refreshes.
 */
export class ClaimedDevicesSection {
  private current: ClaimedDevicesNode | undefined;

  constructor(
    private readonly tenants: TenantModel,
    private readonly refresh: (node: TreeNode) => void,
    private readonly describe?: ClaimedDeviceDescriber,
  ) {}

  /**
   * The node id of a device's row in the section (for redrawing that row alone when its description changes), or
   * undefined while the section shows no tenant.
   */
  rowIdOf(deviceId: string): string | undefined {
    return this.current ? `${this.current.id}/${deviceId.toUpperCase()}` : undefined;
  }

  /** Drops the pages read so far: the section reads the tenant's devices again. */
  reload(): void {
    this.current?.forgetPages();
    if (this.current) this.refresh(this.current);
  }

  /** The section's root node, or undefined to hide it. */
  readonly provide = async (): Promise<TreeNode | undefined> => {
    if (!(await this.tenants.account())) return (this.current = undefined);
    const tenant = await this.tenants.selectedTenant().catch(() => undefined);
    if (!tenant) return (this.current = undefined);
    if (this.current?.id !== `claimed:${tenant.Id}`) this.current = new ClaimedDevicesNode(this.tenants, tenant.Id, tenant.Name, this.refresh, this.describe);
    return this.current;
  };

  /** Registers the command "Load more" nodes run (internal: not in the palette). */
  registerLoadMoreCommand(): vscode.Disposable {
    return vscode.commands.registerCommand(LOAD_MORE_COMMAND, async (groupId: unknown) => {
      if (this.current && this.current.id === groupId) await this.current.loadMore();
    });
  }
}
