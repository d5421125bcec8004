// Making something on the service exactly once although an answer can be lost. The pipeline never repeats a POST on
// its own (authorized-http.ts: the service may have acted on it); after an ambiguous failure — the connection broke
// once the request was out, or a 5xx — this looks for what the first attempt may have made (a product by name, an
// image by ID, a deployment as the group's current one) and only sends again when it is not there.
import { CloudApiError } from './api-error';
import { NetworkError } from './https-transport';
import { backoffMs, type RetryPolicy } from './retry-policy';
import type { Logger } from '../common/logger';

/** A failure after which the service may or may not have done the work. */
export function isAmbiguousFailure(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  return err instanceof CloudApiError && err.status >= 500 && err.status !== 501 && err.status !== 505;
}

export interface CreateOnceSteps<T> {
  /** What is being made, for the log ("Creating product X"). */
  readonly what: string;
  /** Sends the request (and waits for what it started); may be called again after an ambiguous failure. */
  readonly attempt: () => Promise<T>;
  /** What an earlier attempt made, if the service has it; undefined when it does not. */
  readonly findExisting: () => Promise<T | undefined>;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export async function createOnce<T>(steps: CreateOnceSteps<T>): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await steps.attempt();
    } catch (err) {
      if (!isAmbiguousFailure(err) || retry >= steps.retry.maxRetries) throw err;
      const delay = backoffMs(steps.retry, retry);
      steps.logger.warn(`${steps.what}: ${(err as Error).message} The service may have acted; checking before sending again in ${delay} ms.`);
      await steps.retry.sleep(delay, steps.signal);
      const existing = await steps.findExisting();
      if (existing !== undefined) {
        steps.logger.info(`${steps.what}: the earlier attempt went through; not sending it again.`);
        return existing;
      }
    }
  }
}
