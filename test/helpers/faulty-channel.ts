/**
 * TEST CHANNEL (a fake on purpose): a serial link between two NetStacks that loses, duplicates, reorders and corrupts
 * whole SLIP frames and sprinkles line noise, driven by the project's seeded generator (every draw, delays included)
 * so fast-check can shrink and replay failures. Real links do not reorder, but TCP must survive it, and it exercises
 * the out-of-order paths.
 */
import { Duplex } from 'node:stream';
import { deriveSeed, seededRandom } from '../../emulator/common/seeded-random';
import { SlipDecoder, slipEncode } from '../../src/device/net/slip';

export interface FaultRates {
  loss: number;
  duplicate: number;
  /** Probability that a frame is held back by a random 1–8 ms, letting later frames overtake it. */
  reorder: number;
  /** Probability of flipping one random bit of a frame (checksums must catch it). */
  corrupt: number;
  /** Probability of injecting random bytes between frames. */
  noise: number;
}

export interface FaultStats {
  frames: number;
  lost: number;
  duplicated: number;
  reordered: number;
  corrupted: number;
  noise: number;
}

class FaultyEnd extends Duplex {
  peer!: FaultyEnd;
  private readonly decoder: SlipDecoder;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly rand: () => number, private readonly rates: FaultRates, readonly stats: FaultStats) {
    super();
    this.decoder = new SlipDecoder((frame) => this.forward(frame), () => { /* our own encoder never errs */ });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.decoder.push(chunk);
    cb();
  }

  override _read(): void {}

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (!this.peer.destroyed) process.nextTick(() => this.peer.destroy());
    cb(err);
  }

  private forward(frame: Buffer): void {
    const r = this.rand;
    this.stats.frames++;
    if (r() < this.rates.loss) { this.stats.lost++; return; }
    const copies = r() < this.rates.duplicate ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      let f = frame;
      if (r() < this.rates.corrupt) {
        f = Buffer.from(frame);
        const bit = Math.floor(r() * f.length * 8);
        f[bit >> 3] ^= 1 << (bit & 7);
        this.stats.corrupted++;
      }
      let bytes = slipEncode([f]);
      if (r() < this.rates.noise) {
        const junk = Buffer.alloc(1 + Math.floor(r() * 20));
        for (let j = 0; j < junk.length; j++) junk[j] = Math.floor(r() * 256);
        bytes = Buffer.concat([junk, bytes]); // noise before the frame's leading END: dropped by the decoder
        this.stats.noise++;
      }
      const delay = r() < this.rates.reorder ? 1 + Math.floor(r() * 8) : 0;
      if (delay > 0) this.stats.reordered++;
      this.deliver(bytes, delay);
    }
  }

  private deliver(bytes: Buffer, delayMs: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.peer.destroyed) this.peer.push(bytes);
    }, delayMs);
    this.timers.add(t);
  }
}

export function createFaultyLinkPair(seed: number, rates: FaultRates): { ends: [Duplex, Duplex]; stats: FaultStats } {
  const stats: FaultStats = { frames: 0, lost: 0, duplicated: 0, reordered: 0, corrupted: 0, noise: 0 };
  // Each direction draws from its own stream of the seed: its faults then do not depend on how the two interleave.
  const a = new FaultyEnd(seededRandom(deriveSeed(seed, 0)), rates, stats);
  const b = new FaultyEnd(seededRandom(deriveSeed(seed, 1)), rates, stats);
  a.peer = b;
  b.peer = a;
  return { ends: [a, b], stats };
}
