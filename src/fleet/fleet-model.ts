// The VS Code side's view of a tenant's fleet: products, device groups with their device counts, each group's devices
// a page at a time, deployments, images. Read on demand and kept until something changes them here (a create, a
// move, a deployment) or the person refreshes; each change says which part of the tree to redraw.
import * as vscode from 'vscode';
import type { SphereApiClient } from '../cloud/sphere-api-client';
import type { Deployment, DeviceGroup, ImageMetadata, Product } from '../cloud/sphere-api-types';
import { Disposable } from '../common/lifecycle';
import { DevicePager } from '../tenants/device-pager';
import type { TenantModel } from '../tenants/tenant-model';

/** What changed: a tenant's products (and everything under them), one product's groups, one group, the images. */
export type FleetScope =
  | { readonly tenantId: string; readonly part: 'products' | 'images' | 'users' | 'tenant' }
  | { readonly tenantId: string; readonly part: 'product'; readonly productId: string }
  | { readonly tenantId: string; readonly part: 'group'; readonly productId: string; readonly groupId: string };

/** Devices per page under a device group: a group of a few hundred devices shows in one or two requests. */
export const GROUP_DEVICE_PAGE_SIZE = 500;

export class FleetModel extends Disposable {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly pagers = new Map<string, DevicePager>();
  /** Device counts already read, by cache key (valid while the key is in `cache`). */
  private readonly counts = new Map<string, number>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<FleetScope>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly tenants: TenantModel) {
    super();
    this._register(tenants.onDidChange(() => this.clear()));
    this._register(tenants.onDidChangeDevices(() => this.clear()));
  }

  api(): Promise<SphereApiClient> {
    return this.tenants.apiClient();
  }

  products(tenantId: string): Promise<Product[]> {
    return this.cached(`${tenantId}/products`, async () => (await this.api()).listProducts(tenantId));
  }

  groups(tenantId: string, productId: string): Promise<DeviceGroup[]> {
    return this.cached(`${tenantId}/product:${productId}/groups`, async () => (await this.api()).listDeviceGroups(tenantId, productId));
  }

  productDeviceCount(tenantId: string, productId: string): Promise<number> {
    return this.cached(`${tenantId}/product:${productId}/count`, async () => (await this.api()).countDevicesInProduct(tenantId, productId));
  }

  groupDeviceCount(tenantId: string, groupId: string): Promise<number> {
    const key = `${tenantId}/group:${groupId}/count`;
    return this.cached(key, async () => {
      const count = await (await this.api()).countDevicesInGroup(tenantId, groupId);
      this.counts.set(key, count);
      return count;
    });
  }

  /** The group's device count if it has been read (and not changed since); undefined otherwise. */
  knownGroupDeviceCount(tenantId: string, groupId: string): number | undefined {
    const key = `${tenantId}/group:${groupId}/count`;
    return this.cache.has(key) ? this.counts.get(key) : undefined;
  }

  deployments(tenantId: string, groupId: string): Promise<Deployment[]> {
    return this.cached(`${tenantId}/group:${groupId}/deployments`, async () => (await this.api()).listDeployments(tenantId, groupId));
  }

  images(tenantId: string): Promise<ImageMetadata[]> {
    return this.cached(`${tenantId}/images`, async () => (await this.api()).listImages(tenantId));
  }

  /** The group's devices, a page at a time; kept until the group changes. */
  async groupDevices(tenantId: string, groupId: string): Promise<DevicePager> {
    const key = `${tenantId}/group:${groupId}/devices`;
    let pager = this.pagers.get(key);
    if (!pager) {
      const api = await this.api();
      pager = new DevicePager((options) => api.listDevicesInGroupPages(tenantId, groupId, options), GROUP_DEVICE_PAGE_SIZE);
      this.pagers.set(key, pager);
    }
    return pager;
  }

  /** Forgets what `scope` covers and tells the views. */
  changed(scope: FleetScope): void {
    const prefix = cachePrefix(scope);
    for (const map of [this.cache, this.pagers, this.counts] as Map<string, unknown>[]) {
      for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
    }
    // A group's device count is part of its product's rows too.
    if (scope.part === 'group') this.cache.delete(`${scope.tenantId}/product:${scope.productId}/count`);
    this._onDidChange.fire(scope);
  }

  /** Tells the views to redraw `scope` without forgetting anything (a page was added). */
  redraw(scope: FleetScope): void {
    this._onDidChange.fire(scope);
  }

  private clear(): void {
    this.cache.clear();
    this.counts.clear();
    this.pagers.clear();
  }

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = this.cache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = read();
      this.cache.set(key, value);
      // A failure is not kept: the retry node reads again.
      value.catch(() => this.cache.get(key) === value && this.cache.delete(key));
    }
    return value;
  }
}

/** The cache keys a change covers. */
function cachePrefix(scope: FleetScope): string {
  switch (scope.part) {
    case 'products':
    case 'tenant':
      return `${scope.tenantId}/`;
    case 'images':
      return `${scope.tenantId}/images`;
    case 'users':
      return `${scope.tenantId}/users`;
    case 'product':
      // A product's groups, their counts, devices and deployments: group keys do not carry the product, so all of the
      // tenant's fleet reads are dropped (they are read again as their nodes are drawn).
      return `${scope.tenantId}/`;
    case 'group':
      return `${scope.tenantId}/group:${scope.groupId}/`;
  }
}
