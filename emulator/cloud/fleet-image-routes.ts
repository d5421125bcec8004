// Images and deployments (docs/cloud-api.md#images-and-deployments): uploading an image package (read with the
// project's own reader, the one sideloading uses), listing images and reading their metadata, deploying images to a
// device group and its deployment history. An upload and a deployment are Operations (ImageUpload 7,
// DeployToDeviceGroup 5); asked again while one runs — or, for an image, once it is there — the service answers with
// the same Operation instead of doing the work twice, so a client's retry after a lost answer is harmless.
import { createHash, randomUUID } from 'node:crypto';
import { imageTypeName } from '../../src/device/image-package/format';
import { isImagePackageError } from '../../src/device/image-package/image-package-error';
import { readImagePackage } from '../../src/device/image-package/read-image-package';
import { ImageType, type ImagePackageInfo } from '../../src/device/image-package/types';
import type { EmulatorContext } from './context';
import { GUID, MANAGE_ROLES, operationResponse, READ_ROLES, type FleetLookup } from './fleet-guard';
import type { FleetImageStore } from './fleet-image-store';
import { deploymentV2, imageMetadataV2, type Deployment, type FleetImage } from './fleet-model';
import type { FleetOperations } from './fleet-operations';
import { pageOfList } from './fleet-paging';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import { OperationType, type Tenant, type User } from './model';

/**
 * What a deployment can carry: "your high-level and real-time capable applications and board configuration images"
 * (learn.microsoft.com/azure-sphere/deployment/device-updates). A capability file (Firmware config, 13) is for one
 * device and goes on the board by other means.
 */
export const DEPLOYABLE_IMAGE_TYPES: ReadonlySet<number> = new Set([ImageType.applications, ImageType.customerBoardConfig]);

