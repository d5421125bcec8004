// One HTTPS client for everything src/cloud sends: msal's token requests, the security service API and ARM.
// It trusts the public roots plus optional extra CAs (the local cloud emulator's), so TLS checks are never
// switched off, and it refuses anything but https:// before a byte is sent.
import type { ClientRequest } from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { CancelledError, CloudError, InvalidArgumentError } from './errors';
import { isStreamedBody, type StreamedBody } from './streamed-body';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A StreamedBody is written a chunk at a time (an image package upload), never gathered into one buffer. */
  readonly body?: string | Buffer | StreamedBody;
  /** Told the bytes of the body handed to the connection so far, after each chunk (progress of an upload). */
  readonly onBodySent?: (bytesSent: number) => void;
  /** Gives up with a NetworkError when no response arrives in time (default 60 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Sends one request and returns the response, whatever its status; throws only for transport failures. */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** A response whose body arrives as it is sent (a server-sent event stream); destroy `body` to hang up. */
export interface StreamingResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: NodeJS.ReadableStream & { destroy(): void };
}

export interface StreamingTransport {
  openStream(request: Omit<HttpRequest, 'body' | 'timeoutMs'>): Promise<StreamingResponse>;
}

/** The connection failed (DNS, TCP, TLS, timeout): there is no HTTP response. */
export class NetworkError extends CloudError {
  constructor(message: string, readonly causeCode?: string) {
    super(message, 'network');
  }
}

export interface HttpsTransportOptions {
  /** Extra trusted CA certificates (PEM), added to Node's public roots; e.g. the cloud emulator's CA. */
  readonly extraCaPem?: string | readonly string[];
  /** Largest response body accepted, in bytes (default 32 MiB). */
  readonly maxResponseBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class HttpsTransport implements HttpTransport, StreamingTransport {
  private readonly agent: https.Agent;
  private readonly secureContext: tls.SecureContext | undefined;
  private readonly maxResponseBytes: number;

  constructor(options: HttpsTransportOptions = {}) {
    const extra = options.extraCaPem === undefined ? [] : typeof options.extraCaPem === 'string' ? [options.extraCaPem] : [...options.extraCaPem];
    // keepAlive: listing thousands of devices page by page reuses one connection instead of a handshake per page.
    // The trust store goes in as a prebuilt secureContext, not as `ca`: the agent folds `ca` into its per-request
    // pool key, and with the ~140 public roots that string building doubled the cost of every request.
    this.secureContext = extra.length > 0 ? publicRootsPlus(extra) : undefined;
    this.agent = new https.Agent({ keepAlive: true, secureContext: this.secureContext });
    this.maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    let url: URL;
    try {
      url = httpsUrlOf(request);
    } catch (err) {
      return Promise.reject(err);
    }
    const streamed = isStreamedBody(request.body) ? request.body : undefined;
    const body = request.body === undefined || streamed ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body as string, 'utf8');
    const headers: Record<string, string> = { ...request.headers };
    if (body) headers['content-length'] = String(body.length);
    if (streamed) headers['content-length'] = String(streamed.length);

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        request.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const req = https.request(url, { method: request.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxResponseBytes) {
            req.destroy();
            finish(() => reject(new NetworkError(`The response from ${url.origin} was larger than ${this.maxResponseBytes} bytes.`)));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(networkError(url, err))));
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish(() => resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) }));
        });
      });
      const onAbort = (): void => {
        req.destroy();
        finish(() => reject(new CancelledError()));
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.setTimeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => {
        req.destroy();
        finish(() => reject(new NetworkError(`No response from ${url.origin} within ${request.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms.`, 'ETIMEDOUT')));
      });
      req.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(networkError(url, err))));
      if (!streamed) {
        req.end(body);
        return;
      }
      writeStreamed(req, streamed, request.onBodySent, () => settled).then(
        () => req.end(),
        (err: unknown) => {
          req.destroy();
          finish(() => reject(err instanceof CloudError ? err : new CloudError(`Reading the request body failed: ${(err as Error).message}.`, 'body_unreadable')));
        },
      );
    });
  }

  /** Opens a GET whose body streams (no size limit, no idle timeout once headers arrived); same trust as send(). */
  openStream(request: Omit<HttpRequest, 'body' | 'timeoutMs'>): Promise<StreamingResponse> {
    let url: URL;
    try {
      url = httpsUrlOf(request);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<StreamingResponse>((resolve, reject) => {
      // Its own agent: a stream that stays open must not hold a keep-alive socket of the pool.
      const agent = new https.Agent({ keepAlive: false, secureContext: this.secureContext });
      const req = https.request(url, { method: request.method, headers: { ...request.headers }, agent }, (res) => {
        request.signal?.removeEventListener('abort', onAbort);
        req.setTimeout(0);
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: out, body: res });
      });
      const onAbort = (): void => {
        req.destroy();
        reject(new CancelledError());
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.setTimeout(DEFAULT_TIMEOUT_MS, () => req.destroy(new NetworkError(`No response from ${url.origin} within ${DEFAULT_TIMEOUT_MS} ms.`, 'ETIMEDOUT')));
      req.on('error', (err: NodeJS.ErrnoException) => reject(err instanceof NetworkError ? err : networkError(url, err)));
      req.end();
    });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }
}

