// Hands bytes to the serial port no faster than the UART can send them. A pty (and a driver with a large buffer)
// accepts tens of kilobytes at once, which would hide seconds of line time at 115200 baud inside the OS: TCP then sees
// its round-trip time jump and retransmits data that is merely queued. Keeping the queue here, a little ahead of the
// line, lets the stack's backpressure reflect the line itself, as a UART's small transmit FIFO does on real hardware.
// Reads pass straight through.
// Unlike net's pacedLink (which models the line itself and hands a frame on when its last byte has crossed), this
// hands each chunk to the port when its turn on the line *begins*, because the port (UART or pty + simulator)
// serializes it again; releasing at the end would add every frame's wire time twice.
import { Duplex } from 'node:stream';

export interface UartPacerOptions {
  baudRate: number;
  /** Bits on the wire per byte: 10 for 8N1. */
  bitsPerByte?: number;
  /** Line time that may be queued before write() reports backpressure (default: 4096 bytes' worth). */
  queueBytes?: number;
}

interface Pending {
  chunk: Buffer;
  startAt: number;
}

export class UartPacer extends Duplex {
  private readonly bytesPerMs: number;
  private readonly queueBytes: number;
  private readonly pending: Pending[] = [];
  private queued = 0;
  private lineFreeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private needDrain = false;
  private portBlocked = false;

  constructor(
    private readonly port: Duplex,
    options: UartPacerOptions,
  ) {
    super();
    this.bytesPerMs = options.baudRate / (options.bitsPerByte ?? 10) / 1000;
    this.queueBytes = options.queueBytes ?? 4096;
    port.on('data', (chunk: Buffer) => this.push(chunk));
    port.on('end', () => this.push(null));
    port.on('close', () => this.destroy());
    port.on('error', (err: Error) => this.destroy(err));
    port.on('drain', () => {
      this.portBlocked = false;
      this.release();
    });
  }

  override _read(): void {
    // data is pushed as the port delivers it
  }

  /**
   * Accepts the bytes into the line queue; returns false once more than `queueBytes` wait for the line, and emits
   * 'drain' when the queue is back under it (Writable's own accounting would only see bytes still in _write).
   */
  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const accepted = super.write(chunk, encoding as BufferEncoding, callback as (err?: Error | null) => void);
    if (accepted && this.queued <= this.queueBytes) return true;
    this.needDrain = true;
    return false;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    const now = performance.now();
    const startAt = Math.max(this.lineFreeAt, now);
    this.lineFreeAt = startAt + chunk.length / this.bytesPerMs;
    this.pending.push({ chunk, startAt });
    this.queued += chunk.length;
    callback();
    this.release();
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.port.end();
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.length = 0;
    if (!this.port.destroyed) this.port.destroy();
    callback(err);
  }

  /** Writes every chunk whose turn on the line has come (within half a millisecond), then waits for the next. */
  private release(): void {
    if (this.timer || this.destroyed) return;
    const now = performance.now() + 0.5;
    while (this.pending.length > 0 && this.pending[0]!.startAt <= now && !this.portBlocked) {
      const { chunk } = this.pending.shift()!;
      this.queued -= chunk.length;
      if (!this.port.write(chunk)) this.portBlocked = true;
    }
    if (this.needDrain && this.queued <= this.queueBytes) {
      this.needDrain = false;
      process.nextTick(() => this.emit('drain'));
    }
    const next = this.pending[0];
    if (next && !this.portBlocked) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.release();
      }, Math.max(1, Math.floor(next.startAt - performance.now())));
    }
  }
}
