// Deployments of a device group (Microsoft.AzureSphere/catalogs/products/deviceGroups/deployments): list (newest first),
// get (`.default` = the group's current deployment), PUT (deploy the images of `properties.deployedImages`, by each
// image's `properties.imageId` or resource ID; an LRO via azure-async-operation run as the legacy fleet's
// DeployToDeviceGroup Operation) and DELETE (the deployment leaves the group's history).
import { randomUUID } from 'node:crypto';
import { DEPLOYABLE_IMAGE_TYPES } from '../fleet-image-routes';
import type { Deployment, DeviceGroup } from '../fleet-model';
import { jsonResponse, type EmuResponse } from '../http';
import { OperationType } from '../model';
import { badRequest, resourceNotFound } from './arm-errors';
import { armPage } from './arm-paging';
import { deploymentResource, groupResourceId, imageTypeName, systemDataNow, TYPES } from './arm-resources';
import { authorize, fleetOf, groupNamed, objectBody, operationName, productNamed, propertiesOf, type SphereCall, type SphereDeps } from './sphere-call';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function deploymentNamed(deps: SphereDeps, group: DeviceGroup, name: string): Deployment | undefined {
  const fleet = fleetOf(deps);
  if (name.toLowerCase() === '.default') return fleet.currentDeployment(group.id);
  return (fleet.deployments.get(group.id) ?? []).find((d) => d.id === name.toLowerCase());
}

/** The image IDs of `deployedImages`, each a deployable image of the catalog, one per component. */
function imageIdsOf(deps: SphereDeps, call: SphereCall, raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest("A deployment needs 'properties.deployedImages': the images to deploy, each {\"properties\":{\"imageId\":\"<GUID>\"}} or {\"id\":\"<image resource ID>\"}.", 'properties.deployedImages', 'InvalidRequestContent');
  const fleet = fleetOf(deps);
  const ids: string[] = [];
  const components = new Map<string, string>();
  for (const entry of raw) {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as { id?: unknown; name?: unknown; properties?: { imageId?: unknown } };
    const candidate = [e.properties?.imageId, e.name, typeof e.id === 'string' ? e.id.split('/').pop() : undefined].find((v): v is string => typeof v === 'string' && GUID.test(v));
    if (!candidate) throw badRequest(`${JSON.stringify(entry)?.slice(0, 120)} names no image: give its 'properties.imageId' or its resource 'id'.`, 'properties.deployedImages', 'InvalidRequestContent');
    const id = candidate.toLowerCase();
    if (ids.includes(id)) throw badRequest(`Image '${id}' is listed twice.`, 'properties.deployedImages', 'InvalidRequestContent');
    const image = fleet.image(call.scope.tenant.id, id);
    if (!image) throw badRequest(`Image '${id}' is not in catalog '${call.scope.catalog.name}'; upload it first.`, 'properties.deployedImages', 'ImageNotFound');
    if (!DEPLOYABLE_IMAGE_TYPES.has(image.imageType)) throw badRequest(`Image '${id}' is of type ${imageTypeName(image.imageType)}, which cannot be deployed; a deployment holds Applications and CustomerBoardConfig images.`, 'properties.deployedImages', 'InvalidImageType');
    const same = components.get(image.componentId);
    if (same) throw badRequest(`Images '${same}' and '${id}' are both of component '${image.componentId}'; a deployment holds one image per component.`, 'properties.deployedImages', 'InvalidRequestContent');
    components.set(image.componentId, id);
    ids.push(id);
  }
  return ids;
}

