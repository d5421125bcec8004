// The board's service UART between the pty and the board's network stack: paced at the configured baud in both
// directions (the net stack's link-pair pacer), with injectable line faults and a silent mode (port open, nothing
// answers). Each boot gets a fresh line; a power-off cuts the old one with whatever was still in flight.
// Line faults are drawn from one seed, given or picked at start (counters.faultSeed), so a run can be replayed.
import type { Duplex } from 'node:stream';
import { createLinkPair } from '../../src/device/net';
import { deriveSeed, freshSeed, isSeed, MAX_SEED, seededRandom } from '../common/seeded-random';
import { resampleUart } from './baud-mismatch';
import { LineFaults, validateFaultSettings, type FaultCounters, type FaultSettings } from './line-faults';

export interface UartCounters {
  /** Bytes that arrived from the PC side of the pty. */
  rxBytes: number;
  /** Bytes written to the PC side of the pty. */
  txBytes: number;
  /** Bytes the board ignored because it was silent, rebooting or unpowered. */
  rxIgnoredBytes: number;
  rxFaults: FaultCounters;
  txFaults: FaultCounters;
  /** The seed the line faults are drawn from: the one given, or one picked at start. The same seed replays them. */
  faultSeed: number;
}

/** Fault settings plus the seed they are drawn from. */
export type LineFaultOptions = Partial<FaultSettings> & { faultSeed?: number };

/**
 * The random source of one direction's faults: each direction draws from its own stream of the seed, so its faults do
 * not depend on the other's traffic. ('rx': into the board, 'tx': out of it.)
 */
export function lineFaultRandom(seed: number, direction: 'rx' | 'tx'): () => number {
  return seededRandom(deriveSeed(seed, direction === 'rx' ? 0 : 1));
}

function validateSeed(seed: number | undefined): void {
  if (seed !== undefined && !isSeed(seed)) throw new Error(`faultSeed must be an integer from 0 to ${MAX_SEED}, got ${seed}`);
}

export interface UartWire {
  /** Sends bytes to the PC. */
  write(bytes: Buffer): void;
  /** RTS/CTS: stop taking bytes from the PC while the board's receive queue is full, and start again. */
  pause(): void;
  resume(): void;
  /** The rate the PC side opened the port at, when the wire can tell (a pty's termios); else the board's own rate is assumed. */
  lineBaud?(): Promise<number | undefined>;
}

export class BoardUart {
  readonly counters: UartCounters;
  /** Faults on the way into the board (rx) and out of it (tx); a damaged cable hits both, a test may pick one. */
  private readonly rxSettings: FaultSettings;
  private readonly txSettings: FaultSettings;
  private readonly rxFaults: LineFaults;
  private readonly txFaults: LineFaults;
  /** Our end of the current boot's line; the stack holds the other. */
  private lineEnd: Duplex | undefined;
  private silent = false;
  /** Wrong-baud fault: the rate the board's UART really runs at (undefined: the configured rate, no mismatch). */
  private actualBaud: number | undefined;
  /** While the wrong-baud fault is on, bytes wait here for the PC's line rate, keeping their order. */
  private mismatchQueue: Promise<void> = Promise.resolve();
  /** Set while the PC side is paused because the board's receive queue is full. */
  private waitingForDrain = false;

  constructor(private readonly baud: number, faults: LineFaultOptions, private readonly wire: UartWire) {
    validateFaultSettings(faults);
    validateSeed(faults.faultSeed);
    const seed = faults.faultSeed ?? freshSeed();
    this.counters = {
      rxBytes: 0, txBytes: 0, rxIgnoredBytes: 0,
      rxFaults: { corruptedBytes: 0, droppedFrames: 0, exposedFrames: 0 },
      txFaults: { corruptedBytes: 0, droppedFrames: 0, exposedFrames: 0 },
      faultSeed: seed,
    };
    this.rxSettings = { corruptRate: faults.corruptRate ?? 0, dropRate: faults.dropRate ?? 0, corruptEvery: faults.corruptEvery ?? 0 };
    this.txSettings = { ...this.rxSettings };
    this.rxFaults = new LineFaults(this.rxSettings, this.counters.rxFaults, lineFaultRandom(seed, 'rx'));
    this.txFaults = new LineFaults(this.txSettings, this.counters.txFaults, lineFaultRandom(seed, 'tx'));
  }

