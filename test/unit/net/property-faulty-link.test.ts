/**
 * Property tests: whatever the payloads and whatever the test channel does to frames (loss, duplication, reordering,
 * bit flips, line noise), every connection delivers exactly the bytes written, in order, both ways, and closes.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { deriveSeed } from '../../../emulator/common/seeded-random';
import type { TcpSocket } from '../../../src/device/net';
import { createFaultyLinkPair } from '../../helpers/faulty-channel';
import { BOARD, readAll, stackPair } from '../../helpers/stacks';
import { testSeed } from '../../helpers/test-seed';

const fastTimers = { minRtoMs: 15, initialRtoMs: 60, maxRtoMs: 400, timeWaitMs: 300, synRetries: 12, maxRetransmits: 30 };

/** A probability spread evenly over [0, max] (fc.double would favour the bounds). */
const rate = (max: number) => fc.integer({ min: 0, max: 100 }).map((x) => (x / 100) * max);
const MAX_RATES = { loss: 0.08, duplicate: 0.05, reorder: 0.1, corrupt: 0.04, noise: 0.03 };

/**
 * Three runs that always come first (their link seeds drawn from the test's seed): three connections of 60,000 bytes
 * each way at the highest rates. Each run carries at least 252 full 1460-byte segments through the channel, and a
 * frame meets no fault with probability 0.92 · 0.95 · 0.96 · 0.97 · 0.9 ≈ 0.73; so the three runs bring 100 faults or
 * fewer with probability ≈ 1.5e-19 (binomial, 756 frames, 0.27), whatever fast-check generates besides.
 */
function heavyExamples(seed: number): [number, [Uint8Array, Uint8Array][], typeof MAX_RATES, boolean][] {
  return [0, 1, 2].map((i) => [
    deriveSeed(seed, i) >>> 1,
    [0, 1, 2].map((c) => [new Uint8Array(60_000).fill(16 * i + c + 1), new Uint8Array(60_000).fill(128 + 16 * i + c)]),
    MAX_RATES,
    i === 1,
  ]);
}

describe('net: property — data survives a faulty link', function () {
  this.timeout(120_000);

  it('delivers arbitrary payloads intact and in order over several concurrent connections', async () => {
    const seed = testSeed();
    let faultsSeen = 0;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 0x7fffffff }),
      fc.array(fc.tuple(fc.uint8Array({ maxLength: 60_000, size: 'max' }), fc.uint8Array({ maxLength: 60_000, size: 'max' })), { minLength: 1, maxLength: 3 }),
      fc.record({
        loss: rate(0.08),
        duplicate: rate(0.05),
        reorder: rate(0.1),
        corrupt: rate(0.04),
        noise: rate(0.03),
      }),
      fc.boolean(),
      async (seed, conversations, rates, noDelay) => {
        const { ends, stats } = createFaultyLinkPair(seed, rates);
        const pair = stackPair({ links: ends, tcp: fastTimers });
        try {
          const serverGot = new Map<number, Promise<Buffer>>();
          pair.board.listen(443, (sock: TcpSocket) => {
            const index = serverGot.size;
            serverGot.set(index, readAll(sock));
            sock.end(Buffer.from(conversations[index][1]));
          });
          // Connections are opened one after another so the server can tell them apart by order.
          const clientGot: Buffer[] = [];
          const pending: Promise<void>[] = [];
          for (const [up] of conversations) {
            const sock = pair.pc.connect({ host: BOARD, port: 443 });
            if (noDelay) sock.setNoDelay(true);
            await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
            while (serverGot.size < clientGot.length + 1) await new Promise((r) => setTimeout(r, 2));
            const i = clientGot.length;
            clientGot.push(Buffer.alloc(0));
            // Write in uneven pieces, then half-close.
            for (let at = 0; at < up.length;) {
              const n = 1 + ((at * 7919) % 9000);
              sock.write(Buffer.from(up.subarray(at, at + n)));
              at += n;
            }
            sock.end();
            pending.push(readAll(sock).then((b) => { clientGot[i] = b; }));
          }
          await Promise.all(pending);
          for (let i = 0; i < conversations.length; i++) {
            const serverBytes = await serverGot.get(i);
            assert.ok(serverBytes?.equals(Buffer.from(conversations[i][0])), `connection ${i}: PC → board bytes differ`);
            assert.ok(clientGot[i].equals(Buffer.from(conversations[i][1])), `connection ${i}: board → PC bytes differ`);
          }
        } finally {
          faultsSeen += stats.lost + stats.duplicated + stats.reordered + stats.corrupted + stats.noise;
          await pair.close();
        }
      }), { seed, numRuns: 30, examples: heavyExamples(seed) });
    assert.ok(faultsSeen > 100, `the test channel injected only ${faultsSeen} faults`);
  });
});
