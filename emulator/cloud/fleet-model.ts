// The fleet side of the emulator's state: products, their device groups, which group each claimed device is in,
// images, deployments, the operations still running, the boards' update checks and the error-report events
// (docs/cloud-api.md#products-and-device-groups). Plain data changed only through `Fleet.apply`, which `State.apply`
// calls for the fleet's journal records, so a restart rebuilds exactly what was acknowledged.
// Records are upserts keyed by ID ('product', 'deviceGroup') so renaming or re-describing is the same record again.
// Work the service does as an Operation is two records: 'fleetOperation' when it starts (what it will do, as plain
// data) and 'fleetOperationEnd' when it is over; only a Complete end applies the work, so replay needs no timers.
import type { Operation } from './model';

/** Public API enums of DeviceGroupV2 (learn.microsoft.com/rest/api/azure-sphere/device-group/create). */
export const OsFeedType = { Retail: 0, RetailEval: 1 } as const;
export const UpdatePolicy = { UpdateAll: 0, No3rdPartyAppUpdates: 1 } as const;

/** What the error report keeps per tenant: a report holds at most 1,000 events (learn.microsoft.com/azure-sphere/deployment/interpret-error-data). */
export const MAX_EVENTS_PER_TENANT = 1000;

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

/** An image package uploaded to a tenant; its bytes are in the image store (fleet-image-store.ts). */
export interface FleetImage {
  id: string;
  tenantId: string;
  componentId: string;
  name: string;
  imageType: number;
  sizeBytes: number;
  /** SHA-256 of the package, lower-case hex: what a board checks the downloaded bytes against. */
  sha256: string;
  uploadedUtc: string;
  /** The ImageUpload Operation that brought it: what a second upload of the same image is answered with. */
  operationId: string;
}

export interface Deployment {
  id: string;
  tenantId: string;
  groupId: string;
  imageIds: string[];
  deployedUtc: string;
}

/** An image a board says it has installed. */
export interface InstalledImage {
  imageId: string;
  componentId: string;
}

/** A board's last update check (POST /v2/devices/{id}/updatecheck). */
export interface CheckIn {
  at: string;
  installedImages: InstalledImage[];
}

/** One line of the error report (GET …/getDeviceInsights), as the tenant keeps it. */
export interface InsightEvent {
  deviceId: string;
  description: string;
  eventCategory: string;
  eventClass: string;
  eventType: string;
  eventCount: number;
  startTimestampInUnix: number;
  endTimestampInUnix: number;
}

