// Shows on each attached board's row whether, and where, it is claimed ("claimed in Contoso Tenant").
import type { DeviceModel } from '../../devices';
import { combinedDisposable, type IDisposable } from '../../common/lifecycle';
import type { ClaimStatus } from '../../tenants/claimStatus';
import type { DevicesView } from './devicesView';

export function decorateBoardsWithClaimStatus(view: DevicesView, devices: DeviceModel, claims: ClaimStatus): IDisposable {
  const decoration = view.addBoardDecoration((board) => (board.deviceId ? claims.labelFor(board.deviceId) : undefined));
  const redraw = claims.onDidChange((deviceId) => {
    for (const board of devices.boards) {
      if (board.deviceId?.toUpperCase() === deviceId) decoration.redraw(board.key);
    }
  });
  return combinedDisposable(decoration, redraw);
}
