// One TLS port that speaks both MQTT and HTTPS, as an IoT hub's host name does (8883 and 443 in Azure, one port
// here): after the handshake the first byte decides — 0x10 is an MQTT CONNECT packet's fixed header (MQTT 3.1.1
// §2.2, §3.1), which no HTTP request line starts with — and the socket, with that byte put back, goes to the MQTT
// broker or to the HTTP server.
//
// The server asks every client for a certificate but lets the handshake finish without one, and without judging it
// (`requestCert: true, rejectUnauthorized: false`): devices are checked against the hub's own uploaded CAs
// afterwards (certificate-chain.ts), and service clients present none.
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';

const MQTT_CONNECT = 0x10;
/** A connection that sends nothing this long after the handshake is dropped. */
const FIRST_BYTE_TIMEOUT_MS = 30_000;

export interface TlsEndpoint {
  port: number;
  close(): void;
}

export interface TlsEndpointOptions {
  /** The port to take; 0 for any. */
  port: number;
  /** Take any free port when `port` is in use (a persisted port another program took meanwhile). */
  fallBackToAnyPort: boolean;
  keyPem: string;
  certPem: string;
  http: HttpServer;
  /** Absent: MQTT is not spoken here and such a connection is closed. */
  mqtt?: (socket: TLSSocket) => void;
  log?: (line: string) => void;
  label: string;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startTlsEndpoint(opts: TlsEndpointOptions): Promise<TlsEndpoint> {
  const sockets = new Set<Socket>();
  const server = createServer({ key: opts.keyPem, cert: opts.certPem, requestCert: true, rejectUnauthorized: false });
  server.on('connection', (raw: Socket) => {
    sockets.add(raw);
    raw.once('close', () => sockets.delete(raw));
  });
  // A client that gives up during the handshake is not the endpoint's problem.
  server.on('tlsClientError', () => {});
  server.on('secureConnection', (socket: TLSSocket) => {
    const timer = setTimeout(() => socket.destroy(), FIRST_BYTE_TIMEOUT_MS);
    timer.unref();
    // The first chunk is taken in flowing mode, the stream paused and the chunk put back: the next owner finds it as
    // if nothing had been read. aedes reads on 'readable' (which needs no resume); http listens for 'data', which a
    // paused stream only delivers once resumed.
    socket.once('data', (first: Buffer) => {
      clearTimeout(timer);
      socket.pause();
      socket.unshift(first);
      if (first[0] === MQTT_CONNECT) {
        if (opts.mqtt) opts.mqtt(socket);
        else socket.destroy();
      } else {
        opts.http.emit('connection', socket);
        socket.resume();
      }
    });
    socket.on('error', () => socket.destroy());
  });

  let port: number;
  try {
    port = await listen(server, opts.port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !opts.fallBackToAnyPort) throw err;
    port = await listen(server, 0);
    opts.log?.(`${opts.label}: port ${opts.port} is in use; listening on ${port} instead (its host name changed to 127.0.0.1:${port})`);
  }
  return {
    port,
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
