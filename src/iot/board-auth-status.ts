// Reads what decides whether a board can authenticate to a hub today: its `/net/status`, whether it is claimed, and
// whether it is online; turned into words by deviceAuthReadiness (src/device).
import type { AttachedBoard, DeviceModel } from '../boards';
import { deviceAuthReadiness, type DeviceAuthReadiness } from '../device';
import type { ClaimStatus } from '../tenants/claim-status';

export async function readBoardAuthReadiness(devices: DeviceModel, claims: ClaimStatus, board: AttachedBoard): Promise<DeviceAuthReadiness> {
  const client = await devices.client(board.key);
  const [status, interfaces] = await Promise.all([client.getNetworkStatus(), client.listNetworkInterfaces()]);
  const location = board.deviceId ? claims.locationFor(board.deviceId) : undefined;
  return deviceAuthReadiness({
    status,
    claimed: location ? location.kind !== 'noneOfYours' : undefined,
    online: interfaces.some((i) => i.connectedToInternet),
  });
}
