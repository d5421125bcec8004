// Errors that know what to tell the user. Anything else is shown with a generic sentence and logged in full.

/** An error whose message is written for the user; `detail` goes to the log only. */
export class UserFacingError extends Error {
  constructor(message: string, readonly detail?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserFacingError';
  }
}

/**
 * The one cancellation error of every layer: the user backed out (closed a picker, pressed Escape, cancelled
 * progress) or the caller's AbortSignal fired. Not a failure: nothing to show.
 */
export class CancelledError extends Error {
  constructor(message = 'The operation was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/**
 * Recognised by name, so cancellation from outside counts too: ours, AbortController's AbortError and
 * vscode.CancellationError ("Canceled").
 */
export function isCancellation(err: unknown): boolean {
  return err instanceof Error && ['CancelledError', 'AbortError', 'Canceled'].includes(err.name);
}

/** `err` and the causes it wraps, outermost first (at most `depth`, so a cause cycle cannot loop). */
export function errorChain(err: unknown, depth = 5): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < depth; e = e.cause) chain.push(e);
  return chain;
}

/** The board key the first error in the chain that names one carries (BoardFailure and the like). */
export function boardKeyOf(err: unknown): string | undefined {
  for (const e of errorChain(err)) {
    const key = (e as { boardKey?: unknown }).boardKey;
    if (typeof key === 'string') return key;
  }
  return undefined;
}
