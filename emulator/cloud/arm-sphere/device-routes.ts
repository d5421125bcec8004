// Devices of a catalog (Microsoft.AzureSphere/catalogs/products/deviceGroups/devices), named by their 128-hex device ID:
// list by group, get, PUT (claim into the catalog and the group; `.unassigned` or `.default` for both product and group
// = the catalog only), PATCH `{properties:{deviceGroupId}}` (move to the group with that resource ID), DELETE, POST
// claimDevices `{deviceIdentifiers}` (bulk claim, 202 + LRO via location) and generateCapabilityImage (a signed
// capability file). Claims and moves are the legacy fleet's records, so the legacy API sees them at once. Claiming
// is one-way: a DELETE's operation fails with that reason, and a device claimed into another catalog or tenant is
// refused.
import { writeCapabilityImage } from '../../common/image-package-writer';
import { DeviceCapability } from '../../../src/device/image-package/types';
import type { DeviceGroup } from '../fleet-model';
import { jsonResponse, type EmuResponse } from '../http';
import { completedOperation, OperationType } from '../model';
import { badRequest, conflict, resourceNotFound } from './arm-errors';
import { NAME_PATTERNS } from './arm-names';
import { armPage } from './arm-paging';
import { CAPABILITY_TYPES, deviceResource, deviceResourceId, TYPES, type CatalogScope } from './arm-resources';
import { authorize, fleetOf, groupOfPath, objectBody, operationName, propertiesOf, type SphereCall, type SphereDeps } from './sphere-call';

const CAPABILITY_BYTES: Record<(typeof CAPABILITY_TYPES)[number], number> = {
  ApplicationDevelopment: DeviceCapability.enableAppDevelopment,
  FieldServicing: DeviceCapability.enableFieldServicing,
};

/** The path's device group (undefined = catalog level) and the resource ID prefix it reads as. */
function pathGroup(deps: SphereDeps, call: SphereCall): { group: DeviceGroup | undefined; id: string } {
  const { rest, scope } = call;
  const group = groupOfPath(deps, scope, rest[1]!, rest[3]!);
  return { group, id: `${scope.id}/products/${rest[1]}/deviceGroups/${rest[3]}` };
}

function inCatalog(deps: SphereDeps, scope: CatalogScope, deviceId: string): boolean {
  return deps.ctx.store.state.claims.get(deviceId) === scope.tenant.id;
}

/** The device of the path, claimed into the catalog and in the path's group; ResourceNotFound otherwise. */
function deviceAt(deps: SphereDeps, call: SphereCall, group: DeviceGroup | undefined, raw: string): string {
  const deviceId = raw.toUpperCase();
  const fleet = fleetOf(deps);
  if (!inCatalog(deps, call.scope, deviceId) || fleet.groupOf(deviceId)?.id !== group?.id) {
    throw resourceNotFound(TYPES.device, `${call.scope.catalog.name}/${call.rest[1]}/${call.rest[3]}/${raw}`, call.scope.catalog.resourceGroup);
  }
  return deviceId;
}

/** Claims `deviceId` into the catalog (when it is not yet) and puts it in `group` (when given). */
async function claimAndPlace(deps: SphereDeps, scope: CatalogScope, deviceId: string, group: DeviceGroup | undefined): Promise<void> {
  const store = deps.ctx.store;
  if (!inCatalog(deps, scope, deviceId)) {
    await store.commit({ t: 'claim', tenantId: scope.tenant.id, deviceId, operation: completedOperation(OperationType.DeviceClaim, scope.tenant.id, `/v2/tenants/${scope.tenant.id}/devices/${deviceId}`) });
  }
  if (group && fleetOf(deps).groupOf(deviceId)?.id !== group.id) {
    const operation = completedOperation(OperationType.DeviceUpdateDeviceGroup, scope.tenant.id, `/v2/tenants/${scope.tenant.id}/devices/${deviceId}`);
    await store.commit({ t: 'deviceMove', tenantId: scope.tenant.id, deviceId, groupId: group.id, operation });
  }
}

function claimedElsewhere(deps: SphereDeps, scope: CatalogScope, deviceId: string): boolean {
  const owner = deps.ctx.store.state.claims.get(deviceId);
  return owner !== undefined && owner !== scope.tenant.id;
}

const elsewhereMessage = (deviceId: string) => `Device '${deviceId}' is already claimed into another catalog or tenant; claiming is one-way, so it cannot be claimed here.`;