/**
 * Writes `body` a chunk at a time, waiting for the socket to drain rather than buffering the rest, and reports the
 * bytes handed over. Stops quietly once the request is over (`done`: failed, aborted or answered early); refuses a
 * body whose bytes do not add up to the length announced (a file that changed while it was sent).
 */
async function writeStreamed(req: ClientRequest, body: StreamedBody, onBodySent: ((bytes: number) => void) | undefined, done: () => boolean): Promise<void> {
  let sent = 0;
  for await (const chunk of body.open()) {
    if (done()) return;
    sent += chunk.byteLength;
    if (sent > body.length) throw new CloudError(`The request body is longer than the ${body.length} bytes announced; did the file change while it was sent?`, 'body_changed');
    if (!req.write(chunk)) await new Promise<void>((resolve) => {
      const go = (): void => {
        req.off('drain', go);
        req.off('close', go);
        resolve();
      };
      req.on('drain', go);
      req.on('close', go);
    });
    if (done()) return;
    onBodySent?.(sent);
  }
  if (sent !== body.length) throw new CloudError(`The request body ended after ${sent} of the ${body.length} bytes announced; did the file change while it was sent?`, 'body_changed');
}

/** The request's URL, refused before a byte is sent when it is not one, not https://, or already cancelled. */
function httpsUrlOf(request: { readonly url: string; readonly signal?: AbortSignal }): URL {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new InvalidArgumentError(`Not a URL: "${request.url}".`);
  }
  if (url.protocol !== 'https:') {
    throw new InvalidArgumentError(`Refusing to send a request over ${url.protocol.replace(':', '')}; only https:// is allowed (${url.origin}).`);
  }
  if (request.signal?.aborted) throw new CancelledError();
  return url;
}

/**
 * A TLS context trusting Node's public roots plus `extraPems`. Adding to the default context copies the already
 * parsed root store (about 1 ms); `ca: [...tls.rootCertificates, ...extra]` would re-parse ~140 PEMs (about 70 ms,
 * paid by every new engine). Falls back to that if the runtime lacks the native `addCACert`.
 */
function publicRootsPlus(extraPems: readonly string[]): tls.SecureContext {
  const context = tls.createSecureContext();
  const native = (context as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert !== 'function') return tls.createSecureContext({ ca: [...tls.rootCertificates, ...extraPems] });
  for (const pem of extraPems) native.addCACert(pem);
  return context;
}

function networkError(url: URL, err: NodeJS.ErrnoException): NetworkError {
  const code = err.code ?? 'EUNKNOWN';
  const tlsHint =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? ' (the server certificate was issued for another name)'
      : /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)
        ? ' (the server certificate is not trusted)'
        : '';
  return new NetworkError(`Could not reach ${url.origin}: ${code}${tlsHint}.`, code);
}
