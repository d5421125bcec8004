// Line faults on demand: random bit flips (per byte) and lost SLIP frames (per frame), decided as bytes stream by
// without buffering: a frame's fate is drawn at its first byte and applies through its closing END.
import { SLIP_END } from '../../src/device/net/slip';

export interface FaultSettings {
  /** Probability that a byte gets one random bit flipped. */
  corruptRate: number;
  /** Probability that a whole SLIP frame is lost. */
  dropRate: number;
}

export interface FaultCounters {
  corruptedBytes: number;
  droppedFrames: number;
}

function checkRate(name: string, rate: number): void {
  if (!(rate >= 0 && rate <= 1)) {
    throw new Error(`${name} must be between 0 and 1, got ${rate}`);
  }
}

export function validateFaultSettings(settings: Partial<FaultSettings>): void {
  if (settings.corruptRate !== undefined) checkRate('corruptRate', settings.corruptRate);
  if (settings.dropRate !== undefined) checkRate('dropRate', settings.dropRate);
}

export class LineFaults {
  private inFrame = false;
  private droppingFrame = false;

  constructor(
    private readonly settings: FaultSettings,
    readonly counters: FaultCounters,
    private readonly random: () => number = Math.random,
  ) {}

  /** Returns the bytes that survive the line (a new buffer when anything changed). */
  apply(bytes: Buffer): Buffer {
    const { corruptRate, dropRate } = this.settings;
    if (corruptRate === 0 && dropRate === 0 && !this.droppingFrame) {
      this.track(bytes);
      return bytes;
    }
    const out = Buffer.allocUnsafe(bytes.length);
    let n = 0;
    for (const byte of bytes) {
      if (!this.inFrame && byte !== SLIP_END) {
        this.inFrame = true;
        this.droppingFrame = dropRate > 0 && this.random() < dropRate;
        if (this.droppingFrame) this.counters.droppedFrames++;
      }
      const endsFrame = this.inFrame && byte === SLIP_END;
      if (!this.droppingFrame) {
        let value = byte;
        if (corruptRate > 0 && this.random() < corruptRate) {
          value ^= 1 << Math.floor(this.random() * 8);
          this.counters.corruptedBytes++;
        }
        out[n++] = value;
      }
      if (endsFrame) {
        this.inFrame = false;
        this.droppingFrame = false;
      }
    }
    return out.subarray(0, n);
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
