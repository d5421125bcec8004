// What a hub knows live about its devices, kept in memory only: connection state and last activity (the real
// registry updates these with a delay and calls them fit "only for development/debugging",
// learn.microsoft.com/azure/iot-hub/iot-hub-devguide-identity-registry#device-heartbeat), reported twin properties,
// and the device-to-cloud messages with a short history, which the telemetry stream hands to tools.
import type { Clock } from '../../common/clock';
import type { DeviceLiveState } from './device-identity';

export interface TelemetryMessage {
  deviceId: string;
  /** ISO time the hub took the message in. */
  enqueuedTime: string;
  /** The message's property bag (application and system properties such as `$.ct`), decoded from the topic. */
  properties: Record<string, string>;
  /** The payload as UTF-8 text. */
  body: string;
}

export interface ConnectionEvent {
  deviceId: string;
  connectionState: 'Connected' | 'Disconnected';
  at: string;
}

export type HubEvent = { kind: 'telemetry'; message: TelemetryMessage } | { kind: 'connection'; event: ConnectionEvent };

/** How many recent device-to-cloud messages a new telemetry subscriber is given first. */
export const TELEMETRY_HISTORY_SIZE = 100;

type Json = Record<string, unknown>;

/** JSON merge patch (RFC 7396): what the twin does with a reported-properties patch; null removes a property. */
function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof out[key] === 'object' && out[key] !== null && !Array.isArray(out[key])) out[key] = mergePatch(out[key] as Json, value as Json);
    else out[key] = value;
  }
  return out;
}

export class HubActivity {
  private readonly live = new Map<string, DeviceLiveState>();
  private readonly reported = new Map<string, { version: number; properties: Json }>();
  private readonly history: TelemetryMessage[] = [];
  private readonly listeners = new Set<(event: HubEvent) => void>();

  constructor(private readonly clock: Clock) {}

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  liveState(deviceId: string): DeviceLiveState {
    return this.live.get(deviceId) ?? { connectionState: 'Disconnected', connectionStateUpdatedTime: null, lastActivityTime: null };
  }

  private setConnection(deviceId: string, connectionState: ConnectionEvent['connectionState']): void {
    const at = this.now();
    const previous = this.liveState(deviceId);
    this.live.set(deviceId, { connectionState, connectionStateUpdatedTime: at, lastActivityTime: connectionState === 'Connected' ? at : previous.lastActivityTime });
    this.emit({ kind: 'connection', event: { deviceId, connectionState, at } });
  }

  connected(deviceId: string): void {
    this.setConnection(deviceId, 'Connected');
  }

  disconnected(deviceId: string): void {
    this.setConnection(deviceId, 'Disconnected');
  }

  /** Anything the device sent counts as activity. */
  touched(deviceId: string): void {
    this.live.set(deviceId, { ...this.liveState(deviceId), lastActivityTime: this.now() });
  }

  telemetry(deviceId: string, properties: Record<string, string>, body: Buffer): void {
    const message: TelemetryMessage = { deviceId, enqueuedTime: this.now(), properties, body: body.toString('utf8') };
    this.history.push(message);
    if (this.history.length > TELEMETRY_HISTORY_SIZE) this.history.shift();
    this.emit({ kind: 'telemetry', message });
  }

  recentTelemetry(): readonly TelemetryMessage[] {
    return this.history;
  }

  /** Calls `listener` for every event from now on; returns the function that stops it. */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: HubEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  reportedOf(deviceId: string): { version: number; properties: Json } {
    return this.reported.get(deviceId) ?? { version: 1, properties: {} };
  }

  /** Applies a reported-properties patch; returns the new version. */
  patchReported(deviceId: string, patch: Json): number {
    const current = this.reportedOf(deviceId);
    const next = { version: current.version + 1, properties: mergePatch(current.properties, patch) };
    this.reported.set(deviceId, next);
    return next.version;
  }

  /** A deleted identity takes its live state and twin with it; a new one under the same ID starts afresh. */
  forget(deviceId: string): void {
    this.live.delete(deviceId);
    this.reported.delete(deviceId);
  }
}
