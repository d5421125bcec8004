// Seeded pseudo-random numbers for everything the simulators and the tests draw at random (line faults, the test
// channel's loss and delays): a run is replayed by giving it the same seed. Not for anything secret.
import { randomInt } from 'node:crypto';

/** Seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffff_ffff;

export function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED;
}

function checkSeed(seed: number): void {
  if (!isSeed(seed)) throw new RangeError(`a seed must be an integer from 0 to ${MAX_SEED}, got ${seed}`);
}

/**
 * A generator of numbers in [0, 1), the same sequence for the same seed. mulberry32 (Tommy Ettinger, public domain:
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c): 32 bits of state, period 2^32, plenty for
 * fault injection.
 */
export function seededRandom(seed: number): () => number {
  checkSeed(seed);
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A new seed for a run that was given none (print it, so the run can be replayed). */
export function freshSeed(): number {
  return randomInt(0, MAX_SEED + 1);
}

/** Reads a seed written in decimal (or 0x… hex), as on a command line or in an environment variable. */
export function parseSeed(text: string): number {
  const trimmed = text.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : /^0x[0-9a-f]+$/i.test(trimmed) ? Number.parseInt(trimmed.slice(2), 16) : NaN;
  if (!isSeed(value)) throw new RangeError(`a seed must be an integer from 0 to ${MAX_SEED}, got "${text}"`);
  return value;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A fixed seed named by a text (a test's title): FNV-1a over its UTF-8 bytes, then mixed. */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) h = Math.imul(h ^ byte, 0x01000193);
  return mix32(h);
}

/**
 * The seed of one of several independent streams drawn from one seed (e.g. the two directions of a line), so that
 * each stream replays alike however the other's draws interleave with it.
 */
export function deriveSeed(seed: number, stream: number): number {
  checkSeed(seed);
  return mix32((seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0);
}
