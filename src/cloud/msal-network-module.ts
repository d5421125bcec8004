// msal's INetworkModule on top of our HttpsTransport, so msal trusts exactly what the rest of src/cloud trusts
// (public roots plus the emulator CA) instead of global fetch, which rejects a private CA.
// Contract (msal HttpClient): lower-case header keys, parsed JSON body, and NO throw on 4xx — msal reads
// `body.error` itself (`authorization_pending` arrives as a 400). Throw only when there is no response.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpTransport } from './https-transport';

/** An OAuth error the authority returned (error bodies carry no tokens). */
export interface AuthorityError {
  readonly error: string;
  readonly description: string;
}

const REMEMBERED_ERRORS = 16;

export class MsalNetworkModule implements INetworkModule {
  /**
   * The last OAuth errors by msal correlation ID. Some msal paths (device-code polling) reduce an authority error
   * to its bare code; the engine looks the description up here to explain e.g. a refused personal account.
   */
  private readonly errors = new Map<string, AuthorityError>();

  constructor(private readonly transport: HttpTransport) {}

  /** The authority's error for an msal correlation ID, if one was seen. */
  authorityErrorFor(correlationId: string | undefined): AuthorityError | undefined {
    return correlationId ? this.errors.get(correlationId) : undefined;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const res = await this.transport.send({ method, url, headers: options?.headers, body: options?.body, timeoutMs: timeout });
    const text = res.body.toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // A non-JSON answer (an HTML error page, a proxy): give msal an error shape it can report.
      body = { error: 'invalid_response', error_description: `HTTP ${res.status} with a non-JSON body from ${new URL(url).origin}` };
    }
    this.remember(url, options, res.status, body);
    return { status: res.status, headers: { ...res.headers }, body: body as T };
  }

  private remember(url: string, options: NetworkRequestOptions | undefined, status: number, body: unknown): void {
    if (status < 400 || !body || typeof body !== 'object') return;
    const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
    if (typeof error !== 'string' || error === 'authorization_pending') return;
    const correlationId = options?.correlationId ?? new URL(url).searchParams.get('client-request-id') ?? options?.headers?.['client-request-id'];
    if (!correlationId) return;
    this.errors.set(correlationId, { error, description: typeof description === 'string' ? description : '' });
    if (this.errors.size > REMEMBERED_ERRORS) this.errors.delete(this.errors.keys().next().value as string);
  }
}
