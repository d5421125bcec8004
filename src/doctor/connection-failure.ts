// Which failures are about reaching a board (so the error message offers the connection doctor), as opposed to a board
// that answered "no" (a device error), input refused before sending, or anything unrelated to boards.
import type { ErrorAction } from '../common/error-boundary';
import { boardKeyOf, errorChain } from '../common/errors';
import { isDeviceError, type DeviceErrorCode } from '../device';

export const TROUBLESHOOT_ACTION = 'Troubleshoot Connection';

const CONNECTION_CODES: ReadonlySet<DeviceErrorCode> = new Set(['TIMEOUT', 'CONNECTION_FAILED', 'CONNECTION_LOST', 'LINK_DOWN', 'TLS_UNTRUSTED', 'TLS_PIN_MISMATCH', 'SERIAL_UNAVAILABLE']);

/** True for a DeviceError of a connection kind, also when wrapped (UserFacingError's cause, NetError codes). */
export function isConnectionFailure(err: unknown): boolean {
  for (const e of errorChain(err)) {
    if (isDeviceError(e)) return CONNECTION_CODES.has(e.code);
    if ((e as NodeJS.ErrnoException).code === 'ELINKDOWN') return true;
  }
  return false;
}

/**
 * "Troubleshoot Connection" for a connection failure (none otherwise); `troubleshoot` gets the failing board's key
 * when the error names one, so the doctor looks at that board rather than the selected one.
 */
export function troubleshootActionsFor(err: unknown, troubleshoot: (target: { boardKey?: string }) => void): ErrorAction[] {
  if (!isConnectionFailure(err)) return [];
  const boardKey = boardKeyOf(err);
  return [{ label: TROUBLESHOOT_ACTION, run: () => troubleshoot(boardKey ? { boardKey } : {}) }];
}
