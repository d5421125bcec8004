// Waits for a security service Operation (claim, tenant creation, …) to finish by polling it, cancellable with an
// AbortSignal. A failed Operation becomes an OperationFailedError carrying the service's own reason.
import { realSleep, throwIfAborted, type Sleep } from './abort';
import { CloudApiError } from './api-error';
import { redactSecrets } from './redact';
import { OperationState, type Operation } from './sphere-api-types';

export interface OperationWaitOptions {
  readonly signal?: AbortSignal;
  /** Gives up after this long (default 5 minutes); the Operation may still complete on the service. */
  readonly timeoutMs?: number;
  /**
   * Told each state the Operation is seen in — first as the service answered, then after every poll, the last one
   * included — so a view can say "in progress" (OperationState.InProgress) while the service works.
   */
  readonly onProgress?: (state: number, operation: Operation) => void;
}

export class OperationFailedError extends CloudApiError {
  constructor(message: string, readonly operation: Operation) {
    super(message, 'operation_failed', 0, operation.Error?.Message ? redactSecrets(operation.Error.Message) : undefined, undefined);
  }
}

const FINISHED: ReadonlySet<number> = new Set([OperationState.Complete, OperationState.Failed, OperationState.CompleteWithErrors]);

/**
 * Polls `fetchOperation` until `operation` reaches Complete (resolves), Failed or CompleteWithErrors (rejects),
 * the timeout passes, or `signal` aborts.
 */
export async function waitForOperation(
  operation: Operation,
  fetchOperation: (operationId: string, signal?: AbortSignal) => Promise<Operation>,
  what: string,
  options: OperationWaitOptions & { sleep?: Sleep; pollIntervalMs?: number; now?: () => number } = {},
): Promise<Operation> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const interval = options.pollIntervalMs ?? 1000;
  const deadline = now() + (options.timeoutMs ?? 5 * 60_000);
  let current = operation;
  options.onProgress?.(current.State, current);
  while (!FINISHED.has(current.State)) {
    throwIfAborted(options.signal);
    if (now() >= deadline) {
      throw new CloudApiError(
        `${what} is still in progress after ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s (operation ${current.OperationId}); check again later.`,
        'operation_timeout',
        0,
        undefined,
        undefined,
      );
    }
    await sleep(interval, options.signal);
    current = await fetchOperation(current.OperationId, options.signal);
    options.onProgress?.(current.State, current);
  }
  if (current.State === OperationState.Complete) return current;
  // The service's sentence ends with its own full stop; ours closes the message.
  const reason = current.Error?.Message ? redactSecrets(current.Error.Message).replace(/\.+\s*$/, '') : 'the service gave no reason';
  const state = current.State === OperationState.Failed ? 'failed' : 'completed with errors';
  throw new OperationFailedError(`${what} ${state}: ${reason}.`, current);
}
