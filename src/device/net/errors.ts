/** Errors with Node-style `code`s, so callers can treat our sockets like `net.Socket`s. */

export type NetErrorCode = 'ECONNREFUSED' | 'ETIMEDOUT' | 'ECONNRESET' | 'ELINKDOWN' | 'ECONNABORTED' | 'EADDRINUSE' | 'EPIPE';

export class NetError extends Error {
  constructor(readonly code: NetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetError';
  }
}
