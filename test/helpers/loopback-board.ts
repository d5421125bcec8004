// A real HTTPS server on 127.0.0.1 that answers the two calls the route/trust tests need (/status and
// /device/security_state). It stands in for a board only where the test is about the route or TLS trust, not about
// the REST API (those tests run against the board simulator over a pty).
import { randomBytes } from 'node:crypto';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestServerIdentity } from './test-pki';

export interface LoopbackBoard {
  port: number;
  deviceId: string;
  /** Number of TLS handshakes completed and HTTP requests served. */
  handshakes: number;
  requests: { method: string; url: string; host: string | undefined }[];
  /** Swap the presented certificate (simulates a board re-provisioned or an impostor). */
  setIdentity(identity: TestServerIdentity): void;
  close(): Promise<void>;
}

export async function startLoopbackBoard(identity: TestServerIdentity, deviceId: string): Promise<LoopbackBoard> {
  const server = https.createServer({ cert: identity.chainPem, key: identity.keyPem, keepAlive: true }, (req, res) => {
    board.requests.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'REST-API-Version': '4.6.0' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (req.url === '/status') return send(200, { uptime: 42 });
    if (req.url === '/device/security_state') return send(200, { securityState: 'SECURE', deviceIdentifier: deviceId });
    send(400, { error: 15728642 });
  });
  server.on('secureConnection', () => {
    board.handshakes++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const board: LoopbackBoard = {
    port: (server.address() as AddressInfo).port,
    deviceId,
    handshakes: 0,
    requests: [],
    setIdentity(next) {
      server.setSecureContext({ cert: next.chainPem, key: next.keyPem });
      server.closeAllConnections();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return board;
}

export function randomDeviceId(): string {
  return randomBytes(64).toString('hex').toUpperCase();
}
