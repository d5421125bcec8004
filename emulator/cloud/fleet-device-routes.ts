// Devices in the fleet (docs/cloud-api.md#devices-in-the-fleet): the devices of a device group or product a page at a
// time, how many a tenant, product or group holds, moving a device into a group (an Operation, done at once), and
// the images the cloud targets at a device — its group's current deployment, as the update policy lets it through.
import type { EmulatorContext } from './context';
import { deviceV2 } from './device-v2';
import { MANAGE_ROLES, operationResponse, READ_ROLES, type FleetLookup } from './fleet-guard';
import { imageMetadataV2, UpdatePolicy, type FleetImage } from './fleet-model';
import { pageOfFiltered } from './fleet-paging';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import { completedOperation, OperationType, type Tenant, type User } from './model';
import { ImageType } from '../../src/device/image-package/types';

/**
 * The images the device's group targets at it now. UpdatePolicy 1 is "No3rdPartyAppUpdates": as "About over-the-air
 * updates" (learn.microsoft.com/azure-sphere/deployment/device-updates) puts it, deployment updates carry "your
 * high-level and real-time capable applications and board configuration images"; the Development group's policy
 * turns off the application part (so sideloaded apps stay), which we read as: application images are not targeted,
 * a board configuration image still is. No group, or no deployment yet: nothing.
 */
export function targetedImages(ctx: EmulatorContext, tenantId: string, deviceId: string): { images: FleetImage[]; updatePolicy: number | null; deploymentId: string | null } {
  const fleet = ctx.store.state.fleet;
  const group = fleet.groupOf(deviceId);
  if (!group) return { images: [], updatePolicy: null, deploymentId: null };
  const deployment = fleet.currentDeployment(group.id);
  const images = (deployment?.imageIds ?? [])
    .map((id) => fleet.image(tenantId, id))
    .filter((i): i is FleetImage => i !== undefined)
    .filter((i) => group.updatePolicy !== UpdatePolicy.No3rdPartyAppUpdates || i.imageType !== ImageType.applications);
  return { images, updatePolicy: group.updatePolicy, deploymentId: deployment?.id ?? null };
}

