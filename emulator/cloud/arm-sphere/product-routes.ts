// Products and device groups of a catalog (Microsoft.AzureSphere/catalogs/products[/deviceGroups]), addressed by name:
// CRUD, countDevices, generateDefaultDeviceGroups (the five groups `azsphere product create` makes). A product's
// create and delete and a group's delete are the legacy fleet's Operations (fleet-operations.ts), so a device group
// that still holds devices fails to delete with the service's reason; a group's create and every update are done
// within the request (their LRO is over at the first poll).
import { randomUUID } from 'node:crypto';
import { DEFAULT_DEVICE_GROUPS, type DeviceGroup, type Product } from '../fleet-model';
import { descriptionProblem } from '../fleet-names';
import { jsonResponse, type EmuResponse } from '../http';
import { OperationType } from '../model';
import { badRequest } from './arm-errors';
import { checkCreatableName } from './arm-names';
import { armPage } from './arm-paging';
import { CRASH_DUMP_SETTINGS, groupResource, groupResourceId, OS_FEED_TYPES, productResource, productResourceId, REGIONAL_DATA_BOUNDARIES, systemDataNow, TYPES, UPDATE_POLICIES } from './arm-resources';
import { authorize, enumValue, fleetOf, groupNamed, objectBody, operationName, productNamed, propertiesOf, type SphereCall, type SphereDeps } from './sphere-call';

function description(kind: 'Product' | 'Device group', raw: unknown, fallback: string): string {
  const problem = descriptionProblem(kind, raw);
  if (problem) throw badRequest(problem, 'properties.description', 'InvalidRequestContent');
  return typeof raw === 'string' ? raw : fallback;
}

async function touch(deps: SphereDeps, call: SphereCall, resourceId: string): Promise<void> {
  const at = new Date(deps.ctx.clock.now()).toISOString();
  const before = deps.ctx.store.state.sphere.touched.get(resourceId.toLowerCase());
  await deps.ctx.store.commit({ t: 'sphereTouched', resourceId, systemData: systemDataNow(call.user.email, at, before) });
}

async function putProduct(deps: SphereDeps, call: SphereCall, name: string): Promise<EmuResponse> {
  const { scope } = call;
  const id = productResourceId(scope, name);
  authorize(deps.ctx, call.user, id, 'write', operationName(TYPES.product, 'write'));
  checkCreatableName('productName', name);
  const props = propertiesOf(objectBody(call.req));
  const fleet = fleetOf(deps);
  const existing = fleet.productByName(scope.tenant.id, name);
  const desc = description('Product', props.description, existing?.description ?? '');
  if (existing) {
    await deps.ctx.store.commit({ t: 'product', product: { ...existing, description: desc } });
    await touch(deps, call, productResourceId(scope, existing.name));
    const op = await deps.ops.finished(scope.catalog.subscriptionId, productResourceId(scope, existing.name));
    return jsonResponse(200, productResource(deps.ctx.store.state, scope, fleet.products.get(existing.id)!), deps.ops.headers(op, 'azure-async-operation'));
  }
  const product: Product = { id: randomUUID(), tenantId: scope.tenant.id, name, description: desc };
  await touch(deps, call, id);
  const op = await deps.ops.startFleet(scope.catalog.subscriptionId, OperationType.CreateProduct, scope.tenant.id, { kind: 'createProduct', product, defaultGroupIds: null }, id, `/v2/tenants/${scope.tenant.id}/products/${product.id}`);
  return jsonResponse(201, productResource(deps.ctx.store.state, scope, fleet.products.get(product.id) ?? product), deps.ops.headers(op, 'azure-async-operation'));
}

async function patchProduct(deps: SphereDeps, call: SphereCall, product: Product): Promise<EmuResponse> {
  const { scope } = call;
  authorize(deps.ctx, call.user, productResourceId(scope, product.name), 'write', operationName(TYPES.product, 'write'));
  const props = propertiesOf(objectBody(call.req));
  await deps.ctx.store.commit({ t: 'product', product: { ...product, description: description('Product', props.description, product.description) } });
  await touch(deps, call, productResourceId(scope, product.name));
  return jsonResponse(200, productResource(deps.ctx.store.state, scope, fleetOf(deps).products.get(product.id)!));
}

