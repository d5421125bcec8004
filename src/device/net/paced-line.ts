/**
 * UART timing for links that have none (pty pairs, in-process pairs): bytes leave back to back at
 * `baudRate / bitsPerByte` bytes per second (8N1 = 10 bits per byte) and each written chunk is delivered when its
 * last byte has crossed the line. NetStack writes one SLIP frame per chunk, so a frame arrives whole when its last
 * byte would have. Writers see backpressure (`write()` returns false) once more than `queueBytes` wait for the line,
 * like a UART's transmit FIFO plus driver buffer.
 */
import { Duplex } from 'node:stream';

export interface UartTiming {
  baudRate: number;
  /** Bits on the wire per byte: 10 for 8N1 (default). */
  bitsPerByte?: number;
  /** Bytes that may wait for the line before writers see backpressure (default 4096). */
  queueBytes?: number;
}

/** Wire time of `bytes` at a UART rate, in ms (8N1 by default). */
export function wireTimeMs(bytes: number, baudRate: number, bitsPerByte = 10): number {
  return (bytes * bitsPerByte * 1000) / baudRate;
}

interface Queued {
  chunk: Buffer;
  deliverAt: number;
}

/**
 * One direction of a serial line. Without timing it delivers on the next turn of the event loop (never synchronously,
 * so a stack never re-enters itself through its own link).
 */
export class UartLine {
  private queue: Queued[] = [];
  private queued = 0;
  private lineFreeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private blockedCb: (() => void) | undefined;
  private endAfterQueue = false;
  private closed = false;
  private readonly bytesPerMs: number | undefined;
  private readonly queueBytes: number;

  constructor(private readonly deliver: (chunk: Buffer | null) => void, timing?: UartTiming) {
    if (timing) {
      const bits = timing.bitsPerByte ?? 10;
      if (!(timing.baudRate > 0) || !(bits > 0)) throw new RangeError(`UART timing: baudRate and bitsPerByte must be positive, got ${timing.baudRate} and ${bits}`);
      this.bytesPerMs = timing.baudRate / bits / 1000;
    }
    this.queueBytes = timing?.queueBytes ?? 4096;
  }

  /** Queues `chunk`; `cb` runs at once, or once the queue has drained below `queueBytes` (backpressure). */
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
    if (this.bytesPerMs === undefined || this.queued <= this.queueBytes) cb();
    else this.blockedCb = cb;
    this.schedule();
  }

  /** Delivers end-of-stream after everything queued. */
  end(): void {
    this.endAfterQueue = true;
    if (this.queue.length === 0) this.finish();
  }

  /** Drops whatever is queued (the line was cut). */
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
    const now = performance.now() + 0.5; // timers have 1 ms granularity: deliver what is due within half of it
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

/**
 * Wraps a link (e.g. the board simulator's pty master) so that everything written to it reaches `inner` at UART pace;
 * bytes read from `inner` pass through unchanged (the other end paces its own writes). Destroying either destroys both.
 */
export function pacedLink(inner: Duplex, timing: UartTiming): Duplex {
  const line = new UartLine((chunk) => {
    if (inner.destroyed) return;
    if (chunk) inner.write(chunk);
    else inner.end();
  }, timing);
  const outer: Duplex = new Duplex({
    writableHighWaterMark: 2048, // a frame waiting behind a full line queue already signals backpressure
    write(chunk: Buffer, _enc, cb) {
      line.send(chunk, cb);
    },
    final(cb) {
      line.end();
      cb();
    },
    read() {
      inner.resume();
    },
    destroy(err, cb) {
      line.close();
      if (!inner.destroyed) inner.destroy();
      cb(err);
    },
  });
  inner.on('data', (d: Buffer) => {
    if (!outer.push(d)) inner.pause();
  });
  inner.on('end', () => outer.push(null));
  inner.on('error', (err) => outer.destroy(err));
  inner.on('close', () => outer.destroy());
  return outer;
}
