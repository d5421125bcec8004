/** The send buffer: copies writes (callers may reuse their buffers), consumes from the front, slices anywhere. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { SendBuffer } from '../../../src/device/net/send-buffer';
import { testSeed } from '../../helpers/test-seed';

describe('net: send buffer', () => {
  it('keeps its own copy: a caller reusing its buffer after write cannot change what is retransmitted', () => {
    const sb = new SendBuffer();
    const mine = Buffer.from('original');
    sb.append(mine);
    mine.fill(0x58);
    assert.equal(Buffer.concat(sb.slices(0, 8)).toString(), 'original');
  });

  it('behaves like one contiguous byte array under appends, consumes and slices (property)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(
      fc.record({ op: fc.constant('append' as const), data: fc.uint8Array({ maxLength: 70_000 }) }),
      fc.record({ op: fc.constant('consume' as const), n: fc.nat(80_000) }),
      fc.record({ op: fc.constant('slice' as const), at: fc.nat(100_000), len: fc.nat(5000) }),
    ), { maxLength: 30 }), (ops) => {
      const sb = new SendBuffer();
      let model = Buffer.alloc(0);
      for (const o of ops) {
        if (o.op === 'append') {
          sb.append(o.data);
          model = Buffer.concat([model, o.data]);
        } else if (o.op === 'consume') {
          sb.consume(o.n);
          model = model.subarray(Math.min(o.n, model.length));
        } else {
          const at = Math.min(o.at, model.length);
          const len = Math.min(o.len, model.length - at);
          assert.ok(Buffer.concat(sb.slices(at, len)).equals(model.subarray(at, at + len)));
        }
        assert.equal(sb.length, model.length);
      }
    }), { seed: testSeed(), numRuns: 200 });
  });
});
