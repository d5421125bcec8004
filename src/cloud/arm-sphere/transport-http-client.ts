// The two seams between @azure/core-rest-pipeline and our cloud code: an HttpClient that sends through our
// HttpsTransport (so ARM requests use the one TLS configuration — public roots plus the emulator's CA — and the
// https-only rule), and our AccessTokenProvider seen as the TokenCredential the bearer token policy asks.
import type { AccessToken as AzureAccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { InvalidArgumentError } from '../errors';
import type { HttpRequest, HttpTransport } from '../https-transport';
import type { AccessTokenProvider } from '../sign-in-engine';
import type { StreamedBody } from '../streamed-body';

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Sends pipeline requests through `transport`. Bodies may be text, bytes, or a function returning a stream (sent a
 * chunk at a time, its length taken from the request's content-length, re-opened when the pipeline sends again);
 * `onUploadProgress` hears the bytes sent. Transport failures (NetworkError, CancelledError) pass through as they are.
 */
export function transportHttpClient(transport: HttpTransport): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (!METHODS.has(request.method)) throw new InvalidArgumentError(`HTTP method ${request.method} is not supported.`);
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name.toLowerCase()] = value;
      const body = bodyOf(request, headers);
      const onUploadProgress = request.onUploadProgress;
      const sent: HttpRequest = {
        method: request.method as HttpRequest['method'],
        url: request.url,
        headers,
        body,
        timeoutMs: request.timeout > 0 ? request.timeout : undefined,
        signal: request.abortSignal as AbortSignal | undefined,
        ...(onUploadProgress && { onBodySent: (loadedBytes: number) => onUploadProgress({ loadedBytes }) }),
      };
      if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) delete headers['content-length']; // the transport sets it from the body
      const response = await transport.send(sent);
      return {
        request,
        status: response.status,
        headers: createHttpHeaders(response.headers),
        bodyAsText: response.body.toString('utf8'),
      };
    },
  };
}

function bodyOf(request: PipelineRequest, headers: Record<string, string>): HttpRequest['body'] {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'function') {
    const length = Number(headers['content-length']);
    if (!Number.isSafeInteger(length) || length < 0) throw new InvalidArgumentError('A streamed request body needs its content-length.');
    const open = body as () => NodeJS.ReadableStream;
    const streamed: StreamedBody = { length, open: () => open() as AsyncIterable<Uint8Array> };
    return streamed;
  }
  throw new InvalidArgumentError('This request body type is not supported by the HTTPS transport.');
}

/**
 * Our sign-in engine as a TokenCredential. A claims challenge (the bearer policy's `claims`) or `forceRefresh` asks
 * the engine for a fresh token instead of its cached one.
 */
export function tokenCredentialFrom(tokens: AccessTokenProvider): TokenCredential & { getFreshToken(scopes: string | string[], options?: GetTokenOptions): Promise<AzureAccessToken> } {
  const get = async (scopes: string | string[], options: GetTokenOptions | undefined, forceRefresh: boolean): Promise<AzureAccessToken> => {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    const token = await tokens.getAccessToken(list, { forceRefresh, signal: options?.abortSignal as AbortSignal | undefined });
    // Unknown expiry: a minute, so the policy's cache asks the engine again soon (the engine keeps its own cache).
    return { token: token.token, expiresOnTimestamp: token.expiresOn?.getTime() ?? Date.now() + 60_000, tokenType: 'Bearer' };
  };
  return {
    getToken: (scopes, options) => get(scopes, options, options?.claims !== undefined),
    getFreshToken: (scopes, options) => get(scopes, options, true),
  };
}
