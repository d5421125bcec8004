// Where a device is claimed, as far as the signed-in user can see, as data: looked up in each of their tenants and
// in each catalog (Azure Sphere Integrated) with a fleet of its own, and kept in one cache that the Devices view, the
// walkthrough's context key and the claim wizard share. Words are made only where a location is shown. A device
// claimed into a tenant the user holds no role in cannot be seen, so "none of yours" never means "unclaimed" — only
// a claim finds that out (Conflict), and then it is recorded.
import type { FleetScope } from './backend/fleet-backend';
import { toDisposable, type IDisposable } from '../common/lifecycle';

export interface TenantRef {
  /** The legacy tenant's GUID: the fleet the device is in (a catalog's own tenant for a catalog). */
  readonly Id: string;
  readonly Name: string;
}

export type ClaimLocation =
  /**
   * Claimed into one of the user's fleets. `scope` is where to act on it: the legacy tenant, or — for a catalog with
   * a tenant of its own that the user sees only over ARM — the catalog. `catalog` is the catalog the fleet is seen
   * as, when the user sees one: the scope itself, or the catalog integrated from the tenant.
   */
  | { readonly kind: 'tenant'; readonly tenant: TenantRef; readonly scope: FleetScope; readonly catalog?: FleetScope }
  /** In none of the user's tenants and catalogs: unclaimed, or claimed into a tenant they hold no role in. */
  | { readonly kind: 'noneOfYours' }
  /** Claimed into a tenant the user holds no role in (a claim was refused with Conflict). */
  | { readonly kind: 'otherTenant' };

/** `isClaimedIn(scope, deviceId)` answers from the scope's service (false for its 404). */
export type IsClaimedIn = (scope: FleetScope, deviceId: string) => Promise<boolean>;

/** The legacy tenant GUID that holds a scope's fleet: the tenant itself, or the one behind a catalog. */
export function fleetTenantId(scope: FleetScope): string {
  return (scope.kind === 'legacy' ? scope.id : (scope.tenantId ?? scope.id)).toLowerCase();
}

/** The location of a device found in `scope`, naming the catalog the same fleet is seen as among `scopes`. */
export function claimedIn(scope: FleetScope, scopes: readonly FleetScope[]): ClaimLocation & { kind: 'tenant' } {
  const fleet = fleetTenantId(scope);
  const catalog = scope.kind === 'catalog' ? scope : scopes.find((s) => s.kind === 'catalog' && fleetTenantId(s) === fleet);
  return { kind: 'tenant', tenant: { Id: scope.kind === 'legacy' ? scope.id : fleet, Name: scope.name }, scope, ...(catalog && { catalog }) };
}

/**
 * Asks each fleet once, the target's first, so the common answer ("already here") costs one request. A catalog
 * integrated from one of the listed tenants is that tenant's fleet: the tenant is asked (one cheap request) instead
 * of listing the catalog's devices over ARM.
 */
export async function findClaimLocation(
  deviceId: string,
  scopes: readonly FleetScope[],
  isClaimedIn: IsClaimedIn,
  firstScopeId?: string,
): Promise<ClaimLocation> {
  const legacyFleets = new Set(scopes.filter((s) => s.kind === 'legacy').map(fleetTenantId));
  const askable = scopes.filter((s) => s.kind === 'legacy' || !legacyFleets.has(fleetTenantId(s)));
  const first = scopes.find((s) => s.id === firstScopeId);
  const firstFleet = first && fleetTenantId(first);
  const ordered = [...askable].sort((a, b) => Number(fleetTenantId(b) === firstFleet) - Number(fleetTenantId(a) === firstFleet));
  for (const scope of ordered) {
    if (await isClaimedIn(scope, deviceId)) return claimedIn(scope, scopes);
  }
  return { kind: 'noneOfYours' };
}

/**
 * The one cache of claim locations, by upper-case device ID. Lookups in flight are shared; a failed lookup is not
 * kept (the next ask tries again); `forget()` drops everything, and answers to lookups started before it are dropped.
 */
export class ClaimLocator {
  private readonly known = new Map<string, ClaimLocation>();
  private readonly pending = new Map<string, Promise<ClaimLocation>>();
  private readonly listeners = new Set<(deviceId: string) => void>();
  private generation = 0;

  constructor(private readonly isClaimedIn: IsClaimedIn) {}

  /** The location when it is known; undefined while unknown or being looked up. */
  peek(deviceId: string): ClaimLocation | undefined {
    return this.known.get(deviceId.toUpperCase());
  }

  /** The known location, or a lookup in `scopes` (one per device at a time). */
  locate(deviceId: string, scopes: readonly FleetScope[], firstScopeId?: string): Promise<ClaimLocation> {
    const id = deviceId.toUpperCase();
    const known = this.known.get(id);
    if (known) return Promise.resolve(known);
    let lookup = this.pending.get(id);
    if (!lookup) {
      const generation = this.generation;
      lookup = findClaimLocation(deviceId, scopes, this.isClaimedIn, firstScopeId).finally(() => {
        if (this.pending.get(id) === lookup) this.pending.delete(id);
      });
      this.pending.set(id, lookup);
      void lookup.then(
        (location) => {
          if (generation === this.generation) this.set(id, location);
        },
        () => undefined,
      );
    }
    return lookup;
  }

  /** What a claim learned (claimed here, or refused because another tenant owns the device). */
  record(deviceId: string, location: ClaimLocation): void {
    this.set(deviceId.toUpperCase(), location);
  }

  /** The account, its tenants or its catalogs changed: every answer may be stale. Listeners hear of each device forgotten. */
  forget(): void {
    this.generation++;
    this.pending.clear();
    const ids = [...this.known.keys()];
    this.known.clear();
    for (const id of ids) this.notify(id);
  }

  /** Called with the upper-case device ID whose location became known or was forgotten. */
  onDidChange(listener: (deviceId: string) => void): IDisposable {
    this.listeners.add(listener);
    return toDisposable(() => void this.listeners.delete(listener));
  }

  private set(id: string, location: ClaimLocation): void {
    this.known.set(id, location);
    this.notify(id);
  }

  private notify(id: string): void {
    for (const listener of this.listeners) listener(id);
  }
}
