// The Azure Sphere (Integrated) side of the emulator's state: catalogs (ARM resources of type
// Microsoft.AzureSphere/catalogs), which subscriptions have the Microsoft.AzureSphere provider registered, Azure role
// assignments on ARM scopes, the ARM long-running operations, and the few ARM-only facts the legacy fleet does not
// keep (a device group's regional data boundary, who created or last changed a resource). Plain data changed only
// through `SphereCatalogs.apply`, which `State.apply` (model.ts) calls for these journal records.
//
// Every catalog is backed by a tenant of the legacy state (its `tenantId`): the products, device groups, devices,
// images, deployments and CA of a catalog ARE that tenant's (fleet-model.ts, model.ts), so the legacy API and ARM see
// the same fleet. A catalog integrated from a legacy tenant is backed by that tenant (`linked`); a catalog made in ARM
// gets a tenant of its own, which no legacy user holds a role in.
import { imageKey } from '../fleet-model';

export const ARM_ROLES = ['Owner', 'Contributor', 'Reader'] as const;
export type ArmRole = (typeof ARM_ROLES)[number];

/** The `systemData` of a resource (common-types v3): who made it and last changed it, and when. */
export interface SystemData {
  createdBy: string;
  createdByType: 'User' | 'Application';
  createdAt: string;
  lastModifiedBy: string;
  lastModifiedByType: 'User' | 'Application';
  lastModifiedAt: string;
}

export interface Catalog {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  /** The tenant whose fleet this catalog is. */
  tenantId: string;
  /** True when integrated from a legacy tenant (the tenant existed first and keeps its legacy users). */
  linked: boolean;
  systemData: SystemData;
}

export type ArmOperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

/** An ARM operation status resource (common-types OperationStatusResult) and what its result is. */
export interface ArmOperation {
  id: string;
  subscriptionId: string;
  startTime: string;
  /** For operations the emulator finished itself; those that run a fleet Operation take its state (fleetOperationId). */
  status: ArmOperationStatus;
  endTime: string | null;
  error: { code: string; message: string } | null;
  /** The legacy Operation doing the work (fleet-operations.ts), whose state this operation reports. */
  fleetOperationId: string | null;
  /** The resource the operation's result is (GET it for the final body); null when the result has no body (deletes). */
  resourceId: string | null;
  /** A result that is not a resource: e.g. a capability image `{image}`. */
  resultBody: Record<string, unknown> | null;
}

export type SphereCatalogRecord =
  | { t: 'sphereProvider'; subscriptionId: string; registrationState: 'Registered' | 'NotRegistered' }
  | { t: 'sphereCatalog'; catalog: Catalog }
  | { t: 'sphereCatalogDelete'; subscriptionId: string; resourceGroup: string; name: string }
  | { t: 'sphereRole'; scope: string; oid: string; role: ArmRole; grant: boolean }
  | { t: 'sphereOperation'; operation: ArmOperation }
  /** `systemData` of a child resource written through ARM, keyed by its resource ID. */
  | { t: 'sphereTouched'; resourceId: string; systemData: SystemData }
  | { t: 'sphereGroupBoundary'; groupId: string; regionalDataBoundary: string }
  | { t: 'sphereImageDelete'; tenantId: string; imageId: string }
  | { t: 'sphereDeploymentDelete'; groupId: string; deploymentId: string }
  /** The seed's catalogs, subscriptions' provider states and role assignments are in (arm-sphere/seed-catalogs.ts). */
  | { t: 'seededCatalogs' };

/** What the catalogs change in the rest of the state (images and deployments live in the fleet). */
export interface SphereWorld {
  readonly tenants: ReadonlyMap<string, unknown>;
  readonly fleet: {
    readonly images: Map<string, unknown>;
    readonly deployments: Map<string, { id: string }[]>;
  };
}

