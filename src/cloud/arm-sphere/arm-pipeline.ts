// The request pipeline of the ARM clients, on @azure/core-rest-pipeline: api-version on every request, retries
// (429 and 503 with Retry-After always, honouring the header's wait within a limit and saying so through a progress
// callback; 5xx and lost connections only for requests safe to repeat), the bearer token policy over our sign-in
// engine, and our HttpsTransport underneath. On top: ARM's errors in words, `nextLink` paging as an async iterator,
// and long-running operations polled by @azure/core-lro's createHttpPoller — Azure-AsyncOperation or Location, final
// state as each operation declares — with our own (injectable) sleep between polls, a timeout and progress.
// URLs handed back by the service (nextLink, status and Location URLs) are followed only on the ARM endpoint's own
// origin, so the token is never sent anywhere else.
import { Readable } from 'node:stream';
import { createHttpPoller, type OperationState, type OperationResponse, type ResourceLocationConfig } from '@azure/core-lro';
import {
  bearerTokenAuthenticationPolicy,
  createEmptyPipeline,
  createPipelineRequest,
  type Pipeline,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { throwIfAborted } from '../abort';
import { CloudApiError } from '../api-error';
import { InvalidArgumentError } from '../errors';
import { NetworkError, type HttpTransport } from '../https-transport';
import type { Logger } from '../../common/logger';
import { iteratePages, type PageResult } from '../paging';
import { backoffMs, decideRetry, retryAfterMs, type RetryPolicy } from '../retry-policy';
import type { AccessTokenProvider } from '../sign-in-engine';
import { armErrorFrom, operationFailed, type ArmErrorDetail } from './arm-errors';
import { tokenCredentialFrom, transportHttpClient } from './transport-http-client';

/** The Microsoft.AzureSphere API version every request of the catalog client carries. */
export const AZURE_SPHERE_API_VERSION = '2024-04-01';

/** What a caller is told while a request or an operation takes its time. */
export type ArmProgress =
  | { readonly kind: 'throttled'; readonly waitMs: number; readonly attempt: number; readonly what: string }
  | { readonly kind: 'operation'; readonly status: 'running' | 'succeeded' | 'failed' | 'canceled'; readonly percentComplete?: number; readonly what: string };

export interface ArmRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the ARM endpoint (no leading slash), or an absolute URL the service handed out (same origin only). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Default: the Microsoft.AzureSphere version; subscriptions and resource groups have their own. */
  readonly apiVersion?: string;
  readonly json?: unknown;
  /** A JSON body sent a chunk at a time (an image package in base64). */
  readonly stream?: { readonly length: number; open(): AsyncIterable<Uint8Array> };
  readonly onBodySent?: (bytesSent: number) => void;
  /** Whether sending twice is harmless (retries after 5xx and lost connections). Default: not POST. */
  readonly idempotent?: boolean;
  /** For messages: what this request does. */
  readonly what: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ArmProgress) => void;
}

export interface ArmResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export interface LroRequest extends ArmRequest {
  /** The spec's `final-state-via`: where the result is read once the operation succeeded. */
  readonly finalStateVia: Extract<ResourceLocationConfig, 'azure-async-operation' | 'location' | 'original-uri'>;
  /** Gives up waiting after this long (default 5 minutes); the operation may still finish on the service. */
  readonly timeoutMs?: number;
}

export interface ArmPipelineOptions {
  /** ARM base URL ending in `/`. */
  readonly endpoint: string;
  readonly scopes: readonly string[];
  readonly tokens: AccessTokenProvider;
  readonly transport: HttpTransport;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  /** Wait between polls of an operation when the service suggests none (default 1 s). */
  readonly operationPollMs?: number;
}

interface RequestMeta {
  readonly what: string;
  readonly idempotent: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ArmProgress) => void;
}

export class ArmPipeline {
  private readonly pipeline: Pipeline;
  private readonly origin: string;
  private readonly meta = new WeakMap<PipelineRequest, RequestMeta>();
  private readonly client;
  private readonly pollMs: number;

