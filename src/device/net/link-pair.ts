/**
 * In-process serial links: two connected `Duplex` ends, optionally paced at a UART rate. For tests, benchmarks
 * and the board simulator when both ends live in one process (a real pty carries the same bytes between processes).
 *
 * Pacing models one direction of a UART: bytes leave back to back at `baudRate / bitsPerByte` bytes per second
 * (8N1 = 10 bits per byte) and each written chunk is delivered when its last byte has crossed the line. The stack
 * writes one SLIP frame per chunk, so a frame arrives whole when its last byte would have. A writer sees
 * backpressure (`write()` returns false) once more than `queueBytes` are waiting for the line, as with a UART's
 * transmit FIFO and driver buffer.
 */
import { Duplex } from 'node:stream';

export interface LinkPairOptions {
  /** Pace each direction at this UART rate; omit for an unpaced link (delivery on the next turn of the event loop). */
  baudRate?: number;
  /** Bits on the wire per byte: 10 for 8N1 (default). */
  bitsPerByte?: number;
  /** Bytes that may wait for the line before `write()` reports backpressure (default 4096). */
  queueBytes?: number;
}

interface Queued {
  chunk: Buffer;
  deliverAt: number;
}

/** One direction of a link. */
class Line {
  private queue: Queued[] = [];
  private queued = 0;
  private lineFreeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private blockedCb: (() => void) | undefined;
  private endAfterQueue = false;
  private closed = false;

  constructor(
    private readonly deliver: (chunk: Buffer | null) => void,
    private readonly bytesPerMs: number | undefined,
    private readonly queueBytes: number,
  ) {}

  send(chunk: Buffer, cb: () => void): void {
    if (this.closed) return cb();
    const now = performance.now();
    let deliverAt = now;
    if (this.bytesPerMs !== undefined) {
      this.lineFreeAt = Math.max(this.lineFreeAt, now) + chunk.length / this.bytesPerMs;
      deliverAt = this.lineFreeAt;
    }
    this.queue.push({ chunk, deliverAt });
    this.queued += chunk.length;
    if (this.queued <= this.queueBytes || this.bytesPerMs === undefined) cb();
    else this.blockedCb = cb;
    this.schedule();
  }

  end(): void {
    this.endAfterQueue = true;
    if (this.queue.length === 0) this.finish();
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const cb = this.blockedCb;
    this.blockedCb = undefined;
    cb?.();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.deliver(null);
  }

  private schedule(): void {
    if (this.timer || this.immediate || this.queue.length === 0) return;
    const wait = this.queue[0].deliverAt - performance.now();
    if (wait <= 0.5) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), Math.max(1, Math.floor(wait)));
  }

  private flush(): void {
    this.timer = undefined;
    this.immediate = undefined;
    const now = performance.now() + 0.5; // timers fire with 1 ms granularity: deliver what is due within half of it
    while (this.queue.length > 0 && this.queue[0].deliverAt <= now && !this.closed) {
      const { chunk } = this.queue.shift() as Queued;
      this.queued -= chunk.length;
      this.deliver(chunk);
    }
    if (this.blockedCb && this.queued <= this.queueBytes) {
      const cb = this.blockedCb;
      this.blockedCb = undefined;
      cb();
    }
    if (this.queue.length === 0 && this.endAfterQueue) this.finish();
    else this.schedule();
  }
}

class LinkEnd extends Duplex {
  line!: Line;
  peer!: LinkEnd;

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.line.send(chunk, cb);
  }

  override _read(): void {
    // data is pushed by the peer's line as it arrives
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.line.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.line.close();
    // Like a pty or UART hang-up: the other end goes away too.
    if (!this.peer.destroyed) process.nextTick(() => this.peer.destroy());
    cb(err);
  }
}

/** Two connected ends: bytes written to one are read from the other. */
export function createLinkPair(opts: LinkPairOptions = {}): [Duplex, Duplex] {
  const bitsPerByte = opts.bitsPerByte ?? 10;
  if (opts.baudRate !== undefined && (!(opts.baudRate > 0) || !(bitsPerByte > 0))) {
    throw new RangeError(`createLinkPair: baudRate and bitsPerByte must be positive, got ${opts.baudRate} and ${bitsPerByte}`);
  }
  const bytesPerMs = opts.baudRate !== undefined ? opts.baudRate / bitsPerByte / 1000 : undefined;
  const queueBytes = opts.queueBytes ?? 4096;
  const a = new LinkEnd();
  const b = new LinkEnd();
  a.peer = b;
  b.peer = a;
  a.line = new Line((c) => { if (!b.destroyed) b.push(c); }, bytesPerMs, queueBytes);
  b.line = new Line((c) => { if (!a.destroyed) a.push(c); }, bytesPerMs, queueBytes);
  return [a, b];
}

/** Wire time of `bytes` at a UART rate, in ms (8N1 by default). */
export function wireTimeMs(bytes: number, baudRate: number, bitsPerByte = 10): number {
  return (bytes * bitsPerByte * 1000) / baudRate;
}