async function putDevice(deps: SphereDeps, call: SphereCall, raw: string): Promise<EmuResponse> {
  const { scope } = call;
  const { group, id } = pathGroup(deps, call);
  authorize(deps.ctx, call.user, `${id}/devices/${raw}`, 'write', operationName(TYPES.device, 'write'));
  objectBody(call.req, true);
  const deviceId = raw.toUpperCase();
  if (claimedElsewhere(deps, scope, deviceId)) throw conflict(elsewhereMessage(deviceId), 'DeviceAlreadyClaimed');
  const existed = inCatalog(deps, scope, deviceId);
  if (existed && !group && fleetOf(deps).groupOf(deviceId)) {
    throw badRequest(`Device '${deviceId}' is in a device group; the emulator cannot move a device back to the catalog level. Move it to another group instead.`, 'deviceGroupName');
  }
  await claimAndPlace(deps, scope, deviceId, group);
  const resourceId = deviceResourceId(deps.ctx.store.state, scope, deviceId);
  const op = await deps.ops.finished(scope.catalog.subscriptionId, resourceId);
  return jsonResponse(existed ? 200 : 201, deviceResource(deps.ctx.store.state, scope, deviceId), deps.ops.headers(op, 'azure-async-operation'));
}

/** The device group a `deviceGroupId` names: its resource ID in this catalog (or, as the legacy API names it, its GUID). */
function groupById(deps: SphereDeps, scope: CatalogScope, raw: unknown): DeviceGroup {
  if (typeof raw !== 'string' || raw.length === 0) throw badRequest("The body must be {\"properties\":{\"deviceGroupId\":\"<the device group's resource ID>\"}}.", 'properties.deviceGroupId', 'InvalidRequestContent');
  const fleet = fleetOf(deps);
  const byGuid = fleet.groups.get(raw.toLowerCase());
  if (byGuid && byGuid.tenantId === scope.tenant.id) return byGuid;
  const match = /\/products\/([^/]+)\/deviceGroups\/([^/]+)$/i.exec(raw);
  const prefix = `${scope.id}/products/`.toLowerCase();
  if (match && raw.toLowerCase().startsWith(prefix)) {
    const product = fleet.productByName(scope.tenant.id, decodeURIComponent(match[1]!));
    const group = product && fleet.groupByName(product.id, decodeURIComponent(match[2]!));
    if (group) return group;
  }
  throw badRequest(`'${raw.slice(0, 300)}' is not a device group of catalog '${scope.catalog.name}'.`, 'properties.deviceGroupId', 'InvalidDeviceGroupId');
}

async function patchDevice(deps: SphereDeps, call: SphereCall, raw: string): Promise<EmuResponse> {
  const { scope } = call;
  const { group, id } = pathGroup(deps, call);
  authorize(deps.ctx, call.user, `${id}/devices/${raw}`, 'write', operationName(TYPES.device, 'write'));
  const deviceId = deviceAt(deps, call, group, raw);
  const target = groupById(deps, scope, propertiesOf(objectBody(call.req)).deviceGroupId);
  await claimAndPlace(deps, scope, deviceId, target);
  return jsonResponse(200, deviceResource(deps.ctx.store.state, scope, deviceId));
}

async function deleteDevice(deps: SphereDeps, call: SphereCall, raw: string): Promise<EmuResponse> {
  const { scope } = call;
  const { group, id } = pathGroup(deps, call);
  authorize(deps.ctx, call.user, `${id}/devices/${raw}`, 'delete', operationName(TYPES.device, 'delete'));
  const deviceId = raw.toUpperCase();
  if (!inCatalog(deps, scope, deviceId) || fleetOf(deps).groupOf(deviceId)?.id !== group?.id) return { status: 204 };
  const op = await deps.ops.failed(scope.catalog.subscriptionId, 'Conflict', `Device '${deviceId}' cannot be removed from catalog '${scope.catalog.name}': claiming a device is one-way. Move it to another device group instead.`);
  return { status: 202, headers: deps.ops.headers(op, 'location') };
}

