// Shows on each attached board's row whether, and where, it is claimed ("claimed in Contoso Tenant"); a board claimed
// into one of the user's tenants is tagged `board.claimed`, so the Claim action is offered only on the others.
import type { DeviceModel } from '../../boards';
import { combinedDisposable, type IDisposable } from '../../common/lifecycle';
import { CLAIMED_IN, type ClaimStatus } from '../../tenants/claim-status';
import type { DevicesView } from './devices-view';

export function decorateBoardsWithClaimStatus(view: DevicesView, devices: DeviceModel, claims: ClaimStatus): IDisposable {
  const decoration = view.addBoardDecoration((board) => {
    const text = board.deviceId ? claims.labelFor(board.deviceId) : undefined;
    if (!text) return undefined;
    return { text, contextTag: text.startsWith(CLAIMED_IN) ? 'claimed' : undefined };
  });
  const redraw = claims.onDidChange((deviceId) => {
    for (const board of devices.boards) {
      if (board.deviceId?.toUpperCase() === deviceId) decoration.redraw(board.key);
    }
  });
  return combinedDisposable(decoration, redraw);
}