/** A kept event and its place in the tenant's report: a sequence number that only grows (continuation tokens use it). */
export interface StoredEvent extends InsightEvent {
  seq: number;
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

/**
 * What an Operation does, as data. A product exists from the start of its CreateProduct (so a client that lost the
 * answer finds it by name); its default groups, a deletion, a deployment and an uploaded image take effect at a
 * Complete end.
 */
export type FleetWork =
  | { kind: 'createProduct'; product: Product; /** IDs for DEFAULT_DEVICE_GROUPS, in order; null without CreateDefaultGroups. */ defaultGroupIds: string[] | null }
  | { kind: 'deleteProduct'; tenantId: string; productId: string }
  | { kind: 'deleteDeviceGroup'; tenantId: string; groupId: string }
  | { kind: 'deploy'; deployment: Deployment }
  | { kind: 'imageUpload'; image: FleetImage };

export type FleetRecord =
  | { t: 'product'; product: Product }
  | { t: 'deviceGroup'; group: DeviceGroup }
  | { t: 'deviceMove'; tenantId: string; deviceId: string; groupId: string; operation: Operation }
  /** An Operation starts (State 1): `work` is what it will do. */
  | { t: 'fleetOperation'; operation: Operation; work: FleetWork }
  /** It is over: State 2 applies its work, State 3 (with Error) leaves everything as it was. */
  | { t: 'fleetOperationEnd'; operation: Operation }
  /** The bulk seed: devices deviceOrder[from … from+count) of the tenant go to groupIds[i % groupIds.length]; one record for any count. */
  | { t: 'bulkPlacement'; tenantId: string; groupIds: string[]; from: number; count: number }
  | { t: 'deviceCheckIn'; deviceId: string; at: string; installedImages: InstalledImage[] }
  | { t: 'deviceEvents'; tenantId: string; events: InsightEvent[] }
  /** The seed's error-report events are in (seed.ts). */
  | { t: 'seededInsights' };

/** What the fleet reads of the rest of the state to check a record: who holds which device. */
export interface FleetWorld {
  readonly claims: ReadonlyMap<string, string>;
  readonly tenants: ReadonlyMap<string, { readonly deviceOrder: readonly string[] }>;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class Fleet {
  /** In creation order (lists keep it). */
  readonly products = new Map<string, Product>();
  /** In creation order (lists keep it). */
  readonly groups = new Map<string, DeviceGroup>();
  /** deviceId (upper-case) → device group ID; a claimed device missing here is in no product. */
  readonly placement = new Map<string, string>();
  /** `${tenantId}/${imageId}` → image, in upload order. */
  readonly images = new Map<string, FleetImage>();
  /** Group ID → its deployments, oldest first; the last is the group's current deployment. */
  readonly deployments = new Map<string, Deployment[]>();
  /** Operations that started and have not ended: operation ID → its work. */
  readonly pending = new Map<string, { operation: Operation; work: FleetWork }>();
  /** deviceId (upper-case) → its last update check. */
  readonly checkIns = new Map<string, CheckIn>();
  /** tenantId → the error-report events kept, oldest first (at most MAX_EVENTS_PER_TENANT). */
  readonly events = new Map<string, StoredEvent[]>();
  private readonly nextEventSeq = new Map<string, number>();
  seededInsights = false;

  /** Applies one fleet record; throws when it contradicts the state (the journal is then not ours to guess at). */
  apply(r: FleetRecord, world?: FleetWorld): void {
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
      case 'fleetOperation':
        if (this.pending.has(r.operation.OperationId)) throw new Error(`journal starts operation ${r.operation.OperationId} twice`);
        if (!world?.tenants.has(r.operation.TenantId)) throw new Error(`journal starts operation ${r.operation.OperationId} in unknown tenant ${r.operation.TenantId}`);
        this.pending.set(r.operation.OperationId, { operation: r.operation, work: r.work });
        if (r.work.kind === 'createProduct') this.apply({ t: 'product', product: r.work.product });
        break;
      case 'fleetOperationEnd': {
        const started = this.pending.get(r.operation.OperationId);
        if (!started) throw new Error(`journal ends operation ${r.operation.OperationId}, which never started`);
        this.pending.delete(r.operation.OperationId);
        if (r.operation.State === 2) this.complete(started.work);
        break;
      }
      case 'bulkPlacement': {
        const order = world?.tenants.get(r.tenantId)?.deviceOrder;
        if (!order || r.from < 0 || r.from + r.count > order.length) throw new Error(`journal places devices the tenant ${r.tenantId} does not hold`);
        const groups = r.groupIds.map((id) => this.groups.get(id));
        if (groups.length === 0 || groups.some((g) => !g || g.tenantId !== r.tenantId)) throw new Error(`journal places devices in groups not of tenant ${r.tenantId}`);
        for (let i = r.from; i < r.from + r.count; i++) this.placement.set(order[i]!, r.groupIds[i % r.groupIds.length]!);
        break;
      }
      case 'deviceCheckIn':
        if (!world?.claims.has(r.deviceId)) throw new Error(`journal records an update check of unclaimed device ${r.deviceId}`);
        this.checkIns.set(r.deviceId, { at: r.at, installedImages: r.installedImages.map((i) => ({ ...i })) });
        break;
      case 'deviceEvents': {
        if (!world?.tenants.has(r.tenantId)) throw new Error(`journal records events of unknown tenant ${r.tenantId}`);
        const kept = this.events.get(r.tenantId) ?? [];
        let seq = this.nextEventSeq.get(r.tenantId) ?? 0;
        for (const e of r.events) kept.push({ ...e, seq: seq++ });
        this.nextEventSeq.set(r.tenantId, seq);
        // The oldest go first: a report holds at most 1,000 events.
        if (kept.length > MAX_EVENTS_PER_TENANT) kept.splice(0, kept.length - MAX_EVENTS_PER_TENANT);
        this.events.set(r.tenantId, kept);
        break;
      }
      case 'seededInsights':
        this.seededInsights = true;
        break;
    }
  }

  /** The effect of an operation that completed. */
  private complete(work: FleetWork): void {
    switch (work.kind) {
      case 'createProduct': {
        const product = this.products.get(work.product.id);
        if (!product || !work.defaultGroupIds) return;
        for (const g of this.defaultGroupsToAdd(product, work.defaultGroupIds)) this.groups.set(g.id, g);
        return;
      }
      case 'deleteProduct':
        for (const g of this.groupsOf(work.productId)) this.removeGroup(g.id);
        this.products.delete(work.productId);
        return;
      case 'deleteDeviceGroup':
        this.removeGroup(work.groupId);
        return;
      case 'deploy': {
        if (!this.groups.has(work.deployment.groupId)) throw new Error(`journal completes a deployment to unknown group ${work.deployment.groupId}`);
        const history = this.deployments.get(work.deployment.groupId) ?? [];
        history.push({ ...work.deployment, imageIds: [...work.deployment.imageIds] });
        this.deployments.set(work.deployment.groupId, history);
        return;
      }
      case 'imageUpload':
        this.images.set(imageKey(work.image.tenantId, work.image.id), { ...work.image });
        return;
    }
  }

