// The board a cloud command acts on, with the tenant or catalog it is claimed into: what Enable Development and the
// IoT Hub commands need before they send anything. Signed out, an unread device ID and a board in none of the user's
// tenants and catalogs are each said in words, with the next step.
import type { FleetScope } from '../cloud/backend/fleet-backend';
import type { TenantRef } from '../cloud/claim-location';
import type { ClaimStatus } from '../tenants/claim-status';
import type { TenantModel } from '../tenants/tenant-model';
import { UserFacingError } from '../common/errors';
import type { AttachedBoard } from './attached-board';
import { resolveBoard } from './board-picker';
import type { DeviceModel } from './device-model';

export interface ClaimedBoard {
  readonly board: AttachedBoard;
  /** As the board reports it (upper case). */
  readonly deviceId: string;
  /** The legacy tenant holding the board's fleet (for a catalog of its own: that catalog's tenant, named as the catalog). */
  readonly tenant: TenantRef;
  /** Where to act on the claim: the legacy tenant, or the catalog when the user sees the fleet only as a catalog. */
  readonly scope: FleetScope;
  /** The catalog the fleet is seen as, when the user sees one (the scope itself, or the one integrated from the tenant). */
  readonly catalog?: FleetScope;
}

export async function resolveClaimedBoard(
  deps: { readonly devices: DeviceModel; readonly tenants: TenantModel; readonly claims: ClaimStatus },
  arg: unknown,
  words: { readonly purpose: string; /** Ends "Sign in first (…): " and "…; only its tenant " sentences, e.g. "can issue its capability file". */ readonly whyTenant: string },
): Promise<ClaimedBoard> {
  const { devices, tenants, claims } = deps;
  const board = await resolveBoard(devices, arg, { preferSelected: true, purpose: words.purpose });
  if (!board.deviceId) await devices.reloadFacts(board.key);
  const deviceId = board.deviceId;
  if (!deviceId) throw new UserFacingError(`${board.label} has not told its device ID yet: ${board.factsError ?? 'it is still being read'}.`);
  if (!(await tenants.account())) throw new UserFacingError(`Sign in first (Azure Sphere: Sign In): only the tenant the board is claimed into ${words.whyTenant}.`);
  const location = await claims.locator.locate(deviceId, await tenants.scopes());
  if (location.kind !== 'tenant') {
    throw new UserFacingError(`${board.label} is not claimed into any of your tenants or catalogs. Claim it first (Azure Sphere: Claim Device…); only its tenant ${words.whyTenant}.`);
  }
  return { board, deviceId, tenant: location.tenant, scope: location.scope, ...(location.catalog && { catalog: location.catalog }) };
}
