// The plumbing of the device REST API: a small router, JSON bodies with size limits, and responses that always
// carry `REST-API-Version` and the device's error shape `{"error": <code>}`.
import type * as http from 'node:http';
import { DeviceErrorCode, DeviceRestError } from '../device-errors';

export const REST_API_VERSION = '4.6.0';

/** JSON request bodies above this size are refused (certificates are ≤ 8192 characters each: docs/device-rest-api.md#certificate-store). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

export interface RestResponse {
  status: number;
  /** Sent as JSON, or as it is when a Buffer (then with `contentType`). */
  body: unknown;
  contentType?: string;
}

export type RouteHandler = (req: http.IncomingMessage, params: string[]) => Promise<RestResponse> | RestResponse;

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

export const ok = (body: unknown = {}): RestResponse => ({ status: 200, body });

export class Router {
  private readonly routes: Route[] = [];

  /** `path` uses `:name` for one URL segment, e.g. `/wifi/config/networks/:id`. */
  add(method: string, path: string, handler: RouteHandler): this {
    const source = path.split('/').map((part) => (part.startsWith(':') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), handler });
    return this;
  }

  /** The request handler to give to `https.createServer`. */
  handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void this.dispatch(req).then(
      (response) => send(res, response),
      (error: unknown) => {
        if (!(error instanceof DeviceRestError)) {
          // A simulator bug or a failed state write: say where, never what the request carried.
          console.error(`[board-sim] ${req.method ?? ''} ${new URL(req.url ?? '/', 'https://device').pathname} failed: ${(error as Error).message}`);
        }
        send(res, toErrorResponse(error));
      },
    );
  };

  private async dispatch(req: http.IncomingMessage): Promise<RestResponse> {
    const pathname = new URL(req.url ?? '/', 'https://device').pathname;
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) {
        continue;
      }
      pathMatched = true;
      if (route.method === req.method) {
        const params = match.slice(1).map((p) => decodeURIComponent(p));
        return route.handler(req, params);
      }
    }
    drain(req);
    throw pathMatched
      ? new DeviceRestError(405, DeviceErrorCode.invalidRequestUri, `${req.method ?? ''} not allowed on ${pathname}`)
      : new DeviceRestError(404, DeviceErrorCode.invalidRequestUri, `No such endpoint ${pathname}`);
  }
}

function toErrorResponse(error: unknown): RestResponse {
  if (error instanceof DeviceRestError) {
    return { status: error.status, body: error.code === undefined ? {} : { error: error.code } };
  }
  return { status: 500, body: { error: DeviceErrorCode.deviceBusy } };
}

function send(res: http.ServerResponse, response: RestResponse): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  const binary = Buffer.isBuffer(response.body);
  const payload = binary ? (response.body as Buffer) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'Content-Type': binary ? response.contentType ?? 'application/octet-stream' : 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'REST-API-Version': REST_API_VERSION,
  });
  res.end(payload);
}

/** Discards a request body we will not read, so the connection stays usable. */
export function drain(req: http.IncomingMessage): void {
  req.resume();
}

function mediaType(req: http.IncomingMessage): string | undefined {
  return req.headers['content-type']?.split(';')[0].trim().toLowerCase();
}

/**
 * Reads a JSON object body. `invalidCode` is the area's error code for a body that is not a JSON object
 * (e.g. 13631496 "Invalid network properties provided." for Wi-Fi).
 */
export async function readJsonObject(req: http.IncomingMessage, invalidCode: number | undefined): Promise<Record<string, unknown>> {
  const type = mediaType(req);
  if (type !== undefined && type !== 'application/json') {
    drain(req);
    throw new DeviceRestError(415, undefined, `Unsupported media type ${type}`);
  }
  const text = await readLimitedText(req, MAX_JSON_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DeviceRestError(400, invalidCode, 'Body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DeviceRestError(400, invalidCode, 'Body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Reads the whole body as UTF-8; past `limit` it keeps draining (bounded memory) and then fails with 413. */
function readLimitedText(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (size > limit) {
        reject(new DeviceRestError(413, DeviceErrorCode.contentTooLarge, 'Request body too large'));
      } else {
        resolve(Buffer.concat(chunks).toString('utf8'));
      }
    });
    req.on('error', reject);
  });
}

export { mediaType };
