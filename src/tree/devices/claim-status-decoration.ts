// Shows on each attached board's row whether, and where, it is claimed ("claimed in Contoso Tenant", "claimed in
// contoso-lab (catalog)"); a board claimed into one of the user's tenants or catalogs is tagged `board.claimed`, so the Claim action is offered only on the others.
import type { DeviceModel } from '../../boards';
import type { ClaimLocation } from '../../cloud/claim-location';
import { combinedDisposable, type IDisposable } from '../../common/lifecycle';
import type { ClaimStatus } from '../../tenants/claim-status';
import type { DevicesView } from './devices-view';

/** The words a board's row shows for its claim location. */
export function claimLabel(location: ClaimLocation): string {
  switch (location.kind) {
    case 'tenant':
      return location.scope.kind === 'catalog' ? `claimed in ${location.scope.name} (catalog)` : `claimed in ${location.tenant.Name}`;
    case 'noneOfYours':
      return 'not in your tenants';
    case 'otherTenant':
      return 'claimed in another tenant';
  }
}

export function decorateBoardsWithClaimStatus(view: DevicesView, devices: DeviceModel, claims: ClaimStatus): IDisposable {
  const decoration = view.addBoardDecoration((board) => {
    const location = board.deviceId ? claims.locationFor(board.deviceId) : undefined;
    if (!location) return undefined;
    return { text: claimLabel(location), contextTag: location.kind === 'tenant' ? 'claimed' : undefined };
  });
  const redraw = claims.onDidChange((deviceId) => {
    for (const board of devices.boards) {
      if (board.deviceId?.toUpperCase() === deviceId) decoration.redraw(board.key);
    }
  });
  return combinedDisposable(decoration, redraw);
}
