// The telemetry monitor's memory bound: however many lines arrive, the newest `max` are kept, in order.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedLines } from '../../../src/iot/bounded-lines';
import { testSeed } from '../../helpers/test-seed';

describe('iot/BoundedLines', () => {
  it('keeps the newest max lines in order and counts the rest as dropped, for any count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 400 }), (max, count) => {
        const lines = new BoundedLines(max);
        for (let i = 0; i < count; i++) lines.push(`line ${i}`);
        const expected = Array.from({ length: Math.min(max, count) }, (_, k) => `line ${count - Math.min(max, count) + k}`);
        assert.deepEqual(lines.lines, expected);
        assert.equal(lines.dropped, Math.max(0, count - max));
      }),
      { seed: testSeed() },
    );
  });

  it('holds no more than max plus a tenth between reads, after a flood of 100,000 lines', () => {
    const lines = new BoundedLines(1000);
    for (let i = 0; i < 100_000; i++) lines.push(`2026-12-06T08:00:00.000Z  {"temperature":${i}}`);
    assert.equal(lines.lines.length, 1000);
    assert.equal(lines.lines[999], '2026-12-06T08:00:00.000Z  {"temperature":99999}');
  });
});
