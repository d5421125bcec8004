/**
 * One seed per test for everything the test draws at random — the simulated board's line faults, the faulty test
 * channel, fast-check's inputs: the seed in SPHERE_TEST_SEED when that is set, else one fixed by the test's full title,
 * so every run of a test injects the same faults. When a test that drew its seed fails, the seed is printed and added
 * to its error: replay with `SPHERE_TEST_SEED=N` (with `--grep`, or SPHERE_TEST_GREP for the integration tests).
 *
 * Registered as a mocha root hook plugin: by .mocharc.json (`require`) for the unit tests, and by
 * test/integration/index.ts for the integration tests. Each integration test file is bundled on its own, with its own
 * copy of this module, so the running test and the seeds drawn are kept on `globalThis`, where every copy sees them.
 */
import { parseSeed, seedFromString } from '../../emulator/common/seeded-random';

export const TEST_SEED_ENV = 'SPHERE_TEST_SEED';

interface SeedState {
  /** The test that is running (set from the first beforeEach hook to the last afterEach hook). */
  current: Mocha.Test | undefined;
  /** Seeds handed out, by test. */
  drawn: WeakMap<Mocha.Test, number>;
}

const STATE_KEY = Symbol.for('sphere-explorer.test-seed');

function state(): SeedState {
  const holder = globalThis as { [STATE_KEY]?: SeedState };
  return (holder[STATE_KEY] ??= { current: undefined, drawn: new WeakMap() });
}

/** The seed from SPHERE_TEST_SEED, when it is set. */
export function seedOverride(): number | undefined {
  const text = process.env[TEST_SEED_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseSeed(text);
  } catch (error) {
    throw new Error(`${TEST_SEED_ENV}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The running test's seed. Call it inside the test or a beforeEach hook (not in before/after: no test is running);
 * derive further streams from it with `deriveSeed` rather than asking for a second seed.
 */
export function testSeed(): number {
  const s = state();
  const test = s.current;
  if (!test) {
    throw new Error('testSeed() needs a running test: call it inside it() or beforeEach(), with test/helpers/test-seed.ts registered as a mocha root hook');
  }
  // 31 bits by default: fast-check prints its seed as a signed 32-bit number, so it then shows this very number.
  const seed = seedOverride() ?? seedFromString(test.fullTitle()) >>> 1;
  s.drawn.set(test, seed);
  return seed;
}

/** The line printed for a failed test that drew a seed. */
export function seedLine(seed: number): string {
  return `seed: ${seed} (replay with ${TEST_SEED_ENV}=${seed})`;
}

/** The root hooks; `log` prints a line where the reporter's output goes. */
export function seedHooks(log: (line: string) => void = (line) => console.log(line)): Mocha.RootHookObject {
  return {
    beforeEach(this: Mocha.Context) {
      state().current = this.currentTest;
    },
    afterEach(this: Mocha.Context) {
      const s = state();
      s.current = undefined;
      const test = this.currentTest;
      const seed = test ? s.drawn.get(test) : undefined;
      if (!test || test.state !== 'failed' || seed === undefined) return;
      const line = seedLine(seed);
      log(`      ${line}`);
      if (test.err) addToError(test.err, line);
    },
  };
}

/**
 * The reporter lists failures at the end, each with its error's message as the stack shows it: the seed goes into both,
 * after the message and before the first stack frame.
 */
function addToError(err: Error, line: string): void {
  if (typeof err.message !== 'string' || err.message.includes(line)) return;
  err.message += `\n${line}`;
  if (typeof err.stack === 'string') {
    const lines = err.stack.split('\n');
    const firstFrame = lines.findIndex((l) => /^\s+at\s/.test(l));
    lines.splice(firstFrame === -1 ? lines.length : firstFrame, 0, line);
    err.stack = lines.join('\n');
  }
}

/** What mocha takes from a `require`d file. */
export const mochaHooks = seedHooks();