export class FleetImageRoutes {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly look: FleetLookup,
    private readonly operations: FleetOperations,
    private readonly store: FleetImageStore,
  ) {}

  private get fleet() {
    return this.ctx.store.state.fleet;
  }

  /** `rest` is the path after /v2/tenants/{t}/, `w` the same lower-cased (for the fixed words). */
  route(req: EmuRequest, tenantId: string, rest: string[], w: string[], user: User): Promise<EmuResponse> | EmuResponse | undefined {
    const m = req.method;
    const n = rest.length;
    if (w[0] === 'images') {
      if (n === 1 && m === 'POST') return this.upload(req, tenantId, user);
      if (n === 1 && m === 'GET') return this.list(req, tenantId, user);
      if (n === 3 && w[2] === 'metadata' && m === 'GET') return this.metadata(tenantId, rest[1]!, user);
    }
    if (w[0] === 'devicegroups' && n === 3 && w[2] === 'deployments') {
      if (m === 'POST') return this.deploy(req, tenantId, rest[1]!, user);
      if (m === 'GET') return this.history(req, tenantId, rest[1]!, user);
    }
    return undefined;
  }

  /**
   * `POST /images`, the package's bytes as `application/octet-stream` → 200 Operation (ImageUpload)
   * (learn.microsoft.com/rest/api/azure-sphere/image/upload). The same image ID again is answered with the Operation
   * that brought it, never a second image.
   */
  private async upload(req: EmuRequest, tenantId: string, user: User): Promise<EmuResponse> {
    const tenant = this.look.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'upload images');
    const info = this.readPackage(req.body);
    const existing = this.fleet.image(tenant.id, info.imageId);
    const earlier = existing ? this.ctx.store.state.operations.get(existing.operationId) : this.fleet.pendingWhere((wk) => wk.kind === 'imageUpload' && wk.image.tenantId === tenant.id && wk.image.id === info.imageId);
    if (earlier) return operationResponse(earlier, 200);
    const operationId = randomUUID();
    const image: FleetImage = {
      id: info.imageId,
      tenantId: tenant.id,
      componentId: info.componentId,
      // The Debug section's image name; a package without one is named by its manifest, as the CLI shows it.
      name: info.name || info.manifest?.Name || '',
      imageType: info.imageType,
      sizeBytes: req.body.length,
      sha256: createHash('sha256').update(req.body).digest('hex'),
      uploadedUtc: new Date(this.ctx.clock.now()).toISOString(),
      operationId,
    };
    this.store.save(tenant.id, image.id, req.body);
    const operation = await this.operations.start(OperationType.ImageUpload, tenant.id, `/v2/tenants/${tenant.id}/images/${image.id}/metadata`, { kind: 'imageUpload', image }, operationId);
    return operationResponse(operation, 200);
  }

  private readPackage(body: Buffer): ImagePackageInfo {
    if (body.length === 0) this.look.badRequest('The request body is empty; the image package is expected as application/octet-stream.');
    try {
      return readImagePackage(body, 'The uploaded file');
    } catch (err) {
      if (isImagePackageError(err)) this.look.badRequest(err.message);
      throw err;
    }
  }

  /** `GET /images` → `{Items: [ImageMetadata]}` in upload order (learn.microsoft.com/rest/api/azure-sphere/image/list-images-for-tenant). */
  private list(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'list images');
    const key = `images:${tenant.id}`;
    const page = pageOfList(this.fleet.imagesOf(tenant.id), key, this.look.page(req, key));
    return jsonResponse(200, { Items: page.items.map(imageMetadataV2), ContinuationToken: page.next });
  }

  /** `GET /images/{id}/metadata` (learn.microsoft.com/rest/api/azure-sphere/image/get-metadata). */
  private metadata(tenantId: string, rawId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'read images');
    return jsonResponse(200, imageMetadataV2(this.look.imageIn(tenant, rawId)));
  }

  /**
   * `POST /devicegroups/{id}/deployments`, body a JSON array of image IDs → 202 Operation (DeployToDeviceGroup)
   * (learn.microsoft.com/rest/api/azure-sphere/deployments/create); when it completes, the deployment is the group's
   * CurrentDeployment. The same images asked for the same group while that deployment runs get its Operation.
   */
  private async deploy(req: EmuRequest, tenantId: string, rawGroupId: string, user: User): Promise<EmuResponse> {
    const tenant = this.look.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'create deployments');
    const group = this.look.groupIn(tenant, rawGroupId);
    const imageIds = this.deployableImages(tenant, this.look.jsonBody(req, 'a JSON array of image IDs'));
    const sameSet = (ids: readonly string[]) => ids.length === imageIds.length && ids.every((id) => imageIds.includes(id));
    const running = this.fleet.pendingWhere((wk) => wk.kind === 'deploy' && wk.deployment.groupId === group.id && sameSet(wk.deployment.imageIds));
    if (running) return operationResponse(running);
    const deployment: Deployment = { id: randomUUID(), tenantId: tenant.id, groupId: group.id, imageIds, deployedUtc: new Date(this.ctx.clock.now()).toISOString() };
    const operation = await this.operations.start(OperationType.DeployToDeviceGroup, tenant.id, `/v2/tenants/${tenant.id}/devicegroups/${group.id}`, { kind: 'deploy', deployment });
    return operationResponse(operation);
  }

  /** The body's image IDs, lower-cased, once each is a deployable image of the tenant; the service's 400 otherwise. */
  private deployableImages(tenant: Tenant, body: unknown): string[] {
    if (!Array.isArray(body)) this.look.badRequest('The request body must be a JSON array of image IDs, e.g. ["a43206c8-f384-44a2-84ad-c86ce2937a3e"].');
    if (body.length === 0) this.look.badRequest('A deployment needs at least one image; the request lists none.');
    const ids: string[] = [];
    const components = new Map<string, string>();
    for (const raw of body) {
      if (typeof raw !== 'string' || !GUID.test(raw)) this.look.badRequest(`Image ID '${String(JSON.stringify(raw)).slice(0, 80)}' is not valid: it must be a GUID.`);
      const id = raw.toLowerCase();
      if (ids.includes(id)) this.look.badRequest(`Image '${id}' is listed twice.`);
      const image = this.fleet.image(tenant.id, id);
      if (!image) {
        const uploading = this.fleet.pendingWhere((wk) => wk.kind === 'imageUpload' && wk.image.tenantId === tenant.id && wk.image.id === id);
        this.look.badRequest(uploading ? `Image '${id}' is still being uploaded; deploy it once its upload has completed.` : `Image '${id}' was not found in tenant '${tenant.name}'; upload it first.`);
      }
      if (!DEPLOYABLE_IMAGE_TYPES.has(image.imageType)) {
        this.look.badRequest(`Image '${id}' ('${image.name}') is of type ${image.imageType} (${imageTypeName(image.imageType)}), which cannot be deployed; a deployment holds application and board configuration images.`);
      }
      const sameComponent = components.get(image.componentId);
      if (sameComponent) this.look.badRequest(`Images '${sameComponent}' and '${id}' are both of component '${image.componentId}'; a deployment holds one image per component.`);
      components.set(image.componentId, id);
      ids.push(id);
    }
    return ids;
  }

  /** `GET /devicegroups/{id}/deployments` → `{Items: [Deployment]}`, newest first (learn.microsoft.com/rest/api/azure-sphere/deployments/list). */
  private history(req: EmuRequest, tenantId: string, rawGroupId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'list deployments');
    const group = this.look.groupIn(tenant, rawGroupId);
    const key = `deployments:${group.id}`;
    // Newest first, so a position counts from the newest; a deployment made between pages shifts the pages by one.
    const newestFirst = [...(this.fleet.deployments.get(group.id) ?? [])].reverse();
    const page = pageOfList(newestFirst, key, this.look.page(req, key));
    return jsonResponse(200, { Items: page.items.map(deploymentV2), ContinuationToken: page.next });
  }
}
