// Where a device is claimed, as far as the signed-in user can see: it is looked up in each of their tenants. A device
// claimed into a tenant they hold no role in cannot be seen, so "none of yours" never means "unclaimed" — the claim
// itself finds that out (Conflict).

export interface TenantRef {
  readonly Id: string;
  readonly Name: string;
}

export type ClaimLocation = { readonly kind: 'tenant'; readonly tenant: TenantRef } | { readonly kind: 'noneOfYours' };

/**
 * `isInTenant(tenantId, deviceId)` answers from the service (false for its 404). The target tenant is asked first:
 * the common answer ("already here") then costs one request.
 */
export async function findClaimLocation(
  deviceId: string,
  tenants: readonly TenantRef[],
  isInTenant: (tenantId: string, deviceId: string) => Promise<boolean>,
  firstTenantId?: string,
): Promise<ClaimLocation> {
  const ordered = [...tenants].sort((a, b) => Number(b.Id === firstTenantId) - Number(a.Id === firstTenantId));
  for (const tenant of ordered) {
    if (await isInTenant(tenant.Id, deviceId)) return { kind: 'tenant', tenant };
  }
  return { kind: 'noneOfYours' };
}
