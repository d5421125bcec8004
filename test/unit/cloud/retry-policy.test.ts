// Retry decisions (pure): 429 and 503+Retry-After always, other 5xx only when repeating is safe, capped exponential
// backoff, every Retry-After form, and the give-up rules.
import { strict as assert } from 'node:assert';
import { backoffMs, decideRetry, retryAfterMs, retryPolicy } from '../../../src/cloud/retry-policy';

describe('cloud/retryPolicy', () => {
  const policy = retryPolicy({ baseDelayMs: 500, maxDelayMs: 4000, maxRetries: 6, random: () => 0.5, now: () => Date.parse('2026-11-22T08:00:00Z') });

  it('reads Retry-After as seconds, as an HTTP date, and the Azure millisecond headers', () => {
    assert.equal(retryAfterMs({ 'retry-after': '7' }, policy.now), 7000);
    assert.equal(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 08:00:30 GMT' }, policy.now), 30_000);
    assert.equal(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 07:00:00 GMT' }, policy.now), 0);
    assert.equal(retryAfterMs({ 'retry-after-ms': '250' }, policy.now), 250);
    assert.equal(retryAfterMs({ 'x-ms-retry-after-ms': '1200', 'retry-after': '9' }, policy.now), 1200);
    assert.equal(retryAfterMs({ 'retry-after': 'soon' }, policy.now), undefined);
    assert.equal(retryAfterMs({}, policy.now), undefined);
  });

  it('backs off exponentially from the base and caps at the maximum', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((r) => backoffMs(policy, r)), [500, 1000, 2000, 4000, 4000, 4000]);
    const low = retryPolicy({ ...policy, random: () => 0 });
    const high = retryPolicy({ ...policy, random: () => 0.999 });
    assert.equal(backoffMs(low, 1), 800);
    assert.ok(backoffMs(high, 1) <= 1200 && backoffMs(high, 1) > 1190);
    assert.equal(backoffMs(high, 5), 4000, 'jitter never exceeds the cap');
  });

  it('retries 429 for any method, honouring Retry-After, else backing off', () => {
    assert.deepEqual(decideRetry(policy, 0, 429, { 'retry-after': '2' }, false), { retry: true, delayMs: 2000 });
    assert.deepEqual(decideRetry(policy, 2, 429, {}, false), { retry: true, delayMs: 2000 });
  });

  it('retries 500/502/503/504 only for requests that are safe to repeat', () => {
    for (const status of [500, 502, 503, 504]) {
      assert.deepEqual(decideRetry(policy, 1, status, {}, true), { retry: true, delayMs: 1000 });
      assert.deepEqual(decideRetry(policy, 1, status, {}, false), { retry: false });
    }
    assert.deepEqual(decideRetry(policy, 0, 503, { 'retry-after': '1' }, false), { retry: true, delayMs: 1000 }, '503 with Retry-After was not processed');
  });

  it('does not retry client errors, stops after the budget, and refuses waits longer than allowed', () => {
    for (const status of [400, 401, 403, 404, 409, 412]) assert.deepEqual(decideRetry(policy, 0, status, {}, true), { retry: false });
    assert.deepEqual(decideRetry(policy, 6, 429, {}, true), { retry: false });
    assert.deepEqual(decideRetry(policy, 0, 429, { 'retry-after': '3600' }, true), { retry: false, reason: 'retry_after_too_long', advisedMs: 3_600_000 });
  });
});
