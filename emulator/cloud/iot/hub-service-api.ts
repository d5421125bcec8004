// A hub's service REST API on its own port: the identity registry (api-version 2021-04-12,
// learn.microsoft.com/rest/api/iothub/service/devices) — `PUT|GET|DELETE /devices/{id}`, `GET /devices`,
// `POST /devices/query` — and the emulator-only telemetry stream `GET /$emulator/telemetry`. Every request carries a
// service SAS token for the hub's host name, signed with a key of one of the hub's shared access policies
// (ARM listkeys); a policy grants RegistryRead, RegistryWrite or ServiceConnect. Errors have the hub's shape
// (hub-errors.ts).
import { etagOfIfMatch } from '../../common/if-match';
import type { Clock } from '../../common/clock';
import { jsonObjectBody, JsonBodyError, jsonResponse, pathSegments, type EmuRequest, type EmuResponse } from '../http';
import type { Store } from '../store';
import type { AccessKeys, AccessRight } from './access-keys';
import { checkDeviceId, deviceJson, identityFromBody, twinJson } from './device-identity';
import type { HubActivity } from './hub-activity';
import { HubError, hubErrorResponse } from './hub-errors';
import type { HubMqtt } from './hub-mqtt';
import type { IotHttpHandler } from './iot-http';
import type { DeviceIdentity } from './iot-state';
import { pageOf } from './query-paging';
import { verifyServiceSas } from './sas-token';
import { matches, parseSelectAll } from './select-query';
import type { TelemetryStreams } from './telemetry-stream';

export interface HubServiceOptions {
  hubKey: string;
  hubName: string;
  hostName(): string;
  store: Store;
  keys: AccessKeys;
  activity: HubActivity;
  telemetry: TelemetryStreams;
  mqtt: HubMqtt;
  clock: Clock;
}

/** The registry's `If-Match` value without quotes or a weak prefix; undefined when absent. */
export function ifMatchOf(req: EmuRequest): string | undefined {
  const header = req.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  return etagOfIfMatch(header);
}

export class HubServiceApi {
  constructor(private readonly opts: HubServiceOptions) {}

  readonly handle: IotHttpHandler = async (req, raw) => {
    try {
      const s = pathSegments(req.path);
      if (!s) throw new HubError(400, 'ArgumentInvalid', 'The request path is not valid percent-encoding.');
      if (s.length === 2 && s[0] === '$emulator' && s[1] === 'telemetry' && req.method === 'GET') {
        this.authorize(req, 'ServiceConnect');
        const deviceId = req.url.searchParams.get('deviceId') ?? undefined;
        if (deviceId !== undefined) checkDeviceId(deviceId);
        this.opts.telemetry.serve(raw.res, deviceId);
        return 'streamed';
      }
      if (s[0] !== 'devices' || s.length > 2) {
        this.authorize(req, undefined);
        throw new HubError(404, 'NotFound', `There is no ${req.method} ${req.path} on this hub.`);
      }
      this.authorize(req, req.method === 'GET' || (req.method === 'POST' && s[1] === 'query') ? 'RegistryRead' : 'RegistryWrite');
      if (!req.url.searchParams.get('api-version')) throw new HubError(400, 'ArgumentInvalid', 'The api-version query parameter is required (the emulator follows 2021-04-12).');
      if (s.length === 1 && req.method === 'GET') return this.list(req);
      if (s.length === 2 && s[1] === 'query' && req.method === 'POST') return this.query(req);
      if (s.length === 2) {
        const deviceId = s[1]!;
        checkDeviceId(deviceId);
        if (req.method === 'GET') return this.respond(this.deviceFor(deviceId));
        if (req.method === 'PUT') return await this.put(req, deviceId);
        if (req.method === 'DELETE') return await this.remove(req, deviceId);
      }
      throw new HubError(405, 'ArgumentInvalid', `${req.method} is not supported on ${req.path}.`);
    } catch (err) {
      if (err instanceof HubError) return hubErrorResponse(err, this.opts.clock.now());
      if (err instanceof JsonBodyError) return hubErrorResponse(new HubError(400, 'ArgumentInvalid', `${err.message}.`), this.opts.clock.now());
      throw err;
    }
  };

  errorResponse = (status: 413 | 500, message: string): EmuResponse =>
    hubErrorResponse(new HubError(status, status === 413 ? 'RequestEntityTooLarge' : 'ServerError', message), this.opts.clock.now());