  constructor(private readonly options: ArmPipelineOptions) {
    this.origin = new URL(options.endpoint).origin;
    this.pollMs = options.operationPollMs ?? 1000;
    this.client = transportHttpClient(options.transport);
    const credential = tokenCredentialFrom(options.tokens);
    this.pipeline = createEmptyPipeline();
    this.pipeline.addPolicy(this.retryPolicy(), { phase: 'Retry' });
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential,
        scopes: [...options.scopes],
        challengeCallbacks: {
          // Every request asks the sign-in engine, which keeps its own cache per account: the policy's own token cache
          // would go on sending the previous account's token for up to an hour after a sign-out and a sign-in as
          // someone else.
          async authorizeRequest({ request, scopes }) {
            const token = await credential.getToken(scopes, { abortSignal: request.abortSignal });
            if (token) request.headers.set('authorization', `Bearer ${token.token}`);
          },
          // A 401 with a challenge: the cached token may have been revoked; get a fresh one once, silently.
          async authorizeRequestOnChallenge({ request, scopes }) {
            const token = await credential.getFreshToken(scopes, { abortSignal: request.abortSignal });
            request.headers.set('authorization', `Bearer ${token.token}`);
            return true;
          },
        },
      }),
      { phase: 'Sign' },
    );
  }

  /**
   * Polls `read` (a GET of a resource whose state the service moves on its own, e.g. a provider registration) until
   * `done` says so, with the operation poll interval, the same timeout rule and progress as an operation.
   */
  async pollUntil<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, options: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (progress: ArmProgress) => void } = {}): Promise<T> {
    const retry = this.options.retry;
    const timeoutMs = options.timeoutMs ?? 5 * 60_000;
    const deadline = retry.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) {
        options.onProgress?.({ kind: 'operation', status: 'succeeded', what });
        return value;
      }
      options.onProgress?.({ kind: 'operation', status: 'running', what });
      throwIfAborted(options.signal);
      if (retry.now() >= deadline) throw new CloudApiError(`${what} is still in progress after ${Math.round(timeoutMs / 1000)} s; check again later.`, 'operation_timeout', 0, undefined, undefined);
      await retry.sleep(this.pollMs, options.signal);
    }
  }

  /** Sends the request; resolves with a 2xx response, throws CloudApiError / NetworkError / CancelledError otherwise. */
  async send(request: ArmRequest): Promise<ArmResponse> {
    const response = await this.sendRaw(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw armErrorFrom(request.what, response.url, response.status, response.headers, Buffer.from(response.text, 'utf8'));
  }

  /** Sends the request and parses its JSON body (empty → undefined). */
  async json<T>(request: ArmRequest): Promise<T> {
    return parseJson<T>(await this.send(request), request.what);
  }

  /** The pages of a pageable operation, following `nextLink` (with GET) until there is none. */
  pages<T>(first: ArmRequest): AsyncGenerator<PageResult<T>, void, undefined> {
    return iteratePages<T>(
      async (nextLink, signal) => {
        const body = await this.json<{ value?: T[]; nextLink?: string | null } | undefined>(nextLink ? { method: 'GET', path: nextLink, what: first.what, apiVersion: first.apiVersion, signal, onProgress: first.onProgress } : { ...first, signal });
        if (body !== undefined && !Array.isArray(body.value)) throw new CloudApiError(`${first.what} failed: the service's answer has no "value" list.`, 'invalid_response', 0, undefined, undefined);
        return { items: body?.value ?? [], continuationToken: body?.nextLink || undefined };
      },
      first.what,
      first.signal,
    );
  }

  /**
   * Starts a long-running operation and waits for it: createHttpPoller follows Azure-AsyncOperation or Location and
   * reads the final state where `finalStateVia` says; between polls we wait the service's Retry-After (or the poll
   * interval) with our sleep. Resolves with the final body (undefined when there is none); an operation that ends
   * Failed or Canceled throws ArmOperationFailedError with the service's reason.
   */
  async lro<T>(request: LroRequest): Promise<T | undefined> {
    const { what, signal } = request;
    let last: ArmResponse | undefined;
    let lastError: ArmErrorDetail | undefined;
    let percentComplete: number | undefined;
    const toOperationResponse = (response: ArmResponse, method: string): OperationResponse => {
      const body = parseJsonLoose(response.text);
      percentComplete = undefined;
      if (body && typeof body === 'object') {
        const b = body as { error?: ArmErrorDetail; percentComplete?: unknown };
        if (b.error) lastError = b.error;
        if (typeof b.percentComplete === 'number') percentComplete = b.percentComplete;
      }
      return { flatResponse: body, rawResponse: { statusCode: response.status, request: { method, url: response.url }, headers: { ...response.headers }, body } };
    };
    const poller = createHttpPoller<unknown, OperationState<unknown>>(
      {
        sendInitialRequest: async () => {
          last = await this.send(request);
          return toOperationResponse(last, request.method);
        },
        sendPollRequest: async (url) => {
          const response = await this.sendRaw({ method: 'GET', path: url, what, signal, apiVersion: request.apiVersion, onProgress: request.onProgress });
          last = response;
          if (response.status >= 400) {
            // A Location (or status) URL answering with an error: the operation failed, and its body says why.
            const body = parseJsonLoose(response.text) as { error?: ArmErrorDetail } | undefined;
            throw operationFailed(what, 'Failed', body?.error ?? { code: `HTTP ${response.status}` });
          }
          return toOperationResponse(response, 'GET');
        },
      },
      { resourceLocationConfig: request.finalStateVia, resolveOnUnsuccessful: true, intervalInMs: this.pollMs },
    );
    await poller.submitted();
    const report = (): void => {
      const status = poller.operationState?.status;
      request.onProgress?.({ kind: 'operation', status: status === 'notStarted' || status === undefined ? 'running' : status, ...(percentComplete !== undefined && { percentComplete }), what });
    };
    report();
    const retry = this.options.retry;
    const timeoutMs = request.timeoutMs ?? 5 * 60_000;
    const deadline = retry.now() + timeoutMs;
    while (!poller.isDone) {
      throwIfAborted(signal);
      if (retry.now() >= deadline) {
        throw new CloudApiError(`${what} is still in progress after ${Math.round(timeoutMs / 1000)} s; check again later.`, 'operation_timeout', 0, undefined, undefined);
      }
      const advised = last ? retryAfterMs(last.headers, retry.now) : undefined;
      await retry.sleep(Math.min(advised ?? this.pollMs, retry.maxRetryAfterMs), signal);
      await poller.poll({ abortSignal: signal });
      report();
    }
    const state = poller.operationState!;
    if (state.status === 'succeeded') return state.result as T | undefined;
    throw operationFailed(what, state.status === 'canceled' ? 'Canceled' : 'Failed', lastError);
  }

  private async sendRaw(request: ArmRequest): Promise<ArmResponse> {
    const url = this.urlFor(request);
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | (() => NodeJS.ReadableStream) | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    } else if (request.stream) {
      const stream = request.stream;
      body = () => Readable.from(stream.open());
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(stream.length);
    }
    const pipelineRequest = createPipelineRequest({ url, method: request.method, body, abortSignal: request.signal, timeout: 60_000 });
    for (const [name, value] of Object.entries(headers)) pipelineRequest.headers.set(name, value);
    if (request.onBodySent) {
      const onBodySent = request.onBodySent;
      pipelineRequest.onUploadProgress = (p) => onBodySent(p.loadedBytes);
    }
    this.meta.set(pipelineRequest, { what: request.what, idempotent: request.idempotent ?? request.method !== 'POST', signal: request.signal, onProgress: request.onProgress });
    const response = await this.pipeline.sendRequest(this.client, pipelineRequest);
    return { url, status: response.status, headers: response.headers.toJSON({ preserveCase: false }), text: response.bodyAsText ?? '' };
  }

  /** The full URL with api-version; an absolute URL must be on the ARM endpoint's origin. */
  private urlFor(request: ArmRequest): string {
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(request.path);
    const url = absolute ? new URL(request.path) : new URL(request.path, this.options.endpoint);
    if (url.origin !== this.origin) {
      throw new InvalidArgumentError(`${request.what}: the service pointed to ${url.origin}, which is not the Azure Resource Manager endpoint (${this.origin}); not following it.`);
    }
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    url.searchParams.set('api-version', request.apiVersion ?? AZURE_SPHERE_API_VERSION);
    return url.toString();
  }

  /** Retries by our RetryPolicy: Retry-After honoured (up to its limit) and told to onProgress; POSTs not repeated after 5xx. */
  private retryPolicy(): PipelinePolicy {
    const retry = this.options.retry;
    const log = this.options.logger;
    return {
      name: 'sphereArmRetryPolicy',
      sendRequest: async (request, next): Promise<PipelineResponse> => {
        const meta = this.meta.get(request) ?? { what: `${request.method} ${request.url}`, idempotent: request.method !== 'POST' };
        for (let attempt = 0; ; attempt++) {
          throwIfAborted(meta.signal);
          let response: PipelineResponse;
          try {
            response = await next(request);
          } catch (err) {
            if (err instanceof NetworkError && meta.idempotent && attempt < retry.maxRetries) {
              const delay = backoffMs(retry, attempt);
              log.warn(`${meta.what}: ${err.message} Retrying in ${delay} ms.`);
              await retry.sleep(delay, meta.signal);
              continue;
            }
            throw err;
          }
          if (response.status < 400) return response;
          const headers = response.headers.toJSON({ preserveCase: false });
          const decision = decideRetry(retry, attempt, response.status, headers, meta.idempotent);
          if (decision.retry) {
            if (response.status === 429 || response.status === 503) meta.onProgress?.({ kind: 'throttled', waitMs: decision.delayMs, attempt: attempt + 1, what: meta.what });
            log.info(`${meta.what}: HTTP ${response.status}; retrying in ${decision.delayMs} ms.`);
            await retry.sleep(decision.delayMs, meta.signal);
            continue;
          }
          if (decision.reason === 'retry_after_too_long' && decision.advisedMs !== undefined) {
            const error = armErrorFrom(meta.what, request.url, response.status, headers, Buffer.from(response.bodyAsText ?? '', 'utf8'));
            throw new CloudApiError(
              `${meta.what} failed: Azure Resource Manager is throttling requests and asks to wait ${Math.ceil(decision.advisedMs / 1000)} s; try again later.`,
              'throttled',
              response.status,
              error.serverMessage,
              error.requestId,
            );
          }
          return response;
        }
      },
    };
  }
}

function parseJsonLoose(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseJson<T>(response: ArmResponse, what: string): T {
  if (!response.text.trim()) return undefined as T;
  try {
    return JSON.parse(response.text) as T;
  } catch {
    throw new CloudApiError(`${what} failed: the service answered with something that is not JSON.`, 'invalid_response', response.status, undefined, undefined);
  }
}
