// The HTTP side of a hub's, a DPS's and the global provisioning endpoint's port: an http.Server that is never
// listened on itself — the TLS endpoint (tls-endpoint.ts) hands it the connections that are not MQTT. Requests are
// read into the emulator's EmuRequest, answered by the endpoint's handler, and sent only once everything the handler
// committed is on disk, as on the main port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, type EmuRequest, type EmuResponse } from '../http';
import type { Store } from '../store';

/** 'streamed': the handler answered on `res` itself (the telemetry stream). */
export type IotHttpHandler = (req: EmuRequest, raw: { req: IncomingMessage; res: ServerResponse }) => Promise<EmuResponse | 'streamed'>;

export interface IotHttpOptions {
  /** Names the endpoint in log lines, e.g. `contoso-hub`. */
  label: string;
  handle: IotHttpHandler;
  /** The endpoint's own error shape for a body that is too large and for an unexpected failure. */
  errorResponse(status: 413 | 500, message: string): EmuResponse;
  store: Store;
  /** One line per request: endpoint, method, path, status; never queries, headers or bodies (they carry SAS tokens and keys). */
  log?: (line: string) => void;
}

export function createIotHttpServer(opts: IotHttpOptions): Server {
  const server = createServer({ keepAlive: true });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const answer = async (): Promise<EmuResponse | 'streamed'> => {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return opts.errorResponse(413, err.message);
        throw err;
      }
      const url = new URL(req.url ?? '/', `https://${req.headers.host ?? '127.0.0.1'}`);
      const out = await opts.handle({ method, url, path: url.pathname, headers: req.headers, body }, { req, res });
      await opts.store.durable();
      return out;
    };
    answer()
      .catch((err: unknown) => {
        opts.log?.(`${opts.label}: internal error on ${method} ${path}: ${(err as Error).message}`);
        return opts.errorResponse(500, 'Internal server error in the cloud emulator.');
      })
      .then((out) => {
        if (out === 'streamed') {
          opts.log?.(`${opts.label} ${method} ${path} ${res.statusCode} (stream)`);
          return;
        }
        opts.log?.(`${opts.label} ${method} ${path} ${out.status}`);
        if (res.destroyed || res.headersSent) return;
        res.writeHead(out.status, out.headers ?? {});
        res.end(out.body);
      });
  });
  return server;
}