async function claimDevices(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> {
  const { scope } = call;
  const { group, id } = pathGroup(deps, call);
  authorize(deps.ctx, call.user, id, 'action', operationName(TYPES.deviceGroup, 'claimDevices'));
  const raw = objectBody(call.req).deviceIdentifiers;
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest("The body must be {\"deviceIdentifiers\": [\"<128-hex device ID>\", …]} with at least one ID.", 'deviceIdentifiers', 'InvalidRequestContent');
  const ids: string[] = [];
  for (const r of raw) {
    if (typeof r !== 'string' || !NAME_PATTERNS.deviceName.test(r) || !/^[0-9a-f]{128}$/i.test(r)) throw badRequest(`'${String(r).slice(0, 140)}' is not a device ID: a device ID is 128 hexadecimal characters.`, 'deviceIdentifiers', 'InvalidDeviceId');
    const deviceId = r.toUpperCase();
    if (!ids.includes(deviceId)) ids.push(deviceId);
  }
  const sub = scope.catalog.subscriptionId;
  const elsewhere = ids.filter((d) => claimedElsewhere(deps, scope, d));
  if (elsewhere.length > 0) {
    const op = await deps.ops.failed(sub, 'Conflict', `${elsewhere.length === 1 ? elsewhereMessage(elsewhere[0]!) : `${elsewhere.length} devices are already claimed into another catalog or tenant (first: '${elsewhere[0]}'); claiming is one-way.`} No device was claimed.`);
    return { status: 202, headers: deps.ops.headers(op, 'location') };
  }
  for (const deviceId of ids) await claimAndPlace(deps, scope, deviceId, group);
  const op = await deps.ops.finished(sub, null);
  return { status: 202, headers: deps.ops.headers(op, 'location') };
}

async function capabilityImage(deps: SphereDeps, call: SphereCall, raw: string): Promise<EmuResponse> {
  const { group, id } = pathGroup(deps, call);
  authorize(deps.ctx, call.user, `${id}/devices/${raw}`, 'action', operationName(TYPES.device, 'generateCapabilityImage'));
  const deviceId = deviceAt(deps, call, group, raw);
  const list = objectBody(call.req).capabilities;
  if (!Array.isArray(list)) throw badRequest(`The body must be {"capabilities": [${CAPABILITY_TYPES.map((c) => `"${c}"`).join(' | ')}]}.`, 'capabilities', 'InvalidRequestContent');
  const bytes: number[] = [];
  for (const c of list) {
    const name = CAPABILITY_TYPES.find((t) => typeof c === 'string' && t.toLowerCase() === c.toLowerCase());
    if (!name) throw badRequest(`Capability ${JSON.stringify(c)?.slice(0, 40)} is not one of ${CAPABILITY_TYPES.join(', ')}.`, 'capabilities', 'InvalidCapability');
    if (bytes.includes(CAPABILITY_BYTES[name])) throw badRequest(`Capability '${name}' is listed twice.`, 'capabilities', 'InvalidCapability');
    bytes.push(CAPABILITY_BYTES[name]);
  }
  return jsonResponse(200, { image: writeCapabilityImage({ deviceId, capabilities: bytes }).toString('base64') });
}

/** `products/{p}/deviceGroups/{g}/(devices[/{id}[/generateCapabilityImage]] | claimDevices)`. */
export function routeDevices(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> | EmuResponse | undefined {
  const { req, rest, low, scope } = call;
  const m = req.method;
  if (low[0] !== 'products' || low[2] !== 'devicegroups' || low.length < 5) return undefined;
  if (low.length === 5 && low[4] === 'claimdevices' && m === 'POST') return claimDevices(deps, call);
  if (low[4] !== 'devices') return undefined;
  if (low.length === 5 && m === 'GET') {
    const { group, id } = pathGroup(deps, call);
    authorize(deps.ctx, call.user, id, 'read', operationName(TYPES.device, 'read'));
    const fleet = fleetOf(deps);
    const ids = scope.tenant.deviceOrder.filter((d) => fleet.groupOf(d)?.id === group?.id);
    const items = ids.map((d) => deviceResource(deps.ctx.store.state, scope, d));
    return jsonResponse(200, armPage(req, deps.ctx.baseUrl, items, `devices:${group?.id ?? scope.tenant.id}`, false));
  }
  const raw = rest[5]!;
  if (low.length === 6) {
    if (m === 'GET') {
      const { group, id } = pathGroup(deps, call);
      authorize(deps.ctx, call.user, `${id}/devices/${raw}`, 'read', operationName(TYPES.device, 'read'));
      return jsonResponse(200, deviceResource(deps.ctx.store.state, scope, deviceAt(deps, call, group, raw)));
    }
    if (m === 'PUT') return putDevice(deps, call, raw);
    if (m === 'PATCH') return patchDevice(deps, call, raw);
    if (m === 'DELETE') return deleteDevice(deps, call, raw);
    return undefined;
  }
  if (low.length === 7 && low[6] === 'generatecapabilityimage' && m === 'POST') return capabilityImage(deps, call, raw);
  return undefined;
}
