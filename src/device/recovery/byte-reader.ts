// Reads a byte stream one byte or one text line at a time, with a timeout per read, for protocols that alternate
// console lines and XMODEM on one UART. Bytes are buffered from the moment the reader is attached, so nothing the
// board says between two reads is lost.
import type { Readable } from 'node:stream';

export class ReadTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`no ${what} within ${timeoutMs} ms`);
    this.name = 'ReadTimeoutError';
  }
}

export class StreamClosedError extends Error {
  constructor() {
    super('the port closed');
    this.name = 'StreamClosedError';
  }
}

interface Waiter {
  check(): boolean;
  fail(err: Error): void;
}

export class ByteReader {
  private readonly chunks: Buffer[] = [];
  private offset = 0;
  private waiter: Waiter | undefined;
  private ended = false;
  private readonly onData = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.wake();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  constructor(private readonly stream: Readable) {
    stream.on('data', this.onData);
    stream.on('close', this.onEnd);
    stream.on('end', this.onEnd);
  }

  /** Stops listening; unread bytes are dropped. */
  detach(): void {
    this.stream.off('data', this.onData);
    this.stream.off('close', this.onEnd);
    this.stream.off('end', this.onEnd);
    this.waiter?.fail(new StreamClosedError());
  }

  /** Drops everything received so far (e.g. stale bytes before a retry). */
  discard(): void {
    this.chunks.length = 0;
    this.offset = 0;
  }

  readByte(timeoutMs: number): Promise<number> {
    return this.wait('byte', timeoutMs, () => this.takeByte());
  }

  /** The next line without its CR/LF; empty lines are skipped. */
  readLine(timeoutMs: number): Promise<string> {
    return this.wait('line', timeoutMs, () => this.takeLine());
  }

  private takeByte(): number | undefined {
    while (this.chunks.length > 0) {
      const head = this.chunks[0]!;
      if (this.offset < head.length) return head[this.offset++];
      this.chunks.shift();
      this.offset = 0;
    }
    return undefined;
  }

  private takeLine(): string | undefined {
    if (this.chunks.length === 0) return undefined;
    let pending = Buffer.concat([this.chunks[0]!.subarray(this.offset), ...this.chunks.slice(1)]);
    this.chunks.length = 0;
    this.offset = 0;
    let line: string | undefined;
    for (let newline = pending.indexOf(0x0a); newline >= 0 && line === undefined; newline = pending.indexOf(0x0a)) {
      const text = pending.subarray(0, newline).toString('latin1').replace(/\r/g, '');
      pending = pending.subarray(newline + 1);
      if (text.trim().length > 0) line = text;
    }
    if (pending.length > 0) this.chunks.push(pending);
    return line;
  }

  private wait<T>(what: string, timeoutMs: number, take: () => T | undefined): Promise<T> {
    if (this.waiter) return Promise.reject(new Error('ByteReader: one read at a time'));
    const now = take();
    if (now !== undefined) return Promise.resolve(now);
    if (this.ended) return Promise.reject(new StreamClosedError());
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new ReadTimeoutError(what, timeoutMs));
      }, timeoutMs);
      this.waiter = {
        check: () => {
          const value = take();
          if (value === undefined) {
            if (!this.ended) return false;
            this.waiter = undefined;
            clearTimeout(timer);
            reject(new StreamClosedError());
            return true;
          }
          this.waiter = undefined;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
        fail: (err) => {
          this.waiter = undefined;
          clearTimeout(timer);
          reject(err);
        },
      };
    });
  }

  private wake(): void {
    this.waiter?.check();
  }
}
