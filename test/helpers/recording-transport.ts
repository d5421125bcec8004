// The real HTTPS transport, recording what was sent (everything still goes over the wire), and optionally rewriting
// an answer (to play a service that answers differently). One for every client test that counts requests.
import type { HttpRequest, HttpResponse, HttpTransport } from '../../src/cloud/https-transport';

export class RecordingTransport implements HttpTransport {
  readonly sent: HttpRequest[] = [];
  rewrite: ((request: HttpRequest, response: HttpResponse) => HttpResponse) | undefined;

  constructor(private readonly inner: HttpTransport) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push(request);
    const response = await this.inner.send(request);
    return this.rewrite ? this.rewrite(request, response) : response;
  }

  /** Paths of the POSTs sent. */
  posts(): string[] {
    return this.sent.filter((r) => r.method === 'POST').map((r) => new URL(r.url).pathname);
  }

  /** What was sent that could change something: `METHOD /path`. */
  writes(): string[] {
    return this.sent.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${new URL(r.url).pathname}`);
  }
}
