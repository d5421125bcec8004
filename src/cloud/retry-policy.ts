// When to retry a request and how long to wait first: 429 always (the server did not act on it), honouring
// Retry-After; 5xx and connection failures with capped exponential backoff, but only for requests that are safe to
// repeat, so a POST the server may have acted on is never sent twice. Clock, sleep and jitter are injectable.
import { realSleep, type Sleep } from './abort';

export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  readonly maxRetries: number;
  /** First backoff delay (default 500 ms); doubles per retry. */
  readonly baseDelayMs: number;
  /** Largest backoff delay (default 16 s). */
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited out; the request fails with the advised wait instead (default 60 s). */
  readonly maxRetryAfterMs: number;
  readonly sleep: Sleep;
  /** Wall clock in ms (for HTTP-date Retry-After values). */
  readonly now: () => number;
  /** In [0, 1); spreads backoff ±20 % so many clients do not retry in lockstep. */
  readonly random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 60_000,
  sleep: realSleep,
  now: () => Date.now(),
  random: Math.random,
});

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

/**
 * Server-advised wait in ms from `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or HTTP date);
 * undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: () => number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers[name];
    if (value !== undefined && /^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value));
  }
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/** Backoff before retry number `retry` (0-based), before jitter: base·2^retry, capped. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.min(policy.maxDelayMs, Math.round(raw * (0.8 + 0.4 * policy.random())));
}

export type RetryDecision =
  | { readonly retry: false; readonly reason?: 'retry_after_too_long'; readonly advisedMs?: number }
  | { readonly retry: true; readonly delayMs: number };

/** Decides about an HTTP response (`status`) after retry number `retry` (0-based) has been used up or not. */
export function decideRetry(
  policy: RetryPolicy,
  retry: number,
  status: number,
  headers: Readonly<Record<string, string>>,
  idempotent: boolean,
): RetryDecision {
  const throttled = status === 429;
  const advised = retryAfterMs(headers, policy.now);
  // A 503 with Retry-After means "not processed, come back": as safe to repeat as a 429.
  const notProcessed = throttled || (status === 503 && advised !== undefined);
  const transient = status === 500 || status === 502 || status === 503 || status === 504;
  if (!(notProcessed || (transient && idempotent))) return { retry: false };
  if (retry >= policy.maxRetries) return { retry: false };
  if (advised !== undefined) {
    if (advised > policy.maxRetryAfterMs) return { retry: false, reason: 'retry_after_too_long', advisedMs: advised };
    return { retry: true, delayMs: advised };
  }
  return { retry: true, delayMs: backoffMs(policy, retry) };
}
