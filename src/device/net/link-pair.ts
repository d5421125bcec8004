/**
 * In-process serial links: two connected `Duplex` ends, each direction optionally paced at a UART rate (see
 * paced-line.ts). For tests, benchmarks and the board simulator when both ends live in one process (a real pty
 * carries the same bytes between processes: wrap its end with `pacedLink`).
 */
import { Duplex } from 'node:stream';
import { UartLine } from './paced-line';

export interface LinkPairOptions {
  /** Pace each direction at this UART rate; omit for an unpaced link (delivery on the next turn of the event loop). */
  baudRate?: number;
  /** Bits on the wire per byte: 10 for 8N1 (default). */
  bitsPerByte?: number;
  /** Bytes that may wait for the line before `write()` reports backpressure (default 4096). */
  queueBytes?: number;
}

/**
 * Once the line holds a write back (its queue is full), a second waiting frame makes write() return false: a small
 * writable high-water mark keeps the queue in front of the line, and so the RTT a sender sees, short.
 */
const LINK_WRITE_HIGH_WATER = 2048;

class LinkEnd extends Duplex {
  line!: UartLine;
  peer!: LinkEnd;

  constructor() {
    super({ writableHighWaterMark: LINK_WRITE_HIGH_WATER });
  }

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
  const timing = opts.baudRate !== undefined ? { baudRate: opts.baudRate, bitsPerByte: opts.bitsPerByte, queueBytes: opts.queueBytes } : undefined;
  const a = new LinkEnd();
  const b = new LinkEnd();
  a.peer = b;
  b.peer = a;
  a.line = new UartLine((c) => { if (!b.destroyed) b.push(c); }, timing);
  b.line = new UartLine((c) => { if (!a.destroyed) a.push(c); }, timing);
  return [a, b];
}
