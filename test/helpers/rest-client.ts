// A minimal device REST client for the simulator's tests: HTTPS (trusting only the board's CA, hostname checked
// against *.devices.sphere.azure.local) over any byte stream — a loopback TCP socket or a TCP connection of the
// user-space stack running over the real pty.
import type * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

export interface RestReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  raw: string;
  /** The body as received, for binary answers. */
  bytes: Buffer;
}

export interface RestCall {
  method: string;
  path: string;
  /** Object bodies are sent as JSON; Buffers as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type StreamFactory = () => Duplex;

/** Reads a whole answer; a JSON body is parsed, anything else is left as text (and bytes). */
function collectReply(res: http.IncomingMessage, resolve: (reply: RestReply) => void, reject: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // leave as text
    }
    resolve({ status: res.statusCode ?? 0, headers: res.headers, body, raw, bytes });
  });
  res.on('error', reject);
}

/** A host name inside the leaf's wildcard, as the official clients' Host header is. */
export const DEVICE_SERVERNAME = 'board.devices.sphere.azure.local';

export function restCall(connect: StreamFactory, caCertPem: string, call: RestCall): Promise<RestReply> {
  return new Promise((resolve, reject) => {
    let payload: Buffer | undefined;
    const headers: Record<string, string> = { Accept: 'application/json', ...call.headers };
    if (Buffer.isBuffer(call.body)) {
      payload = call.body;
    } else if (call.body !== undefined) {
      payload = Buffer.from(JSON.stringify(call.body));
      headers['Content-Type'] ??= 'application/json';
    }
    if (payload) headers['Content-Length'] = String(payload.length);
    const req = https.request({
      method: call.method,
      path: call.path,
      host: DEVICE_SERVERNAME,
      headers,
      createConnection: () => tls.connect({ socket: connect(), ca: caCertPem, servername: DEVICE_SERVERNAME }),
    }, (res) => collectReply(res, resolve, reject));
    req.setTimeout(call.timeoutMs ?? 10_000, () => req.destroy(new Error(`${call.method} ${call.path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface OpenUpload {
  /** Sends more of the body. */
  write(bytes: Buffer): void;
  /** Drops the connection before the declared length has been sent, as a pulled cable or a killed client does. */
  cutOff(): void;
  /** Settles when the board answers (after a complete body) or the connection ends. */
  reply: Promise<RestReply>;
}

/**
 * A PUT whose body is written piece by piece against a declared Content-Length, so a test can stop half-way: for
 * uploads that break off mid-body.
 */
export function openUpload(connect: StreamFactory, caCertPem: string, call: { path: string; declaredLength: number; headers?: Record<string, string> }): OpenUpload {
  let req!: ReturnType<typeof https.request>;
  const reply = new Promise<RestReply>((resolve, reject) => {
    req = https.request({
      method: 'PUT',
      path: call.path,
      host: DEVICE_SERVERNAME,
      headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream', ...call.headers, 'Content-Length': String(call.declaredLength) },
      createConnection: () => tls.connect({ socket: connect(), ca: caCertPem, servername: DEVICE_SERVERNAME }),
    }, (res) => collectReply(res, resolve, reject));
    req.on('error', reject);
  });
  return {
    write: (bytes) => req.write(bytes),
    cutOff: () => req.destroy(new Error('upload cut off')),
    reply,
  };
}
