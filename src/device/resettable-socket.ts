// An OS TCP socket behind a plain Duplex. TLS over a net.Socket takes over its native handle, after which the socket
// can no longer be reset (resetting it under TLS crashes the process). Behind this wrapper TLS sees an ordinary
// stream, and destroying the wrapper with an error resets the TCP connection (RST) instead of closing it gracefully,
// so bytes of a request we gave up on are dropped rather than delivered late.
import type * as net from 'node:net';
import { Duplex } from 'node:stream';

export class ResettableSocketStream extends Duplex {
  constructor(private readonly socket: net.Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (!this.socket.destroyed) {
      if (err) this.socket.resetAndDestroy();
      else this.socket.destroy();
    }
    callback(err);
  }

  setNoDelay(noDelay = true): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
}