  /** The default groups the product lacks (by name), each with its ID from `ids` (DEFAULT_DEVICE_GROUPS order). */
  defaultGroupsToAdd(product: Product, ids: readonly string[]): DeviceGroup[] {
    const have = this.groupsOf(product.id);
    return DEFAULT_DEVICE_GROUPS.flatMap((template, i) =>
      have.some((g) => sameName(g.name, template.name)) ? [] : [{ ...template, id: ids[i]!, tenantId: product.tenantId, productId: product.id }],
    );
  }

  private removeGroup(groupId: string): void {
    for (const [, id] of this.placement) {
      if (id === groupId) throw new Error(`journal deletes device group ${groupId}, which still holds devices`);
    }
    this.groups.delete(groupId);
    this.deployments.delete(groupId);
  }

  productsOf(tenantId: string): Product[] {
    return [...this.products.values()].filter((p) => p.tenantId === tenantId);
  }

  productByName(tenantId: string, name: string): Product | undefined {
    return this.productsOf(tenantId).find((p) => sameName(p.name, name));
  }

  groupsOf(productId: string): DeviceGroup[] {
    return [...this.groups.values()].filter((g) => g.productId === productId);
  }

  groupsOfTenant(tenantId: string): DeviceGroup[] {
    return [...this.groups.values()].filter((g) => g.tenantId === tenantId);
  }

  groupByName(productId: string, name: string): DeviceGroup | undefined {
    return this.groupsOf(productId).find((g) => sameName(g.name, name));
  }

  /** The device's group, if it is in one. */
  groupOf(deviceId: string): DeviceGroup | undefined {
    const id = this.placement.get(deviceId);
    return id === undefined ? undefined : this.groups.get(id);
  }

  /** How many devices each of these groups holds (one pass over the placements). */
  deviceCounts(groupIds: Iterable<string>): Map<string, number> {
    const counts = new Map<string, number>();
    for (const id of groupIds) counts.set(id, 0);
    for (const [, id] of this.placement) {
      const n = counts.get(id);
      if (n !== undefined) counts.set(id, n + 1);
    }
    return counts;
  }

  deviceCount(groupId: string): number {
    return this.deviceCounts([groupId]).get(groupId) ?? 0;
  }

  currentDeployment(groupId: string): Deployment | undefined {
    return this.deployments.get(groupId)?.at(-1);
  }

  image(tenantId: string, imageId: string): FleetImage | undefined {
    return this.images.get(imageKey(tenantId, imageId));
  }

  imagesOf(tenantId: string): FleetImage[] {
    return [...this.images.values()].filter((i) => i.tenantId === tenantId);
  }

  /** A running operation whose work matches, e.g. an upload of the same image still in progress. */
  pendingWhere(predicate: (work: FleetWork, operation: Operation) => boolean): Operation | undefined {
    for (const { operation, work } of this.pending.values()) if (predicate(work, operation)) return operation;
    return undefined;
  }
}

export function imageKey(tenantId: string, imageId: string): string {
  return `${tenantId}/${imageId}`;
}

/** `Product` as the legacy v2 API sends it. */
export function productV2(p: Product): Record<string, unknown> {
  return { Id: p.id, TenantId: p.tenantId, Name: p.name, Description: p.description };
}

/** `Deployment` as the legacy v2 API sends it (learn.microsoft.com/rest/api/azure-sphere/deployments/list). */
export function deploymentV2(d: Deployment): Record<string, unknown> {
  return { Id: d.id, TenantId: d.tenantId, DeployedImages: [...d.imageIds], DeploymentDateUtc: d.deployedUtc };
}

/** `DeviceGroupV2` as the legacy v2 API sends it, with its current deployment (null before the first). */
export function deviceGroupV2(g: DeviceGroup, current?: Deployment): Record<string, unknown> {
  return {
    Id: g.id,
    TenantId: g.tenantId,
    OsFeedType: g.osFeedType,
    ProductId: g.productId,
    Name: g.name,
    Description: g.description,
    CurrentDeployment: current ? deploymentV2(current) : null,
    UpdatePolicy: g.updatePolicy,
    AllowCrashDumpsCollection: g.allowCrashDumpsCollection,
  };
}

/**
 * `ImageMetadata` as the legacy v2 API sends it (learn.microsoft.com/rest/api/azure-sphere/image/get-metadata):
 * `ImageType` is the deprecated twin of `Type`; the service sends both. Packages carry no description.
 */
export function imageMetadataV2(i: FleetImage): Record<string, unknown> {
  return { Id: i.id, Name: i.name, ComponentId: i.componentId, Description: null, ImageType: i.imageType, Type: i.imageType };
}

/** One error-report line as the service sends it (learn.microsoft.com/rest/api/azure-sphere/error-reporting/list). */
export function insightV2(e: InsightEvent): Record<string, unknown> {
  return {
    DeviceId: e.deviceId,
    Description: e.description,
    EventCategory: e.eventCategory,
    EventClass: e.eventClass,
    EventType: e.eventType,
    EventCount: e.eventCount,
    StartTimestampInUnix: e.startTimestampInUnix,
    EndTimestampInUnix: e.endTimestampInUnix,
  };
}
