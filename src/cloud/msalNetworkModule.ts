// msal's INetworkModule on top of our HttpsTransport, so msal trusts exactly what the rest of src/cloud trusts
// (public roots plus the emulator CA) instead of global fetch, which rejects a private CA.
// Contract (msal HttpClient): lower-case header keys, parsed JSON body, and NO throw on 4xx — msal reads
// `body.error` itself (`authorization_pending` arrives as a 400). Throw only when there is no response.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpTransport } from './httpsTransport';

export class MsalNetworkModule implements INetworkModule {
  constructor(private readonly transport: HttpTransport) {}

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
    return { status: res.status, headers: { ...res.headers }, body: body as T };
  }
}
