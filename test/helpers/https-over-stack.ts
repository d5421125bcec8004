/**
 * HTTPS on top of NetStack sockets, the way the extension and the board simulator use it: Node's https.Server
 * fed with our sockets through emit('connection'), and an https.Agent whose connections are tls over our TcpSocket.
 */
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { NetStack, TcpSocket } from '../../src/device/net';
import type { TlsFixture } from './test-pki';

/** Serves `handler` over TLS on `port` of `stack`; `onSocket` sees each TcpSocket first (e.g. for its peer address). */
export function serveHttps(stack: NetStack, port: number, fx: TlsFixture, handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
  onSocket?: (sock: TcpSocket) => void): { server: https.Server; close(): void } {
  const server = https.createServer({ key: fx.key, cert: fx.cert }, handler);
  const listener = stack.listen(port, (sock: TcpSocket) => {
    onSocket?.(sock);
    server.emit('connection', sock);
  });
  return {
    server,
    close() {
      listener.close();
      server.close();
      server.closeAllConnections();
    },
  };
}

/** An https.Agent that dials through `stack` instead of the OS (keep-alive: one TLS handshake for many requests). */
export class StackHttpsAgent extends https.Agent {
  constructor(private readonly stack: NetStack, private readonly ca: string, opts: https.AgentOptions = {}) {
    super({ keepAlive: true, ...opts });
  }

  override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number; servername?: string }): tls.TLSSocket {
    const socket = this.stack.connect({ host: options.host ?? '', port: options.port ?? 443 });
    return tls.connect({ socket, servername: options.servername, ca: this.ca, host: options.host });
  }
}

export function request(opts: https.RequestOptions, body?: Buffer | string): Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
