// One running app's connection to Azure IoT, as Microsoft's AzureIoT sample makes it on a real board
// (github.com/Azure/azure-sphere-samples, Samples/AzureIoT: IoTHub/connection_iot_hub.c, DPS/connection_dps.c): wait
// until the device certificate is ready for the app's tenant (Application_IsDeviceAuthReady), register with DPS first
// when the app names an ID scope, connect to the hub with the certificate, send telemetry every few seconds, and try
// again with a growing delay when anything fails. A renewed certificate means a new connection — and, through DPS, a
// new registration: "the DPS instance captures the active device certificate during provisioning and when the device
// certificate changes, devices must reprovision" (Samples/AzureIoT/AzureIoTTroubleshooting.md).
//
// What it does is written to the app's output in the sample's words (INFO:/ERROR: lines) and kept as `status`.
import type { DeviceCertificateRecord } from '../device-auth/attestation-request';
import type { IotSettingsResult } from './connection-settings';
import type { DeviceTlsIdentity } from './device-tls';
import { registerWithDps, type DpsAssignment } from './dps-registration';
import { HubSession } from './hub-session';
import { IotFailure, iotFailureFrom } from './iot-failure';
import { TelemetryGenerator } from './telemetry';

export type IotConnectionState = 'idle' | 'provisioning' | 'connecting' | 'connected' | 'refused';

export interface IotConnectionStatus {
  /** The app; undefined in the board's summary when no app connects. */
  componentId: string | undefined;
  state: IotConnectionState;
  /** The hub connected to, or being connected to (host[:port]). */
  hub?: string;
  /** Why the last attempt failed, or why the connection is idle. Never holds keys or certificates. */
  lastError?: string;
  /** Device-to-cloud messages the hub acknowledged since the app started. */
  messagesSent: number;
  /** Hub connections made since the app started (a reconnection after renewal is one more). */
  connections: number;
  /** DPS registrations since the app started. */
  registrations: number;
}

export interface IotTiming {
  /** Between two telemetry messages (the sample's 5 s). */
  telemetryIntervalMs: number;
  /** First delay after a failure; it doubles with each further failure up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** For the MQTT connection, and for a whole DPS registration. */
  connectTimeoutMs: number;
}

export const DEFAULT_IOT_TIMING: IotTiming = { telemetryIntervalMs: 5000, retryMinMs: 1000, retryMaxMs: 60_000, connectTimeoutMs: 30_000 };

export interface AppIotConnectionDeps {
  componentId: string;
  settings: IotSettingsResult;
  /** The manifest's Capabilities.DeviceAuthentication (a tenant ID), if any. */
  deviceAuthentication: string | undefined;
  deviceId: string;
  deviceKeyPem: string;
  /** The CA the hub's and DPS's server certificates chain to; undefined: Node's built-in roots. */
  cloudCaPem: string | undefined;
  provisioningHost: string;
  timing: IotTiming;
  telemetrySeed: number;
  /** The device certificate while device auth is ready (online, clock synced, unexpired), else undefined. */
  certificate(): DeviceCertificateRecord | undefined;
  output(line: string): void;
}

export class AppIotConnection {
  private current: IotConnectionStatus;
  /** Each start bumps it; a run whose generation is no longer current stops at its next step. */
  private generation = 0;
  private running = false;
  /** The certificate chain the current run uses (undefined: it is waiting for device auth). */
  private usedChain: string | undefined;
  private session: HubSession | undefined;
  private telemetryTimer: NodeJS.Timeout | undefined;
  private pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  /** DPS's answer for one certificate: kept while the certificate stays, redone when it changes. */
  private assignment: (DpsAssignment & { chainPem: string }) | undefined;
  private readonly telemetry: TelemetryGenerator;

  constructor(private readonly deps: AppIotConnectionDeps) {
    this.current = { componentId: deps.componentId, state: 'idle', messagesSent: 0, connections: 0, registrations: 0 };
    this.telemetry = new TelemetryGenerator(deps.telemetrySeed);
  }

  get status(): IotConnectionStatus {
    return { ...this.current };
  }

  /** Starts, or restarts when the certificate the app may use changed (renewed, expired, offline, online). */
  refresh(): void {
    if (this.running && this.deps.certificate()?.chainPem === this.usedChain) return;
    this.restart();
  }

  /** The app stopped (or the board did): the connection ends, nothing is retried. */
  async stop(): Promise<void> {
    this.generation++;
    this.running = false;
    await this.teardown();
    this.set({ state: 'idle', hub: undefined });
  }

  private restart(): void {
    const generation = ++this.generation;
    this.running = true;
    void this.teardown().then(() => this.run(generation));
  }

  private set(change: Partial<IotConnectionStatus>): void {
    this.current = { ...this.current, ...change };
  }

  private async teardown(): Promise<void> {
    clearInterval(this.telemetryTimer);
    this.telemetryTimer = undefined;
    if (this.pause) {
      clearTimeout(this.pause.timer);
      this.pause.resolve();
      this.pause = undefined;
    }
    const session = this.session;
    this.session = undefined;
    await session?.close().catch(() => undefined);
  }

