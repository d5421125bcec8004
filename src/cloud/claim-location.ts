// Where a device is claimed, as far as the signed-in user can see, as data: looked up in each of their tenants and
// kept in one cache that the Devices view, the walkthrough's context key and the claim wizard share. Words are made
// only where a location is shown. A device claimed into a tenant the user holds no role in cannot be seen, so
// "none of yours" never means "unclaimed" — only a claim finds that out (Conflict), and then it is recorded.
import { toDisposable, type IDisposable } from '../common/lifecycle';

export interface TenantRef {
  readonly Id: string;
  readonly Name: string;
}

export type ClaimLocation =
  /** Claimed into one of the user's tenants. */
  | { readonly kind: 'tenant'; readonly tenant: TenantRef }
  /** In none of the user's tenants: unclaimed, or claimed into a tenant they hold no role in. */
  | { readonly kind: 'noneOfYours' }
  /** Claimed into a tenant the user holds no role in (a claim was refused with Conflict). */
  | { readonly kind: 'otherTenant' };

/** `isInTenant(tenantId, deviceId)` answers from the service (false for its 404). */
export type IsInTenant = (tenantId: string, deviceId: string) => Promise<boolean>;

/** Asks each tenant in turn; the target tenant first, so the common answer ("already here") costs one request. */
export async function findClaimLocation(
  deviceId: string,
  tenants: readonly TenantRef[],
  isInTenant: IsInTenant,
  firstTenantId?: string,
): Promise<ClaimLocation> {
  const ordered = [...tenants].sort((a, b) => Number(b.Id === firstTenantId) - Number(a.Id === firstTenantId));
  for (const tenant of ordered) {
    if (await isInTenant(tenant.Id, deviceId)) return { kind: 'tenant', tenant };
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

  constructor(private readonly isInTenant: IsInTenant) {}

  /** The location when it is known; undefined while unknown or being looked up. */
  peek(deviceId: string): ClaimLocation | undefined {
    return this.known.get(deviceId.toUpperCase());
  }

  /** The known location, or a lookup in `tenants` (one per device at a time). */
  locate(deviceId: string, tenants: readonly TenantRef[], firstTenantId?: string): Promise<ClaimLocation> {
    const id = deviceId.toUpperCase();
    const known = this.known.get(id);
    if (known) return Promise.resolve(known);
    let lookup = this.pending.get(id);
    if (!lookup) {
      const generation = this.generation;
      lookup = findClaimLocation(deviceId, tenants, this.isInTenant, firstTenantId).finally(() => {
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

  /** The account or the tenants changed: every answer may be stale. Listeners hear of each device forgotten. */
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
