// Every emulated IoT hub and DPS as a server of its own on 127.0.0.1, with the emulator's TLS certificate:
//   - each IoT hub: one port for its service REST API, the telemetry stream and device MQTT (tls-endpoint.ts sorts
//     them); its host name is `127.0.0.1:<port>`;
//   - each DPS: one port for its service API (its serviceOperationsHostName);
//   - the global provisioning endpoint (global.azure-devices-provisioning.net in Azure): one port where devices
//     register over HTTPS or MQTT, routed to their DPS by ID scope.
// Ports are kept in `iot-ports.json` in the state folder and taken again on the next start, so host names survive
// restarts; when the emulator runs on a dynamic main port (tests), every port is dynamic too. A kept port that another
// program took meanwhile is replaced by a free one (logged), rather than keeping the emulator from starting.
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Clock } from '../../common/clock';
import { writeFileDurably } from '../files';
import type { Hub } from '../model';
import type { Store } from '../store';
import { AccessKeys } from './access-keys';
import { idScopeFor } from './dps-links';
import { DpsRegistrar } from './dps-registration';
import { DpsServiceApi } from './dps-service-api';
import { HubActivity } from './hub-activity';
import { createHubMqtt, type HubMqtt } from './hub-mqtt';
import { HubServiceApi } from './hub-service-api';
import { createIotHttpServer } from './iot-http';
import { ProvisioningDeviceApi } from './provisioning-device-api';
import { createProvisioningMqtt, type ProvisioningMqtt } from './provisioning-mqtt';
import { TelemetryStreams } from './telemetry-stream';
import { startTlsEndpoint, type TlsEndpoint } from './tls-endpoint';

const PORTS_FILE = 'iot-ports.json';

interface PersistedPorts {
  /** hubKey → port, for IoT hubs and DPSs alike. */
  hubs: Record<string, number>;
  provisioning?: number;
}

export interface IotEndpointsOptions {
  stateDir: string;
  store: Store;
  tls: { serverKeyPem: string; serverCertPem: string };
  clock: Clock;
  /** true: take any free ports (the emulator's own port is dynamic too); false: the kept ones where there are. */
  dynamicPorts: boolean;
  log?: (line: string) => void;
}

/** What the rest of the emulator (ARM, the CLI's listening line, in-process tests) learns about the endpoints. */
export interface IotEndpoints {
  readonly keys: AccessKeys;
  /** `127.0.0.1:<port>` of an IoT hub or DPS; undefined for one that has no endpoint. */
  hostName(hubKey: string): string | undefined;
  /** The global provisioning endpoint, `127.0.0.1:<port>`. */
  readonly provisioningHost: string;
  idScope(dpsKey: string): string;
  /** The hub whose host name this is (`127.0.0.1:<port>` or `localhost:<port>`), if any. */
  hubKeyOf(hostName: string): string | undefined;
  /** A hub's live state: connection states and telemetry (tests and tools). */
  activity(hubKey: string): HubActivity | undefined;
  close(): Promise<void>;
}

function readPorts(stateDir: string): PersistedPorts {
  const path = join(stateDir, PORTS_FILE);
  if (!existsSync(path)) return { hubs: {} };
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<PersistedPorts>;
    return { hubs: typeof value.hubs === 'object' && value.hubs !== null ? value.hubs : {}, provisioning: value.provisioning };
  } catch {
    return { hubs: {} };
  }
}

