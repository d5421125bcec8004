// The VS Code side's view of a fleet — a legacy tenant's or a catalog's: products, device groups with their device
// counts, each group's devices a page at a time, deployments, images. Read on demand through the scope's
// FleetBackend and kept until something changes them here (a create, a move, a deployment) or the person refreshes;
// each change says which part of the tree to redraw.
import * as vscode from 'vscode';
import type { FleetBackend, FleetDeployment, FleetDevice, FleetDeviceGroup, FleetImage, FleetProduct, FleetScope } from '../cloud/backend/fleet-backend';
import type { PageResult } from '../cloud/paging';
import { Disposable } from '../common/lifecycle';
import { DevicePager, type ListedDevice } from '../tenants/device-pager';
import type { TenantModel } from '../tenants/tenant-model';

/** What changed in a scope: its products (and everything under them), one product's groups, one group, the images. */
export type FleetChange =
  | { readonly scope: FleetScope; readonly part: 'products' | 'images' | 'users' | 'tenant' | 'devices' }
  | { readonly scope: FleetScope; readonly part: 'product'; readonly productId: string }
  | { readonly scope: FleetScope; readonly part: 'group'; readonly productId: string; readonly groupId: string };

/** Devices per page under a device group: a group of a few hundred devices shows in one or two requests. */
export const GROUP_DEVICE_PAGE_SIZE = 500;

/** What a row of a group's device keeps of a FleetDevice (the claimed-devices list's shape). */
export function listedFleetDevice(d: FleetDevice): ListedDevice {
  return { DeviceId: d.id, ProductId: d.productId ?? null, DeviceGroupId: d.groupId ?? null, LastInstalledOSVersion: d.lastInstalledOsVersion ?? null, LastUpdateRequestUTC: d.lastUpdateRequest ?? null };
}

export class FleetModel extends Disposable {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly pagers = new Map<string, DevicePager<FleetDevice>>();
  /** Device counts already read, by cache key (valid while the key is in `cache`). */
  private readonly counts = new Map<string, number>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<FleetChange>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly tenants: TenantModel) {
    super();
    this._register(tenants.onDidChange(() => this.clear()));
    this._register(tenants.onDidChangeDevices(() => this.clear()));
  }

  /** The model behind the scope (security service or Azure Resource Manager). */
  backend(scope: FleetScope): Promise<FleetBackend> {
    return this.tenants.backendFor(scope);
  }

  products(scope: FleetScope): Promise<FleetProduct[]> {
    return this.cached(`${key(scope)}products`, async () => (await this.backend(scope)).listProducts(scope));
  }

  groups(scope: FleetScope, productId: string): Promise<FleetDeviceGroup[]> {
    return this.cached(`${key(scope)}product:${productId}|groups`, async () => (await this.backend(scope)).listDeviceGroups(scope, productId));
  }

  productDeviceCount(scope: FleetScope, productId: string): Promise<number> {
    return this.cached(`${key(scope)}product:${productId}|count`, async () => (await this.backend(scope)).countDevices(scope, { productId }));
  }

  groupDeviceCount(scope: FleetScope, groupId: string): Promise<number> {
    const k = `${key(scope)}group:${groupId}|count`;
    return this.cached(k, async () => {
      const count = await (await this.backend(scope)).countDevices(scope, { groupId });
      this.counts.set(k, count);
      return count;
    });
  }

  /** The group's device count if it has been read (and not changed since); undefined otherwise. */
  knownGroupDeviceCount(scope: FleetScope, groupId: string): number | undefined {
    const k = `${key(scope)}group:${groupId}|count`;
    return this.cache.has(k) ? this.counts.get(k) : undefined;
  }

  deployments(scope: FleetScope, groupId: string): Promise<FleetDeployment[]> {
    return this.cached(`${key(scope)}group:${groupId}|deployments`, async () => (await this.backend(scope)).listDeployments(scope, groupId));
  }

  images(scope: FleetScope): Promise<FleetImage[]> {
    return this.cached(`${key(scope)}images`, async () => (await this.backend(scope)).listImages(scope));
  }

  /** The group's devices, a page at a time; kept until the group changes. */
  groupDevices(scope: FleetScope, groupId: string): Promise<DevicePager<FleetDevice>> {
    return this.pager(`${key(scope)}group:${groupId}|devices`, scope, (backend, options) => backend.listDevicePages(scope, groupId, options));
  }

  /** Every device claimed into the scope, in any group or none, a page at a time; kept until the scope changes. */
  scopeDevices(scope: FleetScope): Promise<DevicePager<FleetDevice>> {
    return this.pager(`${key(scope)}devices`, scope, (backend, options) => backend.listScopeDevicePages(scope, options));
  }

  /** How many devices are claimed into the scope (kept with its device list). */
  scopeDeviceCount(scope: FleetScope): Promise<number> {
    return this.cached(`${key(scope)}devices|count`, async () => (await this.backend(scope)).countDevices(scope));
  }

  /** Forgets what `change` covers and tells the views. */
  changed(change: FleetChange): void {
    const prefix = cachePrefix(change);
    for (const map of [this.cache, this.pagers, this.counts] as Map<string, unknown>[]) {
      for (const k of [...map.keys()]) if (k.startsWith(prefix)) map.delete(k);
    }
    // A group's device count is part of its product's rows too.
    if (change.part === 'group') this.cache.delete(`${key(change.scope)}product:${change.productId}|count`);
    this._onDidChange.fire(change);
  }

  /** Tells the views to redraw `change` without forgetting anything (a page was added). */
  redraw(change: FleetChange): void {
    this._onDidChange.fire(change);
  }

  private clear(): void {
    this.cache.clear();
    this.counts.clear();
    this.pagers.clear();
  }

  private async pager(k: string, scope: FleetScope, pages: (backend: FleetBackend, options: { maxPageSize?: number }) => AsyncIterable<PageResult<FleetDevice>>): Promise<DevicePager<FleetDevice>> {
    let pager = this.pagers.get(k);
    if (!pager) {
      const backend = await this.backend(scope);
      pager = new DevicePager((options) => pages(backend, options), GROUP_DEVICE_PAGE_SIZE, listedFleetDevice);
      this.pagers.set(k, pager);
    }
    return pager;
  }

  private cached<T>(k: string, read: () => Promise<T>): Promise<T> {
    let value = this.cache.get(k) as Promise<T> | undefined;
    if (!value) {
      value = read();
      this.cache.set(k, value);
      // A failure is not kept: the retry node reads again.
      value.catch(() => this.cache.get(k) === value && this.cache.delete(k));
    }
    return value;
  }
}

/** Cache keys start with the scope's id (a GUID or a resource ID, which has slashes but never '|'). */
function key(scope: FleetScope): string {
  return `${scope.id.toLowerCase()}|`;
}

/** The cache keys a change covers. */
function cachePrefix(change: FleetChange): string {
  switch (change.part) {
    // A product's groups, their counts, devices and deployments: group keys do not carry the product, so a product's
    // change drops all of the scope's fleet reads (they are read again as their nodes are drawn).
    case 'product':
    case 'products':
    case 'tenant':
      return key(change.scope);
    case 'images':
      return `${key(change.scope)}images`;
    case 'devices':
      return `${key(change.scope)}devices`;
    case 'users':
      return `${key(change.scope)}users`;
    case 'group':
      return `${key(change.scope)}group:${change.groupId}|`;
  }
}