export function catalogKey(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${subscriptionId}|${resourceGroup}|${name}`.toLowerCase();
}

export class SphereCatalogs {
  /** catalogKey → catalog, in creation order. */
  readonly catalogs = new Map<string, Catalog>();
  /** subscription ID (lower-case) → registration state; absent = NotRegistered. */
  readonly providers = new Map<string, 'Registered' | 'NotRegistered'>();
  /** scope (lower-case resource ID) → oid → roles. */
  readonly roles = new Map<string, Map<string, Set<ArmRole>>>();
  readonly operations = new Map<string, ArmOperation>();
  /** resource ID (lower-case) → systemData. */
  readonly touched = new Map<string, SystemData>();
  /** device group ID → regionalDataBoundary other than None. */
  readonly boundaries = new Map<string, string>();
  seeded = false;

  apply(r: SphereCatalogRecord, world: SphereWorld): void {
    switch (r.t) {
      case 'sphereProvider':
        this.providers.set(r.subscriptionId.toLowerCase(), r.registrationState);
        break;
      case 'sphereCatalog':
        if (!world.tenants.has(r.catalog.tenantId)) throw new Error(`journal backs catalog ${r.catalog.name} with unknown tenant ${r.catalog.tenantId}`);
        this.catalogs.set(catalogKey(r.catalog.subscriptionId, r.catalog.resourceGroup, r.catalog.name), { ...r.catalog, tags: { ...r.catalog.tags } });
        break;
      case 'sphereCatalogDelete':
        this.catalogs.delete(catalogKey(r.subscriptionId, r.resourceGroup, r.name));
        break;
      case 'sphereRole': {
        const scope = r.scope.toLowerCase();
        const byUser = this.roles.get(scope) ?? new Map<string, Set<ArmRole>>();
        const roles = byUser.get(r.oid) ?? new Set<ArmRole>();
        if (r.grant) roles.add(r.role);
        else roles.delete(r.role);
        if (roles.size > 0) byUser.set(r.oid, roles);
        else byUser.delete(r.oid);
        this.roles.set(scope, byUser);
        break;
      }
      case 'sphereOperation':
        this.operations.set(r.operation.id, { ...r.operation });
        break;
      case 'sphereTouched':
        this.touched.set(r.resourceId.toLowerCase(), { ...r.systemData });
        break;
      case 'sphereGroupBoundary':
        if (r.regionalDataBoundary === 'None') this.boundaries.delete(r.groupId);
        else this.boundaries.set(r.groupId, r.regionalDataBoundary);
        break;
      case 'sphereImageDelete':
        world.fleet.images.delete(imageKey(r.tenantId, r.imageId));
        break;
      case 'sphereDeploymentDelete': {
        const history = world.fleet.deployments.get(r.groupId);
        if (history) {
          const kept = history.filter((d) => d.id !== r.deploymentId);
          if (kept.length > 0) world.fleet.deployments.set(r.groupId, kept);
          else world.fleet.deployments.delete(r.groupId);
        }
        break;
      }
      case 'seededCatalogs':
        this.seeded = true;
        break;
    }
  }

  catalog(subscriptionId: string, resourceGroup: string, name: string): Catalog | undefined {
    return this.catalogs.get(catalogKey(subscriptionId, resourceGroup, name));
  }

  isRegistered(subscriptionId: string): boolean {
    return this.providers.get(subscriptionId.toLowerCase()) === 'Registered';
  }

  /** The strongest role `oid` holds at `resourceId` or any scope above it (subscription, resource group, catalog). */
  roleAt(oid: string, resourceId: string): ArmRole | undefined {
    const target = resourceId.toLowerCase();
    let best: ArmRole | undefined;
    for (const [scope, byUser] of this.roles) {
      if (target !== scope && !target.startsWith(`${scope}/`)) continue;
      for (const role of byUser.get(oid) ?? []) {
        if (best === undefined || ARM_ROLES.indexOf(role) < ARM_ROLES.indexOf(best)) best = role;
      }
    }
    return best;
  }
}
