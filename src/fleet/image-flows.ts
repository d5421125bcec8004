// Images and deployments: upload an image package to the tenant (checked with the same reader as sideloading before
// a byte is sent; progress by bytes, then the service's Operation), and deploy one or more of the tenant's images to
// a device group (at least one; applications and board configurations only; one per component).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEPLOYABLE_IMAGE_TYPES } from '../cloud/fleet-validate';
import type { Deployment, ImageMetadata } from '../cloud/sphere-api-types';
import { CancelledError, UserFacingError } from '../common/errors';
import { imageTypeName } from '../device/image-package';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, groupOf, tenantOf } from './fleet-target';
import { withOperationProgress } from './operation-progress';

export async function uploadImagePackage(deps: FleetDeps, arg: unknown): Promise<ImageMetadata> {
  const target = fleetArg(arg);
  const tenant = await tenantOf(deps.tenants, target);
  let file = arg instanceof vscode.Uri ? arg.fsPath : (arg as { packagePath?: string } | undefined)?.packagePath;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({ title: `Upload which image package to ${tenant.name}?`, canSelectMany: false, filters: { 'Image packages': ['imagepackage'], 'All files': ['*'] } });
    if (!picked?.[0]) throw new CancelledError();
    file = picked[0].fsPath;
  }
  const api = await deps.fleet.api();
  deps.log.info(`Uploading image from file '${file}' to ${tenant.name}.`);
  const image = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Uploading ${path.basename(file)} to ${tenant.name}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      return api
        .uploadImage(tenant.id, { path: file }, {
          signal: abort.signal,
          onUploadProgress: (sent, total) => {
            const percent = total > 0 ? Math.floor((100 * sent) / total) : 0;
            if (percent < shown) shown = 0; // sent again after a lost connection
            progress.report({ message: `${percent} % of ${(total / 1024).toFixed(0)} KiB`, increment: percent - shown });
            shown = percent;
          },
          onProgress: () => progress.report({ message: 'the service is reading the package…' }),
        })
        .finally(() => cancel.dispose());
    },
  );
  deps.log.info(` --> Image ID:       ${image.Id}\n --> Component ID:   ${image.ComponentId}\n --> Component name: '${image.Name}'`);
  deps.fleet.changed({ tenantId: tenant.id, part: 'images' });
  void vscode.window.showInformationMessage(`Uploaded image "${image.Name}" (${imageTypeName(image.Type)}) to ${tenant.name}: image ID ${image.Id}.`);
  return image;
}

export async function createDeployment(deps: FleetDeps, arg: unknown): Promise<Deployment> {
  const target = fleetArg(arg);
  const given = (arg as { imageIds?: readonly string[] } | undefined)?.imageIds;
  const tenant = await tenantOf(deps.tenants, target);
  const group = await groupOf(deps.fleet, tenant.id, target, 'Deploy to which device group?');
  const images = await deps.fleet.images(tenant.id);
  let imageIds = given;
  if (!imageIds) {
    const deployable = images.filter((i) => DEPLOYABLE_IMAGE_TYPES.has(i.Type));
    if (deployable.length === 0) throw new UserFacingError(`${tenant.name} has no application or board configuration image to deploy; upload one first (Upload Image Package…).`);
    const current = new Set(group.CurrentDeployment?.DeployedImages ?? []);
    const picked = await vscode.window.showQuickPick(
      deployable.map((i) => ({ label: i.Name || i.Id, description: `${imageTypeName(i.Type)} · component ${i.ComponentId.slice(0, 8)}…`, detail: `Image ${i.Id}`, picked: current.has(i.Id), image: i })),
      { title: `Deploy which images to "${group.Name}"?`, canPickMany: true },
    );
    if (!picked) throw new CancelledError();
    imageIds = picked.map((p) => p.image.Id);
  }
  const api = await deps.fleet.api();
  // The client refuses an empty list, unknown types and two images of one component before anything is sent.
  const deployment = await withOperationProgress(`Deploying to "${group.Name}"`, (onProgress) => api.createDeployment(tenant.id, group.Id, imageIds, { knownImages: images, onProgress }));
  deps.log.info(`Deployment ${deployment.Id} to device group "${group.Name}": ${imageIds.join(', ')}.`);
  const names = imageIds.map((id) => images.find((i) => i.Id.toLowerCase() === id.toLowerCase())?.Name || id);
  void vscode.window.showInformationMessage(`Deployed ${names.join(', ')} to "${group.Name}": its devices get ${imageIds.length === 1 ? 'it' : 'them'} at their next update check.`);
  deps.fleet.changed({ tenantId: tenant.id, part: 'product', productId: group.ProductId });
  return deployment;
}
