// The fleet side of the emulator's state: products, their device groups, and which group each claimed device is in
// (docs/cloud-api.md#products-and-device-groups). Plain data changed only through `Fleet.apply`, which `State.apply`
// calls for the fleet's journal records, so a restart rebuilds exactly what was acknowledged.
// Records are upserts keyed by ID ('product', 'deviceGroup') so renaming or re-describing later is the same record
// again; deleting would be a record of its own.
import type { Operation } from './model';

/** Public API enums of DeviceGroupV2 (learn.microsoft.com/rest/api/azure-sphere/device-group/create). */
export const OsFeedType = { Retail: 0, RetailEval: 1 } as const;
export const UpdatePolicy = { UpdateAll: 0, No3rdPartyAppUpdates: 1 } as const;

export interface Product {
  id: string;
  tenantId: string;
  name: string;
  description: string;
}

export interface DeviceGroup {
  id: string;
  tenantId: string;
  productId: string;
  name: string;
  description: string;
  osFeedType: number;
  updatePolicy: number;
  allowCrashDumpsCollection: boolean;
}

/**
 * The groups `azsphere product create` makes by default
 * (learn.microsoft.com/azure-sphere/deployment/manage-device-groups): Development takes no cloud app updates, so
 * sideloaded apps stay; the OS Evaluation groups get the Retail Evaluation OS feed.
 */
export const DEFAULT_DEVICE_GROUPS: readonly Omit<DeviceGroup, 'id' | 'tenantId' | 'productId'>[] = [
  { name: 'Development', description: 'Default development device group', osFeedType: OsFeedType.Retail, updatePolicy: UpdatePolicy.No3rdPartyAppUpdates, allowCrashDumpsCollection: false },
  { name: 'Field Test', description: 'Default test device group', osFeedType: OsFeedType.Retail, updatePolicy: UpdatePolicy.UpdateAll, allowCrashDumpsCollection: false },
  { name: 'Production', description: 'Default production device group', osFeedType: OsFeedType.Retail, updatePolicy: UpdatePolicy.UpdateAll, allowCrashDumpsCollection: false },
  { name: 'Production OS Evaluation', description: 'Default Production OS Evaluation device group', osFeedType: OsFeedType.RetailEval, updatePolicy: UpdatePolicy.UpdateAll, allowCrashDumpsCollection: false },
  { name: 'Field Test OS Evaluation', description: 'Default Field Test OS Evaluation device group', osFeedType: OsFeedType.RetailEval, updatePolicy: UpdatePolicy.UpdateAll, allowCrashDumpsCollection: false },
];

export type FleetRecord =
  | { t: 'product'; product: Product }
  | { t: 'deviceGroup'; group: DeviceGroup }
  | { t: 'deviceMove'; tenantId: string; deviceId: string; groupId: string; operation: Operation };

export class Fleet {
  /** In creation order (lists keep it). */
  readonly products = new Map<string, Product>();
  /** In creation order (lists keep it). */
  readonly groups = new Map<string, DeviceGroup>();
  /** deviceId (upper-case) → device group ID; a claimed device missing here is in no product. */
  readonly placement = new Map<string, string>();

  /** Applies one fleet record; throws when it contradicts the state (the journal is then not ours to guess at). */
  apply(r: FleetRecord): void {
    switch (r.t) {
      case 'product': {
        const existing = this.products.get(r.product.id);
        if (existing && existing.tenantId !== r.product.tenantId) throw new Error(`invariant broken: product ${r.product.id} changes tenant`);
        this.products.set(r.product.id, { ...r.product });
        break;
      }
      case 'deviceGroup': {
        const product = this.products.get(r.group.productId);
        if (!product || product.tenantId !== r.group.tenantId) throw new Error(`journal puts group ${r.group.id} in unknown product ${r.group.productId}`);
        this.groups.set(r.group.id, { ...r.group });
        break;
      }
      case 'deviceMove': {
        const group = this.groups.get(r.groupId);
        if (!group || group.tenantId !== r.tenantId) throw new Error(`journal moves device ${r.deviceId} to unknown group ${r.groupId}`);
        this.placement.set(r.deviceId, r.groupId);
        break;
      }
    }
  }

  productsOf(tenantId: string): Product[] {
    return [...this.products.values()].filter((p) => p.tenantId === tenantId);
  }

  groupsOf(productId: string): DeviceGroup[] {
    return [...this.groups.values()].filter((g) => g.productId === productId);
  }

  /** The device's group, if it is in one. */
  groupOf(deviceId: string): DeviceGroup | undefined {
    const id = this.placement.get(deviceId);
    return id === undefined ? undefined : this.groups.get(id);
  }
}

/** `Product` as the legacy v2 API sends it. */
export function productV2(p: Product): Record<string, unknown> {
  return { Id: p.id, TenantId: p.tenantId, Name: p.name, Description: p.description };
}

/** `DeviceGroupV2` as the legacy v2 API sends it; no deployments yet, so CurrentDeployment is null. */
export function deviceGroupV2(g: DeviceGroup): Record<string, unknown> {
  return {
    Id: g.id,
    TenantId: g.tenantId,
    OsFeedType: g.osFeedType,
    ProductId: g.productId,
    Name: g.name,
    Description: g.description,
    CurrentDeployment: null,
    UpdatePolicy: g.updatePolicy,
    AllowCrashDumpsCollection: g.allowCrashDumpsCollection,
  };
}
