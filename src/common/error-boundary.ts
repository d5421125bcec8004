// The one place where a command's failure becomes what the user sees: one clear message with a "Show Log"
// action, while the log gets the detail. Plain TypeScript; the VS Code layer supplies how to show a message.
import { isCancellation, UserFacingError } from './errors';
import type { Logger } from './logger';

export interface ErrorPresenter {
  /** Shows `message`; resolves to the action the user picked, if any. */
  showError(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  showLog(): void;
  /** Extra buttons for this error (e.g. "Troubleshoot Connection" on a connection failure), shown before Show Log. */
  actionsFor?(err: unknown): readonly ErrorAction[];
}

export interface ErrorAction {
  readonly label: string;
  run(): void;
}

export const SHOW_LOG_ACTION = 'Show Log';

export function describeForUser(label: string, err: unknown): string {
  if (err instanceof UserFacingError) {
    return err.message;
  }
  const reason = err instanceof Error ? err.message : String(err);
  return `${label} failed: ${reason}`;
}

/** Runs `task`; on failure logs the detail, shows one message, and resolves to undefined (the failure is handled). */
export async function runWithErrorBoundary<T>(
  label: string,
  task: () => T | PromiseLike<T>,
  log: Logger,
  presenter: ErrorPresenter,
): Promise<T | undefined> {
  const started = Date.now();
  try {
    const result = await task();
    log.debug(`${label}: done in ${Date.now() - started} ms`);
    return result;
  } catch (err) {
    if (isCancellation(err)) {
      log.info(`${label}: cancelled`);
      return undefined;
    }
    log.error(`${label} failed after ${Date.now() - started} ms`);
    if (err instanceof UserFacingError && err.detail) {
      log.error(err.detail);
    }
    log.error(err instanceof Error ? err : new Error(String(err)));
    const extra = presenter.actionsFor?.(err) ?? [];
    const picked = await presenter.showError(describeForUser(label, err), ...extra.map((a) => a.label), SHOW_LOG_ACTION);
    if (picked === SHOW_LOG_ACTION) {
      presenter.showLog();
    }
    extra.find((a) => a.label === picked)?.run();
    return undefined;
  }
}
