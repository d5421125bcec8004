// The board's IoT connections: one per running app whose manifest's CmdArgs name an IoT hub or a DPS ID scope
// (connection-settings.ts), started when the app starts, ended when it stops, the board powers off or stops, and
// told whenever device auth changes (certificate renewed, expired, board offline or online again).
//
// An app being debugged connects too: the simulator has no debugger to hold it at its entry point, so it counts as
// a debugger that attached and let the app run.
import { deriveSeed, seedFromString } from '../../common/seeded-random';
import type { AppRuntime } from '../apps/app-runtime';
import type { DeviceCertificateRecord } from '../device-auth/attestation-request';
import { AppIotConnection, type IotConnectionStatus, type IotTiming } from './app-iot-connection';
import { iotSettingsFromCmdArgs } from './connection-settings';

export const DEFAULT_PROVISIONING_HOST = 'global.azure-devices-provisioning.net';

export interface IotConnectionsDeps {
  apps: AppRuntime;
  deviceId: string;
  deviceKeyPem: string;
  cloudCaPem: string | undefined;
  provisioningHost: string;
  timing: IotTiming;
  telemetrySeed: number;
  /** The device certificate while device auth is ready, else undefined. */
  certificate(): DeviceCertificateRecord | undefined;
  output(componentId: string, line: string): void;
}

interface Tracked {
  /** The app's process and settings; another value means a new process or a reinstalled app: a new connection. */
  key: string;
  connection: AppIotConnection;
}

export class IotConnections {
  private readonly tracked = new Map<string, Tracked>();
  /** Connections on their way down, so that stopping the board waits for their sockets to close. */
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly deps: IotConnectionsDeps) {}

  /** Every tracked app's connection, in the order the apps started. */
  statuses(): IotConnectionStatus[] {
    return [...this.tracked.values()].map((t) => t.connection.status);
  }

  statusOf(componentId: string): IotConnectionStatus | undefined {
    return this.tracked.get(componentId.toLowerCase())?.connection.status;
  }

  /** Brings the connections in line with the running apps and device auth. */
  sync(): void {
    const wanted = new Map<string, { key: string; create: () => AppIotConnection }>();
    for (const { record, pid } of this.deps.apps.runningApps()) {
      const settings = iotSettingsFromCmdArgs(record.cmdArgs);
      if (!settings) continue;
      const cid = record.componentId;
      wanted.set(cid, {
        key: JSON.stringify([pid, record.cmdArgs, record.deviceAuthentication]),
        create: () => new AppIotConnection({
          componentId: cid,
          settings,
          deviceAuthentication: record.deviceAuthentication,
          deviceId: this.deps.deviceId,
          deviceKeyPem: this.deps.deviceKeyPem,
          cloudCaPem: this.deps.cloudCaPem,
          provisioningHost: this.deps.provisioningHost,
          timing: this.deps.timing,
          telemetrySeed: deriveSeed(this.deps.telemetrySeed, seedFromString(cid)),
          certificate: () => this.deps.certificate(),
          output: (line) => this.deps.output(cid, line),
        }),
      });
    }
    for (const [cid, tracked] of this.tracked) {
      if (wanted.get(cid)?.key !== tracked.key) {
        this.tracked.delete(cid);
        const stopped = tracked.connection.stop().finally(() => this.stopping.delete(stopped));
        this.stopping.add(stopped);
      }
    }
    for (const [cid, want] of wanted) {
      let tracked = this.tracked.get(cid);
      if (!tracked) {
        tracked = { key: want.key, connection: want.create() };
        this.tracked.set(cid, tracked);
      }
      tracked.connection.refresh();
    }
  }

  /** The board stops: every connection ends. */
  async stopAll(): Promise<void> {
    const all = [...this.tracked.values()];
    this.tracked.clear();
    await Promise.all([...all.map((t) => t.connection.stop()), ...this.stopping]);
  }
}
