// Which failures mean "the board is not in development mode" (sideloading refused, no debugger…), so the error
// message offers "Enable Development" on the board that refused, as a person would do next.
import type { ErrorAction } from '../common/error-boundary';
import { isDevelopmentModeError, isDeviceError } from '../device';

export const ENABLE_DEVELOPMENT_BUTTON = 'Enable Development';

/** "Enable Development" for a development-mode refusal (none otherwise), aimed at the board the error names. */
export function developmentActionsFor(err: unknown, enable: (target: { boardKey?: string }) => void): ErrorAction[] {
  let refused = false;
  let boardKey: string | undefined;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (isDeviceError(e) && isDevelopmentModeError(e.deviceError)) refused = true;
    const key = (e as { boardKey?: unknown }).boardKey;
    if (typeof key === 'string') boardKey ??= key;
  }
  return refused ? [{ label: ENABLE_DEVELOPMENT_BUTTON, run: () => enable(boardKey ? { boardKey } : {}) }] : [];
}
