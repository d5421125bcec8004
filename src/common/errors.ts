// Errors that know what to tell the user. Anything else is shown with a generic sentence and logged in full.

/** An error whose message is written for the user; `detail` goes to the log only. */
export class UserFacingError extends Error {
  constructor(message: string, readonly detail?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserFacingError';
  }
}

/** The user backed out (closed a picker, pressed Escape, cancelled progress): not a failure, nothing to show. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * Recognised by name, so every layer's cancellation counts: ours, src/cloud's CancelledError (a CloudError),
 * AbortController's AbortError and vscode.CancellationError ("Canceled").
 */
export function isCancellation(err: unknown): boolean {
  return err instanceof Error && ['CancelledError', 'AbortError', 'Canceled'].includes(err.name);
}