  /** `right` undefined: any valid token of the hub will do (for paths that exist nowhere anyway). */
  private authorize(req: EmuRequest, right: AccessRight | undefined): void {
    const target = { hubKey: this.opts.hubKey, kind: 'IotHubs' as const, hostName: this.opts.hostName() };
    const verdict = verifyServiceSas(req.headers.authorization, target, this.opts.keys, right, this.opts.clock.now());
    if (!verdict.ok) throw new HubError(401, 'IotHubUnauthorizedAccess', `Unauthorized: ${verdict.reason}.`);
  }

  private devices(): ReadonlyMap<string, DeviceIdentity> {
    return this.opts.store.state.iot.devicesOf(this.opts.hubKey);
  }

  private deviceFor(deviceId: string): DeviceIdentity {
    const device = this.devices().get(deviceId);
    if (!device) throw new HubError(404, 'DeviceNotFound', deviceId);
    return device;
  }

  private respond(device: DeviceIdentity): EmuResponse {
    return jsonResponse(200, deviceJson(device, this.opts.activity.liveState(device.deviceId)), { etag: `"${device.etag}"` });
  }

  private list(req: EmuRequest): EmuResponse {
    const topText = req.url.searchParams.get('top');
    const top = topText === null ? 1000 : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > 1000) throw new HubError(400, 'ArgumentInvalid', 'top must be an integer from 1 to 1000.');
    const devices = [...this.devices().values()].slice(0, top);
    return jsonResponse(
      200,
      devices.map((d) => deviceJson(d, this.opts.activity.liveState(d.deviceId))),
    );
  }

  private query(req: EmuRequest): EmuResponse {
    const body = jsonObjectBody(req);
    if (typeof body.query !== 'string') throw new HubError(400, 'ArgumentInvalid', 'The body must be {"query": "SELECT * FROM devices …"}.');
    const conditions = parseSelectAll(body.query, 'devices');
    if (typeof conditions === 'string') throw new HubError(400, 'ArgumentInvalid', `Query '${body.query.slice(0, 200)}' is not supported: ${conditions}.`);
    const twins = [...this.devices().values()]
      .map((d) => twinJson(d, this.opts.activity.liveState(d.deviceId), this.opts.activity.reportedOf(d.deviceId)))
      .filter((t) => matches(t, conditions));
    const page = pageOf(twins, req.headers, body.query);
    if (!page.ok) throw new HubError(400, 'ArgumentInvalid', `${page.reason}.`);
    const headers: Record<string, string> = { 'x-ms-item-type': 'twin', 'x-ms-max-item-count': String(page.pageSize) };
    if (page.continuation) headers['x-ms-continuation'] = page.continuation;
    return jsonResponse(200, page.items, headers);
  }

  /**
   * Create without If-Match (an existing ID: 409 DeviceAlreadyExists); replace with If-Match `*` or the current
   * etag (another etag: 412; no such device: 404), as the registry does.
   */
  private async put(req: EmuRequest, deviceId: string): Promise<EmuResponse> {
    const body = jsonObjectBody(req);
    const existing = this.devices().get(deviceId);
    const ifMatch = ifMatchOf(req);
    if (existing && ifMatch === undefined) throw new HubError(409, 'DeviceAlreadyExists', `A device with ID '${deviceId}' is already registered.`);
    if (!existing && ifMatch !== undefined) throw new HubError(404, 'DeviceNotFound', deviceId);
    if (existing && ifMatch !== '*' && ifMatch !== existing.etag) {
      throw new HubError(412, 'PreconditionFailed', `Precondition failed: the etag '${ifMatch}' is not the current etag of device '${deviceId}'.`);
    }
    const device = identityFromBody(body, deviceId, existing, new Date(this.opts.clock.now()).toISOString());
    await this.opts.store.commit({ t: 'hubDevice', hubKey: this.opts.hubKey, device });
    // A disabled device is disconnected at once, as the hub does.
    if (device.status === 'disabled') this.opts.mqtt.disconnect(deviceId);
    return this.respond(device);
  }

  private async remove(req: EmuRequest, deviceId: string): Promise<EmuResponse> {
    const existing = this.deviceFor(deviceId);
    const ifMatch = ifMatchOf(req);
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== existing.etag) {
      throw new HubError(412, 'PreconditionFailed', `Precondition failed: the etag '${ifMatch}' is not the current etag of device '${deviceId}'.`);
    }
    await this.opts.store.commit({ t: 'hubDeviceDelete', hubKey: this.opts.hubKey, deviceId });
    this.opts.mqtt.disconnect(deviceId);
    this.opts.activity.forget(deviceId);
    return { status: 204 };
  }
}
