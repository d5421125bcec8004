// The emulator's stand-in for the device update protocol: `POST /v2/devices/{deviceId}/updatecheck` and
// `GET /v2/devices/{deviceId}/images/{imageId}/content`.
//
// A real board asks the update service for its updates over a private protocol after it attests
// (learn.microsoft.com/azure-sphere/deployment/device-updates: on first connecting after power-on, then about every
// 20 hours) and reports its error events the same way. That protocol is not public, so the emulator offers these
// routes instead, authenticated like the daily certificate (device-signature.ts: no bearer token, the device signs
// "<ID>\n<timestamp>" with its key). The update check records the board's installed images and its app error events
// (which then appear in the tenant's error report) and the time of the check (DeviceV2's LastUpdateRequestUTC), and
// answers with the images its device group targets at it; the content route hands out those images' bytes.
// Contract: docs/cloud-api.md#device-update-check-emulator.
import type { EmulatorContext } from './context';
import { authenticateDevice, deviceFailure as fail } from './device-signature';
import { targetedImages } from './fleet-device-routes';
import { GUID } from './fleet-guard';
import type { FleetImageStore } from './fleet-image-store';
import type { InsightEvent, InstalledImage } from './fleet-model';
import { jsonObjectBody, jsonResponse, JsonBodyError, pathSegments, type EmuRequest, type EmuResponse } from './http';
import { ErrorCode, type Tenant } from './model';

/** At most this many installed images and events in one check: a board holds a handful of images. */
export const MAX_INSTALLED_IMAGES = 64;
export const MAX_EVENTS_PER_CHECK = 100;
const MAX_EVENT_TEXT = 512;

/** What a check's body must look like, for messages. */
const BODY_SHAPE = '{"timestamp", "signature", "installedImages": [{"imageId", "componentId"}], "events": [{"eventType", "eventClass", "eventCategory", "description", "eventCount", "startTimestampInUnix", "endTimestampInUnix"}]}';

class BadCheck extends Error {}

function installedImagesOf(raw: unknown): InstalledImage[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_INSTALLED_IMAGES) throw new BadCheck(`installedImages must be a list of at most ${MAX_INSTALLED_IMAGES} {"imageId", "componentId"}.`);
  return raw.map((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (typeof e.imageId !== 'string' || !GUID.test(e.imageId) || typeof e.componentId !== 'string' || !GUID.test(e.componentId)) {
      throw new BadCheck(`installedImages[${i}] must be {"imageId", "componentId"}, both GUIDs.`);
    }
    return { imageId: e.imageId.toLowerCase(), componentId: e.componentId.toLowerCase() };
  });
}

function eventsOf(raw: unknown, deviceId: string): InsightEvent[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_EVENTS_PER_CHECK) throw new BadCheck(`events must be a list of at most ${MAX_EVENTS_PER_CHECK} events.`);
  return raw.map((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const text = (field: string): string => {
      const v = e[field];
      // eslint-disable-next-line no-control-regex
      if (typeof v !== 'string' || v.length > MAX_EVENT_TEXT || /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v)) throw new BadCheck(`events[${i}].${field} must be text of at most ${MAX_EVENT_TEXT} characters.`);
      return v;
    };
    const whole = (field: string, min: number): number => {
      const v = e[field];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new BadCheck(`events[${i}].${field} must be a whole number of at least ${min}.`);
      return v;
    };
    const event: InsightEvent = {
      deviceId,
      eventType: text('eventType'),
      eventClass: text('eventClass'),
      eventCategory: text('eventCategory'),
      description: text('description'),
      eventCount: whole('eventCount', 1),
      startTimestampInUnix: whole('startTimestampInUnix', 0),
      endTimestampInUnix: whole('endTimestampInUnix', 0),
    };
    if (event.endTimestampInUnix < event.startTimestampInUnix) throw new BadCheck(`events[${i}] ends before it starts.`);
    return event;
  });
}

