// The time the emulators issue and check certificates by. Real time unless a test turns it: one AdjustableClock
// shared by an in-process cloud emulator and board simulator makes "a day passes" happen to both at once, so the
// board's daily certificate can expire, be renewed and be refused by the hub without waiting 24 hours.

export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves this clock forward (or back, with a negative value) by `ms`; real time keeps running from there. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
