// HTTP/1.1 over one kept-alive TLS connection to a board: one handshake, reused for every request (a handshake costs
// several round trips on a serial line). Errors say whether the request may have reached the board, so the REST
// client can decide between retrying and re-reading state.
import * as http from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { DeviceError } from '../device-error';
import { CancelledError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { DEVICE_HOST_HEADER } from '../transport';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body that can be opened again (a retry needs a fresh stream). */
export interface BodySource {
  readonly length: number;
  open(): Readable;
}

export interface HttpRequestSpec {
  method: HttpMethod;
  path: string;
  /** JSON body (serialized here). */
  json?: unknown;
  /** Raw body, streamed (application/octet-stream unless contentType says otherwise). */
  body?: BodySource;
  contentType?: string;
  /** Give up when nothing moves on the connection for this long. */
  idleTimeoutMs?: number;
  /** Called as body bytes are handed to the connection. */
  onUploadProgress?: (sentBytes: number, totalBytes: number) => void;
  /**
   * Cancels the request: it fails with CancelledError at once and its connection is torn down, so a body still on its
   * way never completes on the board.
   */
  signal?: AbortSignal;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Opens a verified, ready-to-use stream to the board (TLS already established). */
export interface SecureConnector {
  readonly label: string;
  connect(options: { timeoutMs: number }): Promise<Duplex>;
}

export interface HttpSessionOptions {
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
  logger: Logger;
}

export class HttpSession {
  private readonly agent: http.Agent;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private disposed = false;

  constructor(
    private readonly connector: SecureConnector,
    private readonly options: HttpSessionOptions,
  ) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 15_000;
    // One connection per board: the board serves one client at a time well, and the serial line is shared anyway.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, scheduling: 'lifo' });
    const createConnection = (_opts: unknown, callback: (err: Error | null, socket?: Duplex) => void): undefined => {
      if (this.disposed) {
        callback(new DeviceError('DISPOSED', 'The device connection was closed.'));
        return undefined;
      }
      this.connector.connect({ timeoutMs: this.connectTimeoutMs }).then(
        (socket) => {
          this.options.logger.debug(`connected to the board (${this.connector.label})`);
          callback(null, socket);
        },
        (err: Error) => callback(err),
      );
      return undefined;
    };
    (this.agent as unknown as { createConnection: typeof createConnection }).createConnection = createConnection;
  }

  get label(): string {
    return this.connector.label;
  }

  request(spec: HttpRequestSpec): Promise<HttpResult> {
    if (this.disposed) return Promise.reject(new DeviceError('DISPOSED', 'The device connection was closed.'));
    const what = `${spec.method} ${spec.path}`;
    if (spec.signal?.aborted) return Promise.reject(new CancelledError(`${what} was cancelled.`));
    const jsonBody = spec.json === undefined ? undefined : Buffer.from(JSON.stringify(spec.json), 'utf8');
    const headers: http.OutgoingHttpHeaders = { Host: DEVICE_HOST_HEADER, Accept: 'application/json' };
    if (jsonBody) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = jsonBody.length;
    } else if (spec.body) {
      headers['Content-Type'] = spec.contentType ?? 'application/octet-stream';
      headers['Content-Length'] = spec.body.length;
    } else if (spec.method !== 'GET' && spec.method !== 'DELETE') {
      headers['Content-Length'] = 0;
    }
    const idleTimeoutMs = spec.idleTimeoutMs ?? this.idleTimeoutMs;

    return new Promise<HttpResult>((resolve, reject) => {
      let onSocket = false;
      let settled = false;
      let source: Readable | undefined;
      const onAbort = (): void => {
        const err = new CancelledError(`${what} was cancelled.`);
        settle(err);
        // Destroying the request destroys its connection (never returned to the pool), and closing TLS resets the TCP
        // connection under it: the board sees the upload break off and keeps nothing of it.
        req.destroy(err);
      };
      // Settles before destroying: tearing the connection down raises errors of its own, which must not win.
      const breakOff = (err: Error): void => {
        settle(classifyRequestError(err, onSocket, this.connector.label, what));
        req.destroy(err);
      };
      const settle = (err: Error | null, result?: HttpResult): void => {
        if (settled) return;
        settled = true;
        spec.signal?.removeEventListener('abort', onAbort);
        if (source && !source.readableEnded) source.destroy();
        if (err) reject(err);
        else resolve(result!);
      };
      // socketPath (never dialled: the agent's createConnection makes the socket) keeps VS Code's proxy support from
      // swapping our agent for its own, which would resolve "board" through DNS inside the extension host.
      const req = http.request({ agent: this.agent, method: spec.method, path: spec.path, headers, socketPath: 'sphere-board' });
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      req.setTimeout(idleTimeoutMs, () => {
        breakOff(
          new DeviceError(
            'TIMEOUT',
            `Device connection timed out (${this.connector.label}, ${what}: no data for ${idleTimeoutMs} ms). ` +
              'Please ensure your device is connected and has development mode enabled.',
            { mayHaveReachedDevice: onSocket },
          ),
        );
      });
      req.on('socket', () => {
        onSocket = true;
        // The body is opened only now that a connection is there: a request that never got one has read nothing, so
        // it can be retried even with a body that can be read only once.
        if (spec.body && !settled) source = streamBody(req, spec.body, spec.onUploadProgress, what, breakOff);
      });
      req.on('error', (err) => settle(classifyRequestError(err, onSocket, this.connector.label, what)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          settle(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (err) => settle(classifyRequestError(err, true, this.connector.label, what)));
        res.on('close', () => {
          if (!res.complete) {
            settle(new DeviceError('CONNECTION_LOST', `The connection broke while reading the answer to ${what}.`, { mayHaveReachedDevice: true }));
          }
        });
      });
      if (jsonBody) req.end(jsonBody);
      else if (!spec.body) req.end();
    });
  }

  /** Closes the kept-alive connection (the next request opens a new one). */
  resetConnection(): void {
    this.agent.destroy();
  }

  dispose(): void {
    this.disposed = true;
    this.agent.destroy();
  }
}