async function putDeployment(deps: SphereDeps, call: SphereCall, group: DeviceGroup, name: string): Promise<EmuResponse> {
  const { scope } = call;
  const product = fleetOf(deps).products.get(group.productId)!;
  authorize(deps.ctx, call.user, `${groupResourceId(scope, product.name, group.name)}/deployments/${name}`, 'write', operationName(TYPES.deployment, 'write'));
  const props = propertiesOf(objectBody(call.req));
  const imageIds = imageIdsOf(deps, call, props.deployedImages);
  const wanted = [props.deploymentId, name].find((v): v is string => typeof v === 'string' && GUID.test(v));
  const id = wanted?.toLowerCase() ?? randomUUID();
  if ((fleetOf(deps).deployments.get(group.id) ?? []).some((d) => d.id === id)) throw badRequest(`Deployment '${id}' was made already; a deployment cannot be changed — make a new one.`, 'deploymentName', 'DeploymentExists');
  const at = new Date(deps.ctx.clock.now()).toISOString();
  const deployment: Deployment = { id, tenantId: scope.tenant.id, groupId: group.id, imageIds, deployedUtc: at };
  const resourceId = `${groupResourceId(scope, product.name, group.name)}/deployments/${id}`;
  await deps.ctx.store.commit({ t: 'sphereTouched', resourceId, systemData: systemDataNow(call.user.email, at) });
  const op = await deps.ops.startFleet(scope.catalog.subscriptionId, OperationType.DeployToDeviceGroup, scope.tenant.id, { kind: 'deploy', deployment }, resourceId, `/v2/tenants/${scope.tenant.id}/devicegroups/${group.id}`);
  const body = deploymentResource(deps.ctx.store.state, scope, deps.ctx.baseUrl, group, deployment);
  if (deps.ops.current(op).status === 'InProgress') (body.properties as Record<string, unknown>).provisioningState = 'Provisioning';
  return jsonResponse(201, body, deps.ops.headers(op, 'azure-async-operation'));
}

/** `products/{p}/deviceGroups/{g}/deployments[/{name}]`. */
export function routeDeployments(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> | EmuResponse | undefined {
  const { req, rest, low, scope } = call;
  const m = req.method;
  if (low[0] !== 'products' || low[2] !== 'devicegroups' || low[4] !== 'deployments') return undefined;
  const groupId = groupResourceId(scope, rest[1]!, rest[3]!);
  const state = deps.ctx.store.state;
  if (low.length === 5 && m === 'GET') {
    authorize(deps.ctx, call.user, groupId, 'read', operationName(TYPES.deployment, 'read'));
    const group = groupNamed(deps, scope, productNamed(deps, scope, rest[1]!), rest[3]!);
    const items = [...(fleetOf(deps).deployments.get(group.id) ?? [])].reverse().map((d) => deploymentResource(state, scope, deps.ctx.baseUrl, group, d));
    return jsonResponse(200, armPage(req, deps.ctx.baseUrl, items, `deployments:${group.id}`, true));
  }
  if (low.length !== 6) return undefined;
  const name = rest[5]!;
  if (m === 'GET') {
    authorize(deps.ctx, call.user, `${groupId}/deployments/${name}`, 'read', operationName(TYPES.deployment, 'read'));
    const group = groupNamed(deps, scope, productNamed(deps, scope, rest[1]!), rest[3]!);
    const d = deploymentNamed(deps, group, name);
    if (!d) throw resourceNotFound(TYPES.deployment, `${scope.catalog.name}/${rest[1]}/${rest[3]}/${name}`, scope.catalog.resourceGroup);
    return jsonResponse(200, deploymentResource(state, scope, deps.ctx.baseUrl, group, d));
  }
  if (m === 'PUT') return putDeployment(deps, call, groupNamed(deps, scope, productNamed(deps, scope, rest[1]!), rest[3]!), name);
  if (m === 'DELETE') {
    return (async () => {
      authorize(deps.ctx, call.user, `${groupId}/deployments/${name}`, 'delete', operationName(TYPES.deployment, 'delete'));
      const group = groupNamed(deps, scope, productNamed(deps, scope, rest[1]!), rest[3]!);
      const d = deploymentNamed(deps, group, name);
      if (!d) return { status: 204 };
      await deps.ctx.store.commit({ t: 'sphereDeploymentDelete', groupId: group.id, deploymentId: d.id });
      const op = await deps.ops.finished(scope.catalog.subscriptionId, null);
      return { status: 202, headers: deps.ops.headers(op, 'location') };
    })();
  }
  return undefined;
}