function validPort(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

export async function startIotEndpoints(opts: IotEndpointsOptions): Promise<IotEndpoints> {
  const { store, clock, log } = opts;
  const keys = AccessKeys.loadOrCreate(opts.stateDir);
  const kept = opts.dynamicPorts ? { hubs: {} } : readPorts(opts.stateDir);
  const hostNames = new Map<string, string>();
  const endpoints: TlsEndpoint[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const activities = new Map<string, HubActivity>();
  const dpsByScope = new Map<string, string>();
  const hubKeyOf = (hostName: string): string | undefined => {
    const wanted = hostName.toLowerCase().replace(/^localhost:/, '127.0.0.1:');
    return [...hostNames.entries()].find(([, h]) => h === wanted)?.[0];
  };
  const start = async (label: string, port: number | undefined, http: Server, mqtt?: HubMqtt | ProvisioningMqtt): Promise<number> => {
    const endpoint = await startTlsEndpoint({
      port: port ?? 0,
      fallBackToAnyPort: true,
      keyPem: opts.tls.serverKeyPem,
      certPem: opts.tls.serverCertPem,
      http,
      mqtt: mqtt && ((socket) => mqtt.handle(socket)),
      log,
      label,
    });
    endpoints.push(endpoint);
    return endpoint.port;
  };

  const registrar = new DpsRegistrar({ store, clock, hostNameOf: (key) => hostNames.get(key), log });
  const closeAll = async (): Promise<void> => {
    for (const endpoint of endpoints) endpoint.close();
    for (const close of closers) await close();
  };
  try {
    const hubs = [...store.state.hubs.entries()] as [string, Hub][];
    for (const [hubKey, hub] of hubs) {
      const hostName = () => hostNames.get(hubKey) ?? '127.0.0.1';
      let http: Server;
      let mqtt: HubMqtt | undefined;
      if (hub.kind === 'IotHubs') {
        const activity = new HubActivity(clock);
        activities.set(hubKey, activity);
        const telemetry = new TelemetryStreams(activity);
        mqtt = await createHubMqtt({ hubKey, hubName: hub.name, hostName, store, activity, clock, log });
        const hubMqtt = mqtt;
        closers.push(() => telemetry.closeAll(), () => hubMqtt.close());
        const api = new HubServiceApi({ hubKey, hubName: hub.name, hostName, store, keys, activity, telemetry, mqtt, clock });
        http = createIotHttpServer({ label: hub.name, handle: api.handle, errorResponse: api.errorResponse, store, log });
      } else {
        dpsByScope.set(idScopeFor(hubKey).toLowerCase(), hubKey);
        const api = new DpsServiceApi({ dpsKey: hubKey, dpsName: hub.name, hostName, hubHostName: (k) => hostNames.get(k), hubKeyOf, store, keys, registrar, clock });
        http = createIotHttpServer({ label: hub.name, handle: api.handle, errorResponse: api.errorResponse, store, log });
      }
      const port = await start(hub.name, validPort(kept.hubs[hubKey]), http, mqtt);
      hostNames.set(hubKey, `127.0.0.1:${port}`);
    }

    const dpsKeyByIdScope = (idScope: string) => dpsByScope.get(idScope.toLowerCase());
    const deviceApi = new ProvisioningDeviceApi({ registrar, store, clock, dpsKeyByIdScope });
    const provisioningMqtt = await createProvisioningMqtt({ registrar, store, clock, dpsKeyByIdScope, log });
    closers.push(() => provisioningMqtt.close());
    const deviceHttp = createIotHttpServer({ label: 'provisioning endpoint', handle: deviceApi.handle, errorResponse: deviceApi.errorResponse, store, log });
    const provisioningPort = await start('provisioning endpoint', validPort(kept.provisioning), deviceHttp, provisioningMqtt);

    const ports: PersistedPorts = { hubs: Object.fromEntries([...hostNames].map(([key, host]) => [key, Number(host.split(':')[1])])), provisioning: provisioningPort };
    writeFileDurably(join(opts.stateDir, PORTS_FILE), `${JSON.stringify(ports, null, 2)}\n`, 0o644);

    let closed = false;
    return {
      keys,
      hostName: (hubKey) => hostNames.get(hubKey),
      provisioningHost: `127.0.0.1:${provisioningPort}`,
      idScope: idScopeFor,
      hubKeyOf,
      activity: (hubKey) => activities.get(hubKey),
      close: async () => {
        if (closed) return;
        closed = true;
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