/**
 * Pipes a body into the request (pipe keeps backpressure: only as much is read as the connection takes), reporting the
 * bytes handed on. A body that ends short of, or runs past, its announced length breaks the request off: the board
 * must never take a truncated body for a whole one.
 */
function streamBody(
  req: http.ClientRequest,
  body: BodySource,
  onProgress: HttpRequestSpec['onUploadProgress'],
  what: string,
  breakOff: (err: Error) => void,
): Readable | undefined {
  let source: Readable;
  try {
    source = body.open();
  } catch (err) {
    breakOff(err as Error);
    return undefined;
  }
  const total = body.length;
  let sent = 0;
  const wrongLength = (): DeviceError =>
    new DeviceError('INVALID_INPUT', `The body of ${what} was announced as ${total} bytes but had ${sent}${sent > total ? ' or more' : ''}; nothing of it was kept.`, {
      field: 'body',
    });
  source.on('data', (chunk: Buffer) => {
    sent += chunk.length;
    if (sent > total) {
      breakOff(wrongLength());
      return;
    }
    onProgress?.(sent, total);
  });
  source.on('end', () => {
    if (sent !== total) breakOff(wrongLength());
  });
  // Not a connection failure: sending it again would fail the same way.
  source.on('error', (err) => breakOff(new DeviceError('INVALID_INPUT', `Reading the body of ${what} failed: ${err.message}`, { field: 'body', cause: err })));
  source.pipe(req);
  return source;
}

function classifyRequestError(err: Error, reachedSocket: boolean, label: string, what: string): DeviceError {
  if (err instanceof DeviceError) {
    if (err.mayHaveReachedDevice || !reachedSocket) return err;
    return new DeviceError(err.code, err.message, { cause: err.cause ?? err, mayHaveReachedDevice: true, httpStatus: err.httpStatus });
  }
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ELINKDOWN') {
    return new DeviceError('LINK_DOWN', `The link to the board (${label}) went down during ${what}: ${err.message}`, {
      cause: err,
      mayHaveReachedDevice: reachedSocket,
    });
  }
  if (!reachedSocket) {
    return new DeviceError(
      code === 'ETIMEDOUT' ? 'TIMEOUT' : 'CONNECTION_FAILED',
      `Could not connect to the device (${label}): ${err.message}${code ? ` (${code})` : ''}`,
      { cause: err },
    );
  }
  return new DeviceError('CONNECTION_LOST', `The connection to the board (${label}) broke during ${what}: ${err.message}${code ? ` (${code})` : ''}`, {
    cause: err,
    mayHaveReachedDevice: true,
  });
}
