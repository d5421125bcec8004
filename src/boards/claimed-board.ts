// The board a cloud command acts on, with the tenant it is claimed into: what Enable Development and the IoT Hub
// commands need before they send anything. Signed out, an unread device ID and a board in none of the user's tenants
// are each said in words, with the next step.
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
  readonly tenant: TenantRef;
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
  const location = await claims.locator.locate(deviceId, await tenants.tenants());
  if (location.kind !== 'tenant') {
    throw new UserFacingError(`${board.label} is not claimed into any of your tenants. Claim it first (Azure Sphere: Claim Device…); only its tenant ${words.whyTenant}.`);
  }
  return { board, deviceId, tenant: location.tenant };
}
