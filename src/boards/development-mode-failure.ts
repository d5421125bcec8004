// Which failures mean "the board is not in development mode" (sideloading refused, no debugger…), so the error
// message offers "Enable Development" on the board that refused, as a person would do next.
import type { ErrorAction } from '../common/error-boundary';
import { boardKeyOf, errorChain } from '../common/errors';
import { isDevelopmentModeError, isDeviceError } from '../device';

export const ENABLE_DEVELOPMENT_BUTTON = 'Enable Development';

/** "Enable Development" for a development-mode refusal (none otherwise), aimed at the board the error names. */
export function developmentActionsFor(err: unknown, enable: (target: { boardKey?: string }) => void): ErrorAction[] {
  const refused = errorChain(err).some((e) => isDeviceError(e) && isDevelopmentModeError(e.deviceError));
  const boardKey = boardKeyOf(err);
  return refused ? [{ label: ENABLE_DEVELOPMENT_BUTTON, run: () => enable(boardKey ? { boardKey } : {}) }] : [];
}
