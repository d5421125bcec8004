/** SLIP codec (RFC 1055). */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { SLIP_END, SLIP_ESC, SLIP_ESC_END, SLIP_ESC_ESC, SlipDecoder, slipEncode } from '../../../src/device/net/slip';
import { testSeed } from '../../helpers/test-seed';

function decodeAll(chunks: Uint8Array[]): { frames: Buffer[]; errors: string[] } {
  const frames: Buffer[] = [];
  const errors: string[] = [];
  const d = new SlipDecoder((f) => frames.push(f), (e) => errors.push(e), 2000);
  for (const c of chunks) d.push(c);
  return { frames, errors };
}

describe('net: SLIP codec', () => {
  it('escapes END and ESC and frames with END on both sides', () => {
    const enc = slipEncode([Buffer.from([1, SLIP_END, 2]), Buffer.from([SLIP_ESC, 3])]);
    assert.deepEqual([...enc], [SLIP_END, 1, SLIP_ESC, SLIP_ESC_END, 2, SLIP_ESC, SLIP_ESC_ESC, 3, SLIP_END]);
  });

  it('decodes frames split at any byte, ignoring empty frames between END bytes', () => {
    const wire = Buffer.concat([Buffer.from([SLIP_END, SLIP_END]), slipEncode([Buffer.from([SLIP_END, SLIP_ESC, 9])]), Buffer.from([SLIP_END])]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const { frames, errors } = decodeAll([wire.subarray(0, cut), wire.subarray(cut)]);
      assert.deepEqual(frames.map((f) => [...f]), [[SLIP_END, SLIP_ESC, 9]]);
      assert.deepEqual(errors, []);
    }
  });

  it('accepts frames without a leading END (RFC 1055 allows either)', () => {
    const { frames } = decodeAll([Buffer.from([1, 2, SLIP_END, 3, SLIP_END])]);
    assert.deepEqual(frames.map((f) => [...f]), [[1, 2], [3]]);
  });

  it('drops a frame with a malformed escape, counts it once, and recovers at the next END', () => {
    const { frames, errors } = decodeAll([Buffer.from([SLIP_END, 1, SLIP_ESC, 0x41, 2, 3, SLIP_END, 4, SLIP_END, 5, SLIP_ESC, SLIP_END, 6, SLIP_END])]);
    assert.deepEqual(frames.map((f) => [...f]), [[4], [6]]);
    assert.deepEqual(errors, ['bad-escape', 'bad-escape']);
  });

  it('drops oversize frames', () => {
    const { frames, errors } = decodeAll([Buffer.alloc(2500, 1), Buffer.from([SLIP_END, 7, SLIP_END])]);
    assert.deepEqual(frames.map((f) => [...f]), [[7]]);
    assert.deepEqual(errors, ['oversize']);
  });

  it('round-trips arbitrary frames through arbitrary chunking (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
      (frames, cuts) => {
        const wire = Buffer.concat(frames.map((f) => slipEncode([f])));
        const chunks: Buffer[] = [];
        let at = 0;
        for (let i = 0; at < wire.length; i++) {
          const n = cuts[i % cuts.length];
          chunks.push(wire.subarray(at, at + n));
          at += n;
        }
        const out = decodeAll(chunks);
        assert.deepEqual(out.errors, []);
        assert.deepEqual(out.frames.map((f) => Buffer.from(f).toString('hex')), frames.map((f) => Buffer.from(f).toString('hex')));
      }), { seed: testSeed() });
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 5 }), (chunks) => {
      const out = decodeAll(chunks);
      for (const f of out.frames) assert.ok(f.length > 0 && f.length <= 2000);
    }), { seed: testSeed() });
  });
});
