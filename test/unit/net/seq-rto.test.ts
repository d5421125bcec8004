/** Sequence-number arithmetic modulo 2^32 and the RFC 6298 retransmission-timeout estimator. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { RtoEstimator } from '../../../src/device/net/rto';
import { seqAdd, seqDiff, seqGt, seqInRange, seqLeq, seqLt } from '../../../src/device/net/seq';
import { testSeed } from '../../helpers/test-seed';

describe('net: sequence arithmetic', () => {
  it('wraps around 2^32', () => {
    const near = 0xffff_fff0;
    assert.equal(seqAdd(near, 0x20), 0x10);
    assert.ok(seqLt(near, 0x10));
    assert.ok(seqGt(0x10, near));
    assert.equal(seqDiff(0x10, near), 0x20);
    assert.ok(seqInRange(0x5, near, 0x10));
    assert.ok(!seqInRange(0x10, near, 0x10));
  });

  it('orders a and a+n for every a and every 0 < n < 2^31 (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 0x7fffffff }), (a, n) => {
      const b = seqAdd(a, n);
      assert.ok(seqLt(a, b) && seqGt(b, a) && seqLeq(a, b) && !seqLt(b, a));
      assert.equal(seqDiff(b, a), n);
    }), { seed: testSeed() });
  });
});

describe('net: RTO estimator (RFC 6298)', () => {
  it('starts at the initial RTO and follows SRTT + 4·RTTVAR after samples', () => {
    const r = new RtoEstimator(10, 60_000, 1000);
    assert.equal(r.rtoMs, 1000);
    r.sample(100); // SRTT 100, RTTVAR 50 -> 300
    assert.equal(r.rtoMs, 300);
    r.sample(100); // RTTVAR 37.5, SRTT 100 -> 250
    assert.equal(r.rtoMs, 250);
  });

  it('clamps to the configured minimum and maximum', () => {
    const r = new RtoEstimator(200, 5000, 1000);
    r.sample(1);
    assert.equal(r.rtoMs, 200);
    r.sample(100_000);
    assert.equal(r.rtoMs, 5000);
  });

  it('doubles on every expiry up to the maximum, and a new sample ends the backoff', () => {
    const r = new RtoEstimator(200, 3000, 1000);
    r.expired();
    assert.equal(r.rtoMs, 2000);
    r.expired();
    assert.equal(r.rtoMs, 3000);
    r.expired();
    assert.equal(r.rtoMs, 3000);
    r.sample(50);
    assert.equal(r.rtoMs, 200);
  });
});
