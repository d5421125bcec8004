// A minimal device REST client for the simulator's tests: HTTPS (trusting only the board's CA, hostname checked
// against *.devices.sphere.azure.local) over any byte stream — a loopback TCP socket or a TCP connection of the
// user-space stack running over the real pty.
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

export interface RestReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  raw: string;
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
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // leave as text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, raw });
      });
      res.on('error', reject);
    });
    req.setTimeout(call.timeoutMs ?? 10_000, () => req.destroy(new Error(`${call.method} ${call.path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