export class FleetDeviceRoutes {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly look: FleetLookup,
  ) {}

  private get state() {
    return this.ctx.store.state;
  }

  /** `rest` is the path after /v2/tenants/{t}/, `w` the same lower-cased (for the fixed words). */
  route(req: EmuRequest, tenantId: string, rest: string[], w: string[], user: User): Promise<EmuResponse> | EmuResponse | undefined {
    const m = req.method;
    const n = rest.length;
    if (m === 'GET' && n === 2 && w[0] === 'devices' && w[1] === 'count') return this.countInTenant(tenantId, user);
    if (m === 'GET' && n === 3 && w[0] === 'devices' && w[2] === 'images') return this.targeted(tenantId, rest[1]!, user);
    if (m === 'PUT' && n === 3 && w[0] === 'devices' && w[2] === 'devicegroup') return this.moveDevice(req, tenantId, rest[1]!, user);
    if ((w[0] === 'devicegroups' || w[0] === 'products') && w[2] === 'devices' && m === 'GET') {
      const ofGroup = w[0] === 'devicegroups';
      if (n === 3) return ofGroup ? this.listInGroup(req, tenantId, rest[1]!, user) : this.listInProduct(req, tenantId, rest[1]!, user);
      if (n === 4 && w[3] === 'count') return ofGroup ? this.countInGroup(tenantId, rest[1]!, user) : this.countInProduct(tenantId, rest[1]!, user);
    }
    return undefined;
  }

  private devicePage(req: EmuRequest, tenant: Tenant, keep: (deviceId: string) => boolean, listKey: string): EmuResponse {
    const page = pageOfFiltered(tenant.deviceOrder, keep, listKey, this.look.page(req, listKey));
    return jsonResponse(200, { Items: page.items.map((id) => deviceV2(this.state, id, tenant.id)), ContinuationToken: page.next });
  }

  /** `GET /devicegroups/{id}/devices` (learn.microsoft.com/rest/api/azure-sphere/devices/list-in-group), in claim order. */
  private listInGroup(req: EmuRequest, tenantId: string, rawGroupId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'list devices');
    const group = this.look.groupIn(tenant, rawGroupId);
    const placement = this.state.fleet.placement;
    return this.devicePage(req, tenant, (id) => placement.get(id) === group.id, `groupDevices:${group.id}`);
  }

  /** `GET /products/{id}/devices` (learn.microsoft.com/rest/api/azure-sphere/devices/list-in-product). */
  private listInProduct(req: EmuRequest, tenantId: string, rawProductId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'list devices');
    const product = this.look.productIn(tenant, rawProductId);
    const fleet = this.state.fleet;
    return this.devicePage(req, tenant, (id) => fleet.groupOf(id)?.productId === product.id, `productDevices:${product.id}`);
  }

  /** `GET /devices/count` → a bare integer (learn.microsoft.com/rest/api/azure-sphere/devices/count). */
  private countInTenant(tenantId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'count devices');
    return jsonResponse(200, tenant.deviceOrder.length);
  }

  /** `GET /devicegroups/{id}/devices/count` (learn.microsoft.com/rest/api/azure-sphere/devices/count-in-group). */
  private countInGroup(tenantId: string, rawGroupId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'count devices');
    return jsonResponse(200, this.state.fleet.deviceCount(this.look.groupIn(tenant, rawGroupId).id));
  }

  /** `GET /products/{id}/devices/count` (learn.microsoft.com/rest/api/azure-sphere/devices/count-in-product). */
  private countInProduct(tenantId: string, rawProductId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'count devices');
    const fleet = this.state.fleet;
    const product = this.look.productIn(tenant, rawProductId);
    return jsonResponse(200, [...fleet.deviceCounts(fleet.groupsOf(product.id).map((g) => g.id)).values()].reduce((a, b) => a + b, 0));
  }

  /** `PUT /devices/{id}/devicegroup`, body the group ID as a JSON string → 202 Operation (type 2), done at once. */
  private async moveDevice(req: EmuRequest, tenantId: string, rawDeviceId: string, user: User): Promise<EmuResponse> {
    const tenant = this.look.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'move devices between device groups');
    const deviceId = this.look.guard.claimedDevice(tenant, rawDeviceId);
    const group = this.look.groupIn(tenant, this.groupIdFromBody(req));
    const operation = completedOperation(OperationType.DeviceUpdateDeviceGroup, tenant.id, `/v2/tenants/${tenant.id}/devices/${deviceId}`);
    await this.ctx.store.commit({ t: 'deviceMove', tenantId: tenant.id, deviceId, groupId: group.id, operation });
    return operationResponse(operation);
  }

  /** The move's body is a bare JSON string, the group's ID (learn.microsoft.com/rest/api/azure-sphere/devices/move). */
  private groupIdFromBody(req: EmuRequest): string {
    const text = req.body.toString('utf8').trim();
    let value: unknown;
    try {
      value = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      this.look.badRequest('the request body is not valid JSON');
    }
    if (typeof value !== 'string') {
      this.look.badRequest('The request body must be the device group ID as a JSON string, e.g. "6f52bead-700d-4289-bdc2-2f11f774270e".');
    }
    return value;
  }

  /** `GET /devices/{id}/images` → `{Items: [ImageMetadata]}` (learn.microsoft.com/rest/api/azure-sphere/deployments/get-by-device). */
  private targeted(tenantId: string, rawDeviceId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'read devices');
    const deviceId = this.look.guard.claimedDevice(tenant, rawDeviceId);
    return jsonResponse(200, { Items: targetedImages(this.ctx, tenant.id, deviceId).images.map(imageMetadataV2), ContinuationToken: null });
  }
}
