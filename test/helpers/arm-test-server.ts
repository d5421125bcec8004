// A small HTTPS server on loopback that answers as Azure Resource Manager does, route by route, for testing the ARM
// clients' pipeline without the emulator: each route a function of the request; every request recorded (method,
// path, query, headers, body).
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeCa, makeServerIdentity } from './test-pki';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface ArmReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
}

export type ArmRoute = (request: RecordedRequest, server: ArmTestServer) => ArmReply;

let identity: { ca: string; key: string; cert: string } | undefined;

/** One CA and a loopback server certificate per process. */
export function loopbackTls(): { ca: string; key: string; cert: string } {
  if (!identity) {
    const ca = makeCa('Test ARM CA');
    const server = makeServerIdentity(ca, ['localhost'], ['127.0.0.1']);
    identity = { ca: ca.certPem, key: server.keyPem, cert: server.certPem };
  }
  return identity;
}

export class ArmTestServer {
  readonly requests: RecordedRequest[] = [];
  /** Routes by `METHOD /path` (path without query, compared case-insensitively). */
  readonly routes = new Map<string, ArmRoute>();
  private server!: https.Server;
  url = '';

  async start(): Promise<this> {
    const tls = loopbackTls();
    this.server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', this.url);
        const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
        this.requests.push(recorded);
        const route = this.routes.get(`${recorded.method} ${url.pathname}`.toLowerCase());
        const reply = route ? route(recorded, this) : { status: 404, json: { error: { code: 'ResourceNotFound', message: `No route for ${recorded.method} ${url.pathname}.` } } };
        const body = reply.json === undefined ? '' : JSON.stringify(reply.json);
        res.writeHead(reply.status, { 'content-type': 'application/json', 'x-ms-request-id': `req-${this.requests.length}`, ...reply.headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  route(method: string, path: string, route: ArmRoute): void {
    this.routes.set(`${method} ${path}`.toLowerCase(), route);
  }

  /** Replies in turn, the last one repeated. */
  sequence(method: string, path: string, replies: readonly ArmReply[]): void {
    let i = 0;
    this.route(method, path, () => replies[Math.min(i++, replies.length - 1)]!);
  }

  reset(): void {
    this.requests.length = 0;
    this.routes.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