  /** Why the app cannot connect whatever happens next, or undefined. */
  private blocked(certificate: DeviceCertificateRecord | undefined): string | undefined {
    const { settings, deviceAuthentication } = this.deps;
    if ('problem' in settings) return settings.problem;
    if (!deviceAuthentication) return 'the app manifest has no Capabilities.DeviceAuthentication (the tenant ID), so the app may not use the device certificate';
    if (!certificate) return 'device auth not ready (the board needs its daily device certificate: claimed, online, clock synced)';
    if (deviceAuthentication.toLowerCase() !== certificate.tenantId.toLowerCase()) {
      return `the app's DeviceAuthentication names tenant ${deviceAuthentication}, but the board's device certificate is from tenant ${certificate.tenantId}`;
    }
    return undefined;
  }

  private async run(generation: number): Promise<void> {
    const alive = (): boolean => generation === this.generation;
    let failures = 0;
    while (alive()) {
      const certificate = this.deps.certificate();
      this.usedChain = certificate?.chainPem;
      const blocked = this.blocked(certificate);
      if (blocked) {
        if (blocked !== this.current.lastError || this.current.state !== 'idle') this.deps.output(`ERROR: IoT Hub connection - ${blocked}.`);
        this.set({ state: 'idle', hub: undefined, lastError: blocked });
        return; // refresh() starts again when the certificate changes
      }
      const tls: DeviceTlsIdentity = { keyPem: this.deps.deviceKeyPem, chainPem: certificate!.chainPem, caPem: this.deps.cloudCaPem };
      try {
        const target = await this.target(tls, certificate!.chainPem, alive);
        if (!alive()) return;
        this.set({ state: 'connecting', hub: target.hub });
        const session = await HubSession.open({ hostname: target.hub, deviceId: target.deviceId, tls, connectTimeoutMs: this.deps.timing.connectTimeoutMs });
        if (!alive()) {
          await session.close();
          return;
        }
        this.session = session;
        failures = 0;
        this.set({ state: 'connected', lastError: undefined, connections: this.current.connections + 1 });
        this.deps.output(`INFO: Azure IoT Hub connection complete (${target.hub}, device ${target.deviceId.slice(0, 16)}…).`);
        this.sendTelemetryEvery(session, alive);
        const ended = await session.ended;
        if (!alive()) return;
        clearInterval(this.telemetryTimer);
        this.session = undefined;
        throw ended ?? new IotFailure(`IoT hub ${target.hub} closed the connection`, false);
      } catch (error) {
        if (!alive()) return;
        const failure = iotFailureFrom(error, 'IoT connection');
        // A refusal may mean DPS's assignment is stale (the hub no longer knows the device): register again next time.
        if (failure.refused) this.assignment = undefined;
        failures++;
        const delay = Math.min(this.deps.timing.retryMinMs * 2 ** (failures - 1), this.deps.timing.retryMaxMs);
        this.set({ state: failure.refused ? 'refused' : 'connecting', lastError: failure.message });
        this.deps.output(`ERROR: ${failure.message}; trying again in ${(delay / 1000).toFixed(1)} s.`);
        await this.wait(delay);
      }
    }
  }

  /** The hub and device ID to connect with: the app's own, or what DPS assigns for this certificate. */
  private async target(tls: DeviceTlsIdentity, chainPem: string, alive: () => boolean): Promise<{ hub: string; deviceId: string }> {
    const { settings } = this.deps;
    if ('problem' in settings) throw new Error(settings.problem);
    const registrationId = this.deps.deviceId.toLowerCase();
    if (settings.settings.kind === 'hub') return { hub: settings.settings.hostname, deviceId: registrationId };
    if (this.assignment?.chainPem !== chainPem) {
      this.set({ state: 'provisioning', hub: undefined });
      this.deps.output(`INFO: Registering with the device provisioning service (${this.deps.provisioningHost}, ID scope ${settings.settings.idScope}).`);
      const assignment = await registerWithDps({
        provisioningHost: this.deps.provisioningHost,
        idScope: settings.settings.idScope,
        registrationId,
        tls,
        timeoutMs: this.deps.timing.connectTimeoutMs,
      });
      if (!alive()) return { hub: assignment.assignedHub, deviceId: assignment.deviceId };
      this.assignment = { ...assignment, chainPem };
      this.set({ registrations: this.current.registrations + 1 });
      this.deps.output(`INFO: DPS assigned hub ${assignment.assignedHub}.`);
    }
    return { hub: this.assignment!.assignedHub, deviceId: this.assignment!.deviceId };
  }

  private sendTelemetryEvery(session: HubSession, alive: () => boolean): void {
    this.telemetryTimer = setInterval(() => {
      const reading = this.telemetry.next();
      this.deps.output(`INFO: Sending Azure IoT Hub telemetry: ${JSON.stringify(reading)}.`);
      session.sendTelemetry(reading).then(
        () => {
          if (alive()) this.set({ messagesSent: this.current.messagesSent + 1 });
        },
        (error: unknown) => {
          if (alive()) this.deps.output(`WARNING: Could not send telemetry: ${(error as Error).message}.`);
        },
      );
    }, this.deps.timing.telemetryIntervalMs);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pause = undefined;
        resolve();
      }, ms);
      this.pause = { timer, resolve };
    });
  }
}
