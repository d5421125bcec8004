// A catalog's images (Microsoft.AzureSphere/catalogs/images): list and get; PUT `images/{imageId}` with
// `{"properties":{"image":"<base64 image package>"}}` (the image ID is known: an LRO via azure-async-operation, 201)
// and POST `uploadImage` with the same body (the ID is read from the package: 202, an LRO via location whose result
// is the image); DELETE (via location). Uploads are the legacy fleet's ImageUpload Operation, so both APIs see the
// image once its upload completes; the package is read by the project's own reader, as the legacy upload does.
import { createHash, randomUUID } from 'node:crypto';
import { isImagePackageError } from '../../../src/device/image-package/image-package-error';
import { readImagePackage } from '../../../src/device/image-package/read-image-package';
import type { FleetImage } from '../fleet-model';
import { jsonResponse, type EmuResponse } from '../http';
import { OperationType } from '../model';
import { badRequest, conflict } from './arm-errors';
import { armPage } from './arm-paging';
import { imageResource, imageResourceId, REGIONAL_DATA_BOUNDARIES, systemDataNow, TYPES } from './arm-resources';
import { authorize, enumValue, fleetOf, imageNamed, objectBody, operationName, propertiesOf, type SphereCall, type SphereDeps } from './sphere-call';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The package in the body, read and checked; `pathName` is the image name of a PUT (it must be the package's image ID). */
function packageFrom(deps: SphereDeps, call: SphereCall, pathName: string | undefined): { image: FleetImage; bytes: Buffer } {
  const props = propertiesOf(objectBody(call.req));
  const b64 = props.image;
  if (typeof b64 !== 'string' || b64.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw badRequest("The body must be {\"properties\":{\"image\":\"<the image package, base64>\"}}.", 'properties.image', 'InvalidRequestContent');
  }
  const boundary = enumValue(props.regionalDataBoundary, REGIONAL_DATA_BOUNDARIES, 'regionalDataBoundary', 'None');
  if (boundary !== 'None') throw badRequest("The emulator keeps images without a regional data boundary; send 'None' or leave it out.", 'properties.regionalDataBoundary', 'InvalidRequestContent');
  const bytes = Buffer.from(b64, 'base64');
  let info;
  try {
    info = readImagePackage(bytes, 'The uploaded image');
  } catch (err) {
    if (isImagePackageError(err)) throw badRequest(err.message, 'properties.image', 'InvalidImagePackage');
    throw err;
  }
  const imageId = info.imageId.toLowerCase();
  if (typeof props.imageId === 'string' && props.imageId.toLowerCase() !== imageId) {
    throw badRequest(`'properties.imageId' is '${props.imageId}' but the package's image ID is '${imageId}'.`, 'properties.imageId', 'InvalidRequestContent');
  }
  if (pathName !== undefined && pathName.toLowerCase() !== imageId) {
    throw badRequest(`The image name in the path ('${pathName}') must be the package's image ID, '${imageId}'.`, 'imageName', 'InvalidResourceName');
  }
  const image: FleetImage = {
    id: imageId,
    tenantId: call.scope.tenant.id,
    componentId: info.componentId,
    name: info.name || info.manifest?.Name || '',
    imageType: info.imageType,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    uploadedUtc: new Date(deps.ctx.clock.now()).toISOString(),
    operationId: randomUUID(),
  };
  return { image, bytes };
}

async function upload(deps: SphereDeps, call: SphereCall, pathName: string | undefined): Promise<EmuResponse> {
  const { scope } = call;
  authorize(deps.ctx, call.user, `${scope.id}/images`, 'write', operationName(TYPES.image, 'write'));
  const { image, bytes } = packageFrom(deps, call, pathName);
  const fleet = fleetOf(deps);
  const state = deps.ctx.store.state;
  const id = imageResourceId(scope, image.id);
  const existing = fleet.image(scope.tenant.id, image.id);
  if (fleet.pendingWhere((w) => w.kind === 'imageUpload' && w.image.tenantId === scope.tenant.id && w.image.id === image.id)) {
    throw conflict(`Image '${image.id}' is still being uploaded; wait for that upload's operation to finish.`, 'ImageUploadInProgress');
  }
  if (existing) {
    // The same image again: nothing to do, the operation is over at once.
    const op = await deps.ops.finished(scope.catalog.subscriptionId, id);
    const resource = imageResource(state, scope, deps.ctx.baseUrl, existing);
    return pathName === undefined ? { status: 202, headers: deps.ops.headers(op, 'location') } : jsonResponse(200, resource, deps.ops.headers(op, 'azure-async-operation'));
  }
  deps.imageStore.save(scope.tenant.id, image.id, bytes);
  await deps.ctx.store.commit({ t: 'sphereTouched', resourceId: id, systemData: systemDataNow(call.user.email, image.uploadedUtc) });
  const op = await deps.ops.startFleet(scope.catalog.subscriptionId, OperationType.ImageUpload, scope.tenant.id, { kind: 'imageUpload', image }, id, `/v2/tenants/${scope.tenant.id}/images/${image.id}/metadata`);
  if (pathName === undefined) return { status: 202, headers: deps.ops.headers(op, 'location') };
  const done = fleet.image(scope.tenant.id, image.id);
  const resource = imageResource(state, scope, deps.ctx.baseUrl, done ?? image);
  if (!done) (resource.properties as Record<string, unknown>).provisioningState = 'Provisioning';
  return jsonResponse(201, resource, deps.ops.headers(op, 'azure-async-operation'));
}

async function remove(deps: SphereDeps, call: SphereCall, name: string): Promise<EmuResponse> {
  const { scope } = call;
  authorize(deps.ctx, call.user, imageResourceId(scope, name), 'delete', operationName(TYPES.image, 'delete'));
  const fleet = fleetOf(deps);
  const image = fleet.image(scope.tenant.id, name.toLowerCase());
  if (!image) return { status: 204 };
  const usedBy = fleet.groupsOfTenant(scope.tenant.id).find((g) => fleet.currentDeployment(g.id)?.imageIds.includes(image.id));
  const sub = scope.catalog.subscriptionId;
  if (usedBy) {
    const op = await deps.ops.failed(sub, 'Conflict', `Image '${image.id}' is in the current deployment of device group '${usedBy.name}'; deploy other images to that group before deleting it.`);
    return { status: 202, headers: deps.ops.headers(op, 'location') };
  }
  await deps.ctx.store.commit({ t: 'sphereImageDelete', tenantId: scope.tenant.id, imageId: image.id });
  const op = await deps.ops.finished(sub, null);
  return { status: 202, headers: deps.ops.headers(op, 'location') };
}

/** `images[/{name}]` and the catalog's `uploadImage`. */
export function routeImages(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> | EmuResponse | undefined {
  const { req, rest, low, scope } = call;
  const m = req.method;
  if (low[0] === 'uploadimage' && low.length === 1 && m === 'POST') return upload(deps, call, undefined);
  if (low[0] !== 'images') return undefined;
  if (low.length === 1 && m === 'GET') {
    authorize(deps.ctx, call.user, scope.id, 'read', operationName(TYPES.image, 'read'));
    const items = fleetOf(deps).imagesOf(scope.tenant.id).map((i) => imageResource(deps.ctx.store.state, scope, deps.ctx.baseUrl, i));
    return jsonResponse(200, armPage(req, deps.ctx.baseUrl, items, `images:${scope.tenant.id}`, true));
  }
  if (low.length !== 2) return undefined;
  const name = rest[1]!;
  if (m === 'PUT') {
    if (!GUID.test(name)) throw badRequest(`The image name '${name.slice(0, 80)}' must be the image's GUID (its image ID).`, 'imageName', 'InvalidResourceName');
    return upload(deps, call, name);
  }
  if (m === 'DELETE') return remove(deps, call, name);
  if (m === 'GET') {
    authorize(deps.ctx, call.user, scope.id, 'read', operationName(TYPES.image, 'read'));
    return jsonResponse(200, imageResource(deps.ctx.store.state, scope, deps.ctx.baseUrl, imageNamed(deps, scope, name)));
  }
  return undefined;
}