export class DeviceUpdateApi {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly images: FleetImageStore,
  ) {}

  async handle(req: EmuRequest): Promise<EmuResponse | undefined> {
    const s = pathSegments(req.path);
    if (!s || s[0] !== 'v2' || s[1] !== 'devices') return undefined;
    if (s.length === 4 && s[3]!.toLowerCase() === 'updatecheck') {
      if (req.method !== 'POST') return this.wrongMethod(req, 'POST');
      return this.check(req, s[2]!);
    }
    if (s.length === 6 && s[3]!.toLowerCase() === 'images' && s[5]!.toLowerCase() === 'content') {
      if (req.method !== 'GET') return this.wrongMethod(req, 'GET');
      return this.content(req, s[2]!, s[4]!);
    }
    return undefined;
  }

  private wrongMethod(req: EmuRequest, allowed: string): EmuResponse {
    return { ...fail(405, ErrorCode.BadRequest, `Use ${allowed} on ${req.path}.`), headers: { 'content-type': 'application/json; charset=utf-8', allow: allowed } };
  }

  /** The claimed device's tenant, or the 404 the daily certificate gives too. */
  private tenantOf(deviceId: string): Tenant | EmuResponse {
    const tenantId = this.ctx.store.state.claims.get(deviceId);
    const tenant = tenantId === undefined ? undefined : this.ctx.store.state.tenants.get(tenantId);
    return tenant ?? fail(404, ErrorCode.NotFound, `Device '${deviceId}' is not claimed; claim it into a tenant first.`);
  }

  private async check(req: EmuRequest, rawDeviceId: string): Promise<EmuResponse> {
    let body: Record<string, unknown>;
    try {
      body = jsonObjectBody(req);
    } catch (err) {
      if (err instanceof JsonBodyError) return fail(400, ErrorCode.BadRequest, `${err.message}: ${BODY_SHAPE}.`);
      throw err;
    }
    const device = authenticateDevice(this.ctx, rawDeviceId, body.timestamp, body.signature);
    if ('failure' in device) return device.failure;
    const { deviceId } = device;
    let installedImages: InstalledImage[];
    let events: InsightEvent[];
    try {
      installedImages = installedImagesOf(body.installedImages);
      events = eventsOf(body.events, deviceId);
    } catch (err) {
      if (err instanceof BadCheck) return fail(400, ErrorCode.BadRequest, err.message);
      throw err;
    }
    const tenant = this.tenantOf(deviceId);
    if (!('id' in tenant)) return tenant;
    const at = new Date(this.ctx.clock.now()).toISOString();
    const writes = [this.ctx.store.commit({ t: 'deviceCheckIn', deviceId, at, installedImages })];
    if (events.length > 0) writes.push(this.ctx.store.commit({ t: 'deviceEvents', tenantId: tenant.id, events }));
    await Promise.all(writes);
    const group = this.ctx.store.state.fleet.groupOf(deviceId);
    const targeted = targetedImages(this.ctx, tenant.id, deviceId);
    return jsonResponse(200, {
      deviceId,
      tenantId: tenant.id,
      productId: group?.productId ?? null,
      deviceGroupId: group?.id ?? null,
      updatePolicy: targeted.updatePolicy,
      deploymentId: targeted.deploymentId,
      checkedAt: at,
      targetedImages: targeted.images.map((i) => ({ imageId: i.id, componentId: i.componentId, name: i.name, imageType: i.imageType, sizeBytes: i.sizeBytes, sha256: i.sha256 })),
    });
  }

  /** The bytes of an image targeted at the device now; signed like the check, in the query (a GET has no body). */
  private content(req: EmuRequest, rawDeviceId: string, rawImageId: string): EmuResponse {
    const device = authenticateDevice(this.ctx, rawDeviceId, req.url.searchParams.get('timestamp') ?? undefined, req.url.searchParams.get('signature') ?? undefined);
    if ('failure' in device) return device.failure;
    const { deviceId } = device;
    if (!GUID.test(rawImageId)) return fail(400, ErrorCode.BadRequest, `Image ID '${rawImageId.slice(0, 80)}' is not valid: it must be a GUID.`);
    const tenant = this.tenantOf(deviceId);
    if (!('id' in tenant)) return tenant;
    const imageId = rawImageId.toLowerCase();
    const image = targetedImages(this.ctx, tenant.id, deviceId).images.find((i) => i.id === imageId);
    if (!image) return fail(404, ErrorCode.NotFound, `Image '${imageId}' is not targeted at device '${deviceId}'; its device group's current deployment does not hold it.`);
    const bytes = this.images.read(tenant.id, image.id);
    return { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }, body: bytes };
  }
}
