// Which failures are about reaching a board (so the error message offers the connection doctor), as opposed to a board
// that answered "no" (a device error), input refused before sending, or anything unrelated to boards.
import { isDeviceError, type DeviceErrorCode } from '../device';

export const TROUBLESHOOT_ACTION = 'Troubleshoot Connection';

const CONNECTION_CODES: ReadonlySet<DeviceErrorCode> = new Set(['TIMEOUT', 'CONNECTION_FAILED', 'CONNECTION_LOST', 'LINK_DOWN', 'TLS_UNTRUSTED', 'TLS_PIN_MISMATCH', 'SERIAL_UNAVAILABLE']);

/** True for a DeviceError of a connection kind, also when wrapped (UserFacingError's cause, NetError codes). */
export function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (isDeviceError(e)) return CONNECTION_CODES.has(e.code);
    if ((e as NodeJS.ErrnoException).code === 'ELINKDOWN') return true;
  }
  return false;
}
