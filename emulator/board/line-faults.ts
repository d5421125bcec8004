// Line faults on demand: random bit flips (per byte) and lost SLIP frames (per frame), decided as bytes stream by
// without buffering: a frame's fate is drawn at its first byte and applies through its closing END. Every draw comes
// from the seeded generator the owner passes in (emulator/common/seeded-random.ts), so a run replays from its seed.
//
// Besides the rates there is one deterministic fault, for tests that need damage for certain: `corruptEvery` flips one
// bit in every n-th frame, in one of the first 12 bytes of the frame's content — the IPv4 header from its version to
// its checksum. Whatever bit it is, the receiver sees the damage: a changed version or header length is malformed (or,
// with a longer header read, fails the header or the ICMP/TCP checksum, which cannot both pass), a changed total
// length is malformed or fails the header checksum, and any other flipped bit there fails the header checksum (the
// Internet checksum catches every single-bit error, RFC 1071). A flip that makes an END splits the frame into a
// truncated header and a stray tail; one that makes an ESC breaks the escape (a SLIP error) or shortens the frame
// below its total length (malformed) — short of one case that needs a 16-bit checksum collision as well: a total
// length byte turned into ESC just before a byte that completes the escape.
import { SLIP_END, SLIP_ESC } from '../../src/device/net/slip';

export interface FaultSettings {
  /** Probability that a byte gets one random bit flipped. */
  corruptRate: number;
  /** Probability that a whole SLIP frame is lost. */
  dropRate: number;
  /** Deterministic damage: one bit flipped in every n-th frame (counted from the last restart), 0 for none. */
  corruptEvery: number;
}

export interface FaultCounters {
  corruptedBytes: number;
  droppedFrames: number;
  /** Frames that began while a fault was on (each had its fate drawn): how long a test has probed the faults. */
  exposedFrames: number;
}

/** How many of a frame's first content bytes `corruptEvery` picks from: the IPv4 header up to its checksum. */
export const CORRUPT_EVERY_SPAN = 12;

function checkRate(name: string, rate: number): void {
  if (!(rate >= 0 && rate <= 1)) {
    throw new Error(`${name} must be between 0 and 1, got ${rate}`);
  }
}

export function validateFaultSettings(settings: Partial<FaultSettings>): void {
  if (settings.corruptRate !== undefined) checkRate('corruptRate', settings.corruptRate);
  if (settings.dropRate !== undefined) checkRate('dropRate', settings.dropRate);
  if (settings.corruptEvery !== undefined && !(Number.isInteger(settings.corruptEvery) && settings.corruptEvery >= 0)) {
    throw new Error(`corruptEvery must be a whole number of frames (0 for none), got ${settings.corruptEvery}`);
  }
}

export class LineFaults {
  private inFrame = false;
  private droppingFrame = false;
  /** Frames begun since the last restart (for `corruptEvery`). */
  private frames = 0;
  /** Content bytes of the current frame so far (an escape pair counts once), and the one to flip (-1: none). */
  private contentIndex = 0;
  private flipIndex = -1;
  private flipBit = 0;
  /** The previous byte was an ESC: this one is the second byte of an escape pair. */
  private afterEsc = false;

  constructor(
    private readonly settings: FaultSettings,
    readonly counters: FaultCounters,
    private random: () => number,
  ) {}

  /** Starts over: a new random sequence (when given) and `corruptEvery` counting from the next frame. */
  restart(random?: () => number): void {
    if (random) this.random = random;
    this.frames = 0;
    this.flipIndex = -1;
  }

  /** Returns the bytes that survive the line (a new buffer when anything changed). */
  apply(bytes: Buffer): Buffer {
    const { corruptRate, dropRate, corruptEvery } = this.settings;
    if (corruptRate === 0 && dropRate === 0 && corruptEvery === 0 && !this.droppingFrame) {
      this.track(bytes);
      return bytes;
    }
    const out = Buffer.allocUnsafe(bytes.length);
    let n = 0;
    for (const byte of bytes) {
      if (!this.inFrame && byte !== SLIP_END) this.beginFrame(dropRate, corruptEvery);
      const endsFrame = this.inFrame && byte === SLIP_END;
      if (!this.droppingFrame) {
        let value = byte;
        if (this.flipIndex >= 0 && byte !== SLIP_END && (byte !== SLIP_ESC || this.afterEsc)) {
          if (this.contentIndex === this.flipIndex) {
            // The second byte of an escape pair flips its lowest bit: ESC_END ⇄ ESC_ESC, so END ⇄ ESC in the content.
            value ^= this.afterEsc ? 1 : 1 << this.flipBit;
            this.counters.corruptedBytes++;
            this.flipIndex = -1;
          }
          this.contentIndex++;
        }
        this.afterEsc = byte === SLIP_ESC && !this.afterEsc;
        if (corruptRate > 0 && this.random() < corruptRate) {
          value ^= 1 << Math.floor(this.random() * 8);
          this.counters.corruptedBytes++;
        }
        out[n++] = value;
      }
      if (endsFrame) {
        this.inFrame = false;
        this.droppingFrame = false;
        this.flipIndex = -1;
        this.afterEsc = false;
      }
    }
    return out.subarray(0, n);
  }

  private beginFrame(dropRate: number, corruptEvery: number): void {
    this.inFrame = true;
    this.frames++;
    this.counters.exposedFrames++;
    this.contentIndex = 0;
    this.afterEsc = false;
    this.droppingFrame = dropRate > 0 && this.random() < dropRate;
    if (this.droppingFrame) this.counters.droppedFrames++;
    this.flipIndex = -1;
    if (!this.droppingFrame && corruptEvery > 0 && this.frames % corruptEvery === 0) {
      this.flipIndex = Math.floor(this.random() * CORRUPT_EVERY_SPAN);
      this.flipBit = Math.floor(this.random() * 8);
    }
  }

  /** Keeps frame boundaries known while no fault is active, so a fault switched on mid-frame starts cleanly. */
  private track(bytes: Buffer): void {
    const lastEnd = bytes.lastIndexOf(SLIP_END);
    if (lastEnd === bytes.length - 1) {
      this.inFrame = false;
    } else if (bytes.length > 0) {
      this.inFrame = true;
    }
  }
}