async function deleteProduct(deps: SphereDeps, call: SphereCall, name: string): Promise<EmuResponse> {
  const { scope } = call;
  authorize(deps.ctx, call.user, productResourceId(scope, name), 'delete', operationName(TYPES.product, 'delete'));
  const product = fleetOf(deps).productByName(scope.tenant.id, name);
  if (!product) return { status: 204 };
  const op = await deps.ops.startFleet(scope.catalog.subscriptionId, OperationType.DeleteProduct, scope.tenant.id, { kind: 'deleteProduct', tenantId: scope.tenant.id, productId: product.id }, null);
  return { status: 202, headers: deps.ops.headers(op, 'location') };
}

/** A device group's writable properties from `props`, over `base`. */
function groupFrom(props: Record<string, unknown>, base: DeviceGroup): { group: DeviceGroup; boundary: string | undefined } {
  const group: DeviceGroup = {
    ...base,
    description: description('Device group', props.description, base.description),
    osFeedType: OS_FEED_TYPES.indexOf(enumValue(props.osFeedType, OS_FEED_TYPES, 'osFeedType', OS_FEED_TYPES[base.osFeedType] ?? 'Retail')),
    updatePolicy: UPDATE_POLICIES.indexOf(enumValue(props.updatePolicy, UPDATE_POLICIES, 'updatePolicy', UPDATE_POLICIES[base.updatePolicy] ?? 'UpdateAll')),
    allowCrashDumpsCollection: enumValue(props.allowCrashDumpsCollection, CRASH_DUMP_SETTINGS, 'allowCrashDumpsCollection', base.allowCrashDumpsCollection ? 'Enabled' : 'Disabled') === 'Enabled',
  };
  const boundary = props.regionalDataBoundary === undefined ? undefined : enumValue(props.regionalDataBoundary, REGIONAL_DATA_BOUNDARIES, 'regionalDataBoundary', 'None');
  return { group, boundary };
}

async function writeGroup(deps: SphereDeps, call: SphereCall, group: DeviceGroup, boundary: string | undefined, id: string): Promise<void> {
  await deps.ctx.store.commit({ t: 'deviceGroup', group });
  if (boundary !== undefined) await deps.ctx.store.commit({ t: 'sphereGroupBoundary', groupId: group.id, regionalDataBoundary: boundary });
  await touch(deps, call, id);
}

async function putGroup(deps: SphereDeps, call: SphereCall, product: Product, name: string): Promise<EmuResponse> {
  const { scope } = call;
  const id = groupResourceId(scope, product.name, name);
  authorize(deps.ctx, call.user, id, 'write', operationName(TYPES.deviceGroup, 'write'));
  checkCreatableName('deviceGroupName', name);
  const props = propertiesOf(objectBody(call.req));
  const existing = fleetOf(deps).groupByName(product.id, name);
  const base: DeviceGroup = existing ?? { id: randomUUID(), tenantId: scope.tenant.id, productId: product.id, name, description: '', osFeedType: 0, updatePolicy: 0, allowCrashDumpsCollection: false };
  const { group, boundary } = groupFrom(props, base);
  const finalId = groupResourceId(scope, product.name, group.name);
  await writeGroup(deps, call, group, boundary, finalId);
  const op = await deps.ops.finished(scope.catalog.subscriptionId, finalId);
  return jsonResponse(existing ? 200 : 201, groupResource(deps.ctx.store.state, scope, group), deps.ops.headers(op, 'azure-async-operation'));
}

async function patchGroup(deps: SphereDeps, call: SphereCall, product: Product, existing: DeviceGroup): Promise<EmuResponse> {
  const { scope } = call;
  const id = groupResourceId(scope, product.name, existing.name);
  authorize(deps.ctx, call.user, id, 'write', operationName(TYPES.deviceGroup, 'write'));
  const { group, boundary } = groupFrom(propertiesOf(objectBody(call.req)), existing);
  await writeGroup(deps, call, group, boundary, id);
  return jsonResponse(200, groupResource(deps.ctx.store.state, scope, group));
}

async function deleteGroup(deps: SphereDeps, call: SphereCall, product: Product, name: string): Promise<EmuResponse> {
  const { scope } = call;
  authorize(deps.ctx, call.user, groupResourceId(scope, product.name, name), 'delete', operationName(TYPES.deviceGroup, 'delete'));
  const group = fleetOf(deps).groupByName(product.id, name);
  if (!group) return { status: 204 };
  const op = await deps.ops.startFleet(scope.catalog.subscriptionId, OperationType.DeleteDeviceGroup, scope.tenant.id, { kind: 'deleteDeviceGroup', tenantId: scope.tenant.id, groupId: group.id }, null);
  return { status: 202, headers: deps.ops.headers(op, 'location') };
}

