// The request pipeline shared by the security service, ARM and IoT Hub / DPS data-plane clients: an Authorization
// header from an AuthorizationSource (one silent refresh on 401), retries by RetryPolicy, and error mapping. It knows
// nothing of any one API.
import { throwIfAborted } from './abort';
import { apiErrorFrom, CloudApiError } from './api-error';
import { NetworkError, type HttpResponse, type HttpTransport } from './https-transport';
import { nullLogger, type Logger } from '../common/logger';
import { decideRetry, backoffMs, type RetryPolicy } from './retry-policy';
import type { CloudSettings } from './settings';
import type { AccessTokenProvider } from './sign-in-engine';
import type { StreamedBody } from './streamed-body';

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to the base URL (no leading slash), already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as is, a chunk at a time (an image package as application/octet-stream); not with `json`. */
  readonly body?: { readonly contentType: string; readonly content: StreamedBody };
  /** Bytes of `body` handed to the connection so far; starts again from 0 if the request is sent again. */
  readonly onBodySent?: (bytesSent: number) => void;
  /** Whether sending it twice is harmless; decides retries after 5xx and lost connections. Default: not POST. */
  readonly idempotent?: boolean;
  /** For messages: what this request does, e.g. `Listing devices of tenant X`. */
  readonly what: string;
  readonly signal?: AbortSignal;
}

/**
 * Where the Authorization header comes from: a bearer token for the signed-in account (security service, ARM) or a
 * shared access signature made from a hub's key (IoT Hub and DPS data planes). `forceRefresh` after a 401.
 */
export interface AuthorizationSource {
  header(options: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string>;
}

/** `Bearer <token>` for these scopes, from the sign-in engine. */
export function bearerAuthorization(tokens: AccessTokenProvider, scopes: readonly string[]): AuthorizationSource {
  return {
    async header(options) {
      const token = await tokens.getAccessToken(scopes, options);
      return `Bearer ${token.token}`;
    },
  };
}

export interface AuthorizedHttpOptions {
  /** Base URL ending in `/`. */
  readonly baseUrl: string;
  readonly authorization: AuthorizationSource;
  readonly transport: HttpTransport;
  readonly retry: RetryPolicy;
  readonly logger?: Logger;
  /** Added to every request (e.g. a User-Agent). */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
}

/** What every client of a cloud API is built from (the security service's and ARM's). */
export interface CloudClientOptions {
  readonly settings?: Partial<CloudSettings>;
  readonly tokens: AccessTokenProvider;
  readonly transport: HttpTransport;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: Logger;
}

export class AuthorizedHttp {
  private readonly log: Logger;

  constructor(private readonly options: AuthorizedHttpOptions) {
    this.log = options.logger ?? nullLogger;
  }

  urlFor(path: string, query?: ApiRequest['query']): string {
    const url = new URL(path, this.options.baseUrl);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Sends the request; resolves with a 2xx response, throws CloudApiError / NetworkError / CancelledError otherwise. */
  async send(request: ApiRequest): Promise<HttpResponse> {
    const url = this.urlFor(request.path, request.query);
    const idempotent = request.idempotent ?? request.method !== 'POST';
    const body = request.json === undefined ? request.body?.content : JSON.stringify(request.json);
    const contentType = request.json === undefined ? request.body?.contentType : 'application/json';
    let refreshedAfter401 = false;
    for (let retry = 0; ; retry++) {
      throwIfAborted(request.signal);
      const authorization = await this.options.authorization.header({ signal: request.signal });
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...this.options.defaultHeaders,
        ...request.headers,
        authorization,
      };
      if (contentType !== undefined) headers['content-type'] = contentType;
      let response: HttpResponse;
      try {
        response = await this.options.transport.send({ method: request.method, url, headers, body, signal: request.signal, ...(request.onBodySent && { onBodySent: request.onBodySent }) });
      } catch (err) {
        if (err instanceof NetworkError && idempotent && retry < this.options.retry.maxRetries) {
          const delay = backoffMs(this.options.retry, retry);
          this.log.warn(`${request.what}: ${err.message} Retrying in ${delay} ms.`);
          await this.options.retry.sleep(delay, request.signal);
          continue;
        }
        throw err;
      }
      if (response.status >= 200 && response.status < 300) return response;
      if (response.status === 401 && !refreshedAfter401) {
        // The cached token may have been revoked or rotated server-side: get a fresh one once, silently.
        refreshedAfter401 = true;
        await this.options.authorization.header({ forceRefresh: true, signal: request.signal });
        retry--;
        continue;
      }
      const decision = decideRetry(this.options.retry, retry, response.status, response.headers, idempotent);
      if (decision.retry) {
        this.log.info(`${request.what}: HTTP ${response.status}; retrying in ${decision.delayMs} ms.`);
        await this.options.retry.sleep(decision.delayMs, request.signal);
        continue;
      }
      const error = apiErrorFrom(request.what, response.status, response.headers, response.body);
      if (decision.reason === 'retry_after_too_long' && decision.advisedMs !== undefined) {
        throw new CloudApiError(
          `${request.what} failed: the service is throttling requests and asks to wait ${Math.ceil(decision.advisedMs / 1000)} s; try again later.`,
          'throttled',
          response.status,
          error.serverMessage,
          error.requestId,
        );
      }
      throw error;
    }
  }

  /** Sends the request and parses a JSON body (empty body → undefined). */
  async json<T>(request: ApiRequest): Promise<T> {
    const response = await this.send(request);
    const text = response.body.toString('utf8');
    if (!text.trim()) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CloudApiError(`${request.what} failed: the service answered with something that is not JSON.`, 'invalid_response', response.status, undefined, undefined);
    }
  }
}
