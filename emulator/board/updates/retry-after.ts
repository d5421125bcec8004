// How long the cloud asked the board to wait: `Retry-After` in seconds on a 429 (throttled) or 503 (not now), as the
// service and the emulator send it. A board that checks again sooner only gets throttled again.
import type * as http from 'node:http';

/** Longest wait taken from a Retry-After header, so a broken header cannot park the board for days. */
const MAX_RETRY_AFTER_MS = 3600 * 1000;

export function retryAfterMs(status: number, headers: http.IncomingHttpHeaders): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const text = headers['retry-after'];
  if (typeof text !== 'string' || !/^\d{1,7}$/.test(text.trim())) return undefined;
  return Math.min(Number(text.trim()) * 1000, MAX_RETRY_AFTER_MS);
}