/** `products/{p}/generateDefaultDeviceGroups`: the default groups the product lacks are made; the answer lists all five. */
async function generateDefaults(deps: SphereDeps, call: SphereCall, product: Product): Promise<EmuResponse> {
  const { scope } = call;
  authorize(deps.ctx, call.user, productResourceId(scope, product.name), 'action', operationName(TYPES.product, 'generateDefaultDeviceGroups'));
  const fleet = fleetOf(deps);
  const toAdd = fleet.defaultGroupsToAdd(product, DEFAULT_DEVICE_GROUPS.map(() => randomUUID()));
  for (const group of toAdd) await writeGroup(deps, call, group, undefined, groupResourceId(scope, product.name, group.name));
  const groups = DEFAULT_DEVICE_GROUPS.map((t) => fleet.groupByName(product.id, t.name)).filter((g): g is DeviceGroup => g !== undefined);
  const items = groups.map((g) => groupResource(deps.ctx.store.state, scope, g));
  return jsonResponse(200, armPage(call.req, deps.ctx.baseUrl, items, `defaultGroups:${product.id}`, false));
}

/** `products…` up to a device group and its countDevices; claimDevices, devices and deployments go elsewhere. */
export function routeProducts(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> | EmuResponse | undefined {
  const { req, rest, low, scope } = call;
  const m = req.method;
  const state = deps.ctx.store.state;
  const fleet = fleetOf(deps);
  if (low[0] !== 'products') return undefined;
  const read = (type: string, id: string) => authorize(deps.ctx, call.user, id, 'read', operationName(type, 'read'));
  if (low.length === 1 && m === 'GET') {
    read(TYPES.product, scope.id);
    const items = fleet.productsOf(scope.tenant.id).map((p) => productResource(state, scope, p));
    return jsonResponse(200, armPage(req, deps.ctx.baseUrl, items, `products:${scope.tenant.id}`, false));
  }
  const productName = rest[1]!;
  if (low.length === 2) {
    if (m === 'PUT') return putProduct(deps, call, productName);
    if (m === 'DELETE') return deleteProduct(deps, call, productName);
    if (m === 'GET') {
      read(TYPES.product, productResourceId(scope, productName));
      return jsonResponse(200, productResource(state, scope, productNamed(deps, scope, productName)));
    }
    if (m === 'PATCH') return patchProduct(deps, call, productNamed(deps, scope, productName));
    return undefined;
  }
  if (low.length === 3 && m === 'POST' && low[2] === 'countdevices') {
    authorize(deps.ctx, call.user, productResourceId(scope, productName), 'read', operationName(TYPES.product, 'countDevices'));
    const product = productNamed(deps, scope, productName);
    const counts = fleet.deviceCounts(fleet.groupsOf(product.id).map((g) => g.id));
    return jsonResponse(200, { value: [...counts.values()].reduce((a, b) => a + b, 0) });
  }
  if (low.length === 3 && m === 'POST' && low[2] === 'generatedefaultdevicegroups') return generateDefaults(deps, call, productNamed(deps, scope, productName));
  if (low[2] !== 'devicegroups') return undefined;
  if (low.length === 3 && m === 'GET') {
    read(TYPES.deviceGroup, productResourceId(scope, productName));
    const product = productNamed(deps, scope, productName);
    const items = fleet.groupsOf(product.id).map((g) => groupResource(state, scope, g));
    return jsonResponse(200, armPage(req, deps.ctx.baseUrl, items, `groups:${product.id}`, true));
  }
  const groupName = rest[3]!;
  if (low.length === 4) {
    if (m === 'GET') {
      read(TYPES.deviceGroup, groupResourceId(scope, productName, groupName));
      const product = productNamed(deps, scope, productName);
      return jsonResponse(200, groupResource(state, scope, groupNamed(deps, scope, product, groupName)));
    }
    const product = productNamed(deps, scope, productName);
    if (m === 'PUT') return putGroup(deps, call, product, groupName);
    if (m === 'DELETE') return deleteGroup(deps, call, product, groupName);
    if (m === 'PATCH') return patchGroup(deps, call, product, groupNamed(deps, scope, product, groupName));
    return undefined;
  }
  if (low.length === 5 && m === 'POST' && low[4] === 'countdevices') {
    authorize(deps.ctx, call.user, groupResourceId(scope, productName, groupName), 'read', operationName(TYPES.deviceGroup, 'countDevices'));
    const group = groupNamed(deps, scope, productNamed(deps, scope, productName), groupName);
    return jsonResponse(200, { value: fleet.deviceCount(group.id) });
  }
  return undefined;
}
