// Live device-to-cloud messages and connection changes of one device on an IoT hub, for "Monitor Telemetry".
// Azure delivers telemetry through the hub's Event Hubs-compatible endpoint (AMQP), which this extension does not
// read; the local emulator serves the same messages as server-sent events on the hub's own host
// (`GET /$emulator/telemetry?deviceId=`, docs/cloud-api.md#telemetry-stream-emulator-only), and this reads those.
// The stream reconnects after a drop (1 s, 2 s, … up to 15 s) until stopped.
import { apiErrorFrom } from '../api-error';
import { CancelledError } from '../errors';
import type { StreamingResponse, StreamingTransport } from '../https-transport';
import type { AuthorizationSource } from '../authorized-http';
import { baseUrlOf, requireHostName } from './hub-host-name';
import { HUB_API_VERSION, requireHubDeviceId } from './hub-registry-client';

export type TelemetryEvent =
  | { readonly kind: 'message'; readonly deviceId: string; readonly enqueuedTime: string; readonly properties: Readonly<Record<string, string>>; readonly body: string }
  | { readonly kind: 'connection'; readonly deviceId: string; readonly connectionState: 'Connected' | 'Disconnected'; readonly at: string };

export interface TelemetryStreamListener {
  onEvent(event: TelemetryEvent): void;
  /** The stream dropped or could not be opened; `willRetry` says whether it tries again by itself. */
  onError(error: Error, willRetry: boolean): void;
  onOpen?(): void;
}

export interface HubTelemetryStreamOptions {
  readonly hostName: string;
  readonly deviceId: string;
  readonly authorization: AuthorizationSource;
  readonly transport: StreamingTransport;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Parses a server-sent event stream (html.spec.whatwg.org "Server-sent events"): `event:` and `data:` lines, blank line ends one. */
export class ServerSentEventParser {
  private buffer = '';
  private event = 'message';
  private data: string[] = [];

  constructor(private readonly onEvent: (type: string, data: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.search(/\r?\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer[newline] === '\r' ? 2 : 1));
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onEvent(this.event, this.data.join('\n'));
      this.event = 'message';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }
}

export class HubTelemetryStream {
  private stopped = true;
  private current: StreamingResponse | undefined;
  private abort: AbortController | undefined;
  private readonly hostName: string;
  private readonly deviceId: string;

  constructor(private readonly options: HubTelemetryStreamOptions) {
    this.hostName = requireHostName('IoT hub host name', options.hostName);
    this.deviceId = requireHubDeviceId(options.deviceId);
  }

  get running(): boolean {
    return !this.stopped;
  }

  start(listener: TelemetryStreamListener): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run(listener);
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.current?.body.destroy();
    this.current = undefined;
  }

  private async run(listener: TelemetryStreamListener): Promise<void> {
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.once(listener, () => (attempt = 0));
        if (this.stopped) return;
        listener.onError(new Error(`The telemetry stream of ${this.hostName} ended; reconnecting.`), true);
      } catch (err) {
        if (this.stopped || err instanceof CancelledError) return;
        const fatal = (err as { status?: number }).status !== undefined && [400, 401, 403, 404].includes((err as { status: number }).status);
        listener.onError(err as Error, !fatal);
        if (fatal) {
          this.stopped = true;
          return;
        }
      }
      await sleep(Math.min(15_000, 1000 * 2 ** Math.min(attempt, 4)));
    }
  }

  private async once(listener: TelemetryStreamListener, opened: () => void): Promise<void> {
    this.abort = new AbortController();
    const url = new URL('$emulator/telemetry', baseUrlOf(this.hostName));
    url.searchParams.set('deviceId', this.deviceId);
    url.searchParams.set('api-version', HUB_API_VERSION);
    const authorization = await this.options.authorization.header({ signal: this.abort.signal });
    const response = await this.options.transport.openStream({
      method: 'GET',
      url: url.toString(),
      headers: { authorization, accept: 'text/event-stream' },
      signal: this.abort.signal,
    });
    if (response.status < 200 || response.status >= 300) {
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Buffer));
      throw apiErrorFrom(`Monitoring telemetry of ${this.hostName}`, response.status, response.headers, Buffer.concat(chunks));
    }
    this.current = response;
    opened();
    listener.onOpen?.();
    const parser = new ServerSentEventParser((type, data) => {
      const event = parseEvent(type, data);
      if (event) listener.onEvent(event);
    });
    await new Promise<void>((resolve, reject) => {
      response.body.on('data', (chunk: Buffer | string) => parser.push(chunk.toString()));
      response.body.on('end', resolve);
      response.body.on('close', resolve);
      response.body.on('error', reject);
    });
  }
}

function parseEvent(type: string, data: string): TelemetryEvent | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof json.deviceId !== 'string') return undefined;
  if (type === 'connection' && (json.connectionState === 'Connected' || json.connectionState === 'Disconnected')) {
    return { kind: 'connection', deviceId: json.deviceId, connectionState: json.connectionState, at: String(json.at ?? '') };
  }
  if (type !== 'message') return undefined;
  const properties: Record<string, string> = {};
  if (json.properties && typeof json.properties === 'object') {
    for (const [k, v] of Object.entries(json.properties as Record<string, unknown>)) properties[k] = String(v);
  }
  return { kind: 'message', deviceId: json.deviceId, enqueuedTime: String(json.enqueuedTime ?? ''), properties, body: typeof json.body === 'string' ? json.body : JSON.stringify(json.body) };
}