  /**
   * Changes faults from now on. A `faultSeed` restarts both directions' random sequences (and `corruptEvery`'s count)
   * from that seed; without one they go on where they are.
   */
  setFaults(faults: LineFaultOptions & { silent?: boolean; actualBaud?: number | null; faultDirection?: 'both' | 'toHost' }): void {
    validateFaultSettings(faults);
    validateSeed(faults.faultSeed);
    if (faults.actualBaud !== undefined && faults.actualBaud !== null && !(Number.isInteger(faults.actualBaud) && faults.actualBaud > 0)) {
      throw new Error(`actualBaud must be a positive integer, got ${faults.actualBaud}`);
    }
    const intoBoard = faults.faultDirection !== 'toHost';
    if (faults.corruptRate !== undefined) {
      this.txSettings.corruptRate = faults.corruptRate;
      this.rxSettings.corruptRate = intoBoard ? faults.corruptRate : 0;
    }
    if (faults.dropRate !== undefined) {
      this.txSettings.dropRate = faults.dropRate;
      this.rxSettings.dropRate = intoBoard ? faults.dropRate : 0;
    }
    if (faults.corruptEvery !== undefined) {
      this.txSettings.corruptEvery = faults.corruptEvery;
      this.rxSettings.corruptEvery = intoBoard ? faults.corruptEvery : 0;
    }
    if (faults.faultSeed !== undefined) {
      this.counters.faultSeed = faults.faultSeed;
      this.rxFaults.restart(lineFaultRandom(faults.faultSeed, 'rx'));
      this.txFaults.restart(lineFaultRandom(faults.faultSeed, 'tx'));
    } else if (faults.corruptEvery !== undefined) {
      this.rxFaults.restart();
      this.txFaults.restart();
    }
    if (faults.silent !== undefined) this.silent = faults.silent;
    if (faults.actualBaud !== undefined) this.actualBaud = faults.actualBaud ?? undefined;
  }

  /** Bytes the PC wrote into the pty; they reach the stack once they would have crossed the line. */
  fromWire(bytes: Buffer): void {
    if (this.actualBaud !== undefined) {
      this.throughMismatch((pcBaud, boardBaud) => this.receive(resampleUart(bytes, pcBaud, boardBaud)));
      return;
    }
    this.receive(bytes);
  }

  /** Runs `deliver` in order with the PC's and the board's rates, once the PC's current rate is known. */
  private throughMismatch(deliver: (pcBaud: number, boardBaud: number) => void): void {
    this.mismatchQueue = this.mismatchQueue.then(async () => {
      const pcBaud = (await this.wire.lineBaud?.().catch(() => undefined)) ?? this.baud;
      deliver(pcBaud, this.actualBaud ?? pcBaud);
    });
  }

  private receive(bytes: Buffer): void {
    this.counters.rxBytes += bytes.length;
    const end = this.lineEnd;
    if (this.silent || !end) {
      this.counters.rxIgnoredBytes += bytes.length;
      return;
    }
    const survivors = this.rxFaults.apply(bytes);
    if (survivors.length > 0 && !end.write(survivors) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.wire.pause();
      end.once('drain', () => {
        this.waitingForDrain = false;
        this.wire.resume();
      });
    }
  }

  /** A fresh line for a newly booted network stack (the stack owns and destroys its end). */
  attachBoardSide(): Duplex {
    this.detachBoardSide();
    const [boardEnd, wireEnd] = createLinkPair({ baudRate: this.baud });
    wireEnd.on('data', (bytes: Buffer) => {
      if (this.silent || this.lineEnd !== wireEnd) return;
      const survivors = this.txFaults.apply(bytes);
      if (this.actualBaud !== undefined) {
        this.throughMismatch((pcBaud, boardBaud) => this.transmit(resampleUart(survivors, boardBaud, pcBaud)));
        return;
      }
      this.transmit(survivors);
    });
    wireEnd.on('error', () => undefined);
    wireEnd.on('close', () => {
      if (this.lineEnd === wireEnd) this.lineEnd = undefined;
    });
    this.lineEnd = wireEnd;
    return boardEnd;
  }

  private transmit(bytes: Buffer): void {
    this.counters.txBytes += bytes.length;
    if (bytes.length > 0) this.wire.write(bytes);
  }

  /** Power-off or reboot: the line is cut (the stack's end goes with it) and bytes in flight are lost. */
  detachBoardSide(): void {
    const end = this.lineEnd;
    this.lineEnd = undefined;
    if (end && !end.destroyed) end.destroy();
    this.waitingForDrain = false;
    this.wire.resume();
  }

  close(): void {
    this.detachBoardSide();
  }
}
