// "Monitor Telemetry": a read-only editor (`sphere-telemetry:` documents) streaming one device's device-to-cloud
// messages and connection changes, each line with its time. At most MAX_LINES are kept per device — older lines go —
// so a board that talks for hours costs the same memory as one that talked for minutes. Stop and Resume in the
// editor title; closing the editor ends the stream.
import * as vscode from 'vscode';
import { HubTelemetryStream, type TelemetryEvent } from '../cloud/iot/hub-telemetry-stream';
import { sasAuthorization } from '../cloud/iot/sas-authorization';
import type { StreamingTransport } from '../cloud/https-transport';
import { Disposable, toDisposable } from '../common/lifecycle';
import { BoundedLines } from './bounded-lines';
import { UserFacingError } from '../common/errors';
import type { IotLink } from './iot-links';
import type { IotModel } from './iot-model';

export const TELEMETRY_SCHEME = 'sphere-telemetry';
/** Context key: the paths of telemetry editors whose stream runs (`resourcePath in …`); the editor title's Stop / Resume use it. */
export const TELEMETRY_RUNNING_CONTEXT = 'sphereExplorer.telemetryRunning';
export const MAX_LINES = 1000;

/** One line of the monitor, e.g. `08:40:01.123  message  {"temperature":21.3}  $.ct=application/json`. */
export function telemetryLine(event: TelemetryEvent): string {
  if (event.kind === 'connection') return `${event.at || new Date().toISOString()}  ${event.connectionState === 'Connected' ? '● connected' : '○ disconnected'}`;
  const props = Object.entries(event.properties).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${event.enqueuedTime}  ${event.body}${props ? `  ${props}` : ''}`;
}

class TelemetrySession {
  readonly log = new BoundedLines(MAX_LINES);
  status = 'connecting…';

  constructor(
    readonly link: IotLink,
    readonly stream: HubTelemetryStream,
  ) {}

  push(line: string): void {
    this.log.push(line);
  }
}

export class TelemetryMonitor extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly sessions = new Map<string, TelemetrySession>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this._onDidChange.event;
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly iot: IotModel) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(TELEMETRY_SCHEME, this));
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === TELEMETRY_SCHEME) this.end(doc.uri.toString());
      }),
    );
    this._register(toDisposable(() => {
      for (const key of [...this.sessions.keys()]) this.end(key);
      if (this.flushTimer) clearTimeout(this.flushTimer);
    }));
  }

  static uriFor(link: IotLink): vscode.Uri {
    return vscode.Uri.from({ scheme: TELEMETRY_SCHEME, path: `/${link.hub.name}/${link.deviceId.slice(0, 12)}.telemetry`, query: link.deviceId });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const session = this.sessions.get(uri.toString());
    if (!session) return 'This telemetry monitor has ended. Run "Monitor Telemetry" on the board again.';
    const head = [
      `Telemetry of device ${session.link.deviceId}`,
      `on IoT hub ${session.link.hub.name} (${session.link.hubHostName}) — ${session.status}`,
      session.log.dropped > 0 ? `(only the last ${MAX_LINES} lines are kept)` : '',
      '',
    ].filter((l, i) => l !== '' || i === 3);
    return [...head, ...session.log.lines].join('\n');
  }

  /** Number of lines held for `uri` (tests check the bound). */
  lineCount(uri: vscode.Uri): number {
    return this.sessions.get(uri.toString())?.log.lines.length ?? 0;
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.sessions.get(uri.toString())?.stream.running ?? false;
  }

  async open(link: IotLink, transport: StreamingTransport): Promise<vscode.Uri> {
    if (!/:\d+$/.test(link.hubHostName)) {
      throw new UserFacingError(
        `Monitoring ${link.hub.name} in Azure needs its Event Hubs-compatible endpoint, which this version does not read. Use \`az iot hub monitor-events --hub-name ${link.hub.name} --device-id ${link.deviceId}\` meanwhile; the local emulator's hubs can be monitored here.`,
      );
    }
    const uri = TelemetryMonitor.uriFor(link);
    const key = uri.toString();
    if (!this.sessions.has(key)) {
      const arm = (await this.iot.clients()).arm;
      const stream = new HubTelemetryStream({
        hostName: link.hubHostName,
        deviceId: link.deviceId,
        transport,
        authorization: sasAuthorization(link.hubHostName, async (signal) => {
          const policy = await arm.getSharedAccessPolicy(link.hub, 'iothubowner', signal);
          return { keyName: policy.keyName, key: policy.primaryKey };
        }),
      });
      this.sessions.set(key, new TelemetrySession(link, stream));
    }
    this.resume(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    return uri;
  }

  stop(uri: vscode.Uri): void {
    const session = this.sessions.get(uri.toString());
    if (!session?.stream.running) return;
    session.stream.stop();
    session.status = 'stopped (Resume in the editor title)';
    session.push(`${new Date().toISOString()}  — monitoring stopped`);
    this.changed(uri.toString());
  }

  resume(uri: vscode.Uri): void {
    const key = uri.toString();
    const session = this.sessions.get(key);
    if (!session || session.stream.running) return;
    session.status = 'connecting…';
    session.stream.start({
      onOpen: () => {
        session.status = 'monitoring';
        session.push(`${new Date().toISOString()}  — monitoring started`);
        this.changed(key);
      },
      onEvent: (event) => {
        session.push(telemetryLine(event));
        this.changed(key);
      },
      onError: (error, willRetry) => {
        session.status = willRetry ? `reconnecting (${error.message})` : `stopped: ${error.message}`;
        this.changed(key);
      },
    });
    this.changed(key);
  }

  private end(key: string): void {
    this.sessions.get(key)?.stream.stop();
    this.sessions.delete(key);
    this.updateContext();
  }

  /** Redraws at most every 200 ms, however fast messages come. */
  private changed(key: string): void {
    this.pending.add(key);
    this.updateContext();
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      for (const k of this.pending) this._onDidChange.fire(vscode.Uri.parse(k));
      this.pending.clear();
    }, 200);
  }

  private updateContext(): void {
    const running = [...this.sessions.entries()].filter(([, s]) => s.stream.running).map(([k]) => vscode.Uri.parse(k).path);
    void vscode.commands.executeCommand('setContext', TELEMETRY_RUNNING_CONTEXT, running);
  }
}
