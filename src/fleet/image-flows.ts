// Images and deployments: upload an image package to the tenant or catalog (checked with the same reader as sideloading before
// a byte is sent; progress by bytes, then the service's Operation), and deploy one or more of the tenant's images to
// a device group (at least one; applications and board configurations only; one per component). A catalog's
// upload and deployment are ARM long-running operations; a 429 waits the time the service asks, with progress.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEPLOYABLE_IMAGE_TYPES } from '../cloud/fleet-validate';
import { currentDeployment, type FleetDeployment, type FleetImage } from '../cloud/backend/fleet-backend';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, groupOf, scopeOf } from './fleet-target';
import { progressMessage, withOperationProgress } from './operation-progress';

export async function uploadImagePackage(deps: FleetDeps, arg: unknown): Promise<FleetImage> {
  const target = fleetArg(arg);
  const scope = await scopeOf(deps.tenants, target, 'Upload the image package to which tenant or catalog?');
  let file = arg instanceof vscode.Uri ? arg.fsPath : (arg as { packagePath?: string } | undefined)?.packagePath;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({ title: `Upload which image package to ${scope.name}?`, canSelectMany: false, filters: { 'Image packages': ['imagepackage'], 'All files': ['*'] } });
    if (!picked?.[0]) throw new CancelledError();
    file = picked[0].fsPath;
  }
  const backend = await deps.fleet.backend(scope);
  deps.log.info(`Uploading image from file '${file}' to ${scope.name}.`);
  const image = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Uploading ${path.basename(file)} to ${scope.name}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      return backend
        .uploadImage(scope, { path: file }, {
          signal: abort.signal,
          onUploadProgress: (sent, total) => {
            const percent = total > 0 ? Math.floor((100 * sent) / total) : 0;
            if (percent < shown) shown = 0; // sent again after a lost connection
            progress.report({ message: `${percent} % of ${(total / 1024).toFixed(0)} KiB`, increment: percent - shown });
            shown = percent;
          },
          onProgress: (p) => progress.report({ message: p.kind === 'throttled' ? progressMessage(p) : 'the service is reading the package…' }),
        })
        .finally(() => cancel.dispose());
    },
  );
  deps.log.info(` --> Image ID:       ${image.id}\n --> Component ID:   ${image.componentId}\n --> Component name: '${image.name}'`);
  deps.fleet.changed({ scope, part: 'images' });
  void vscode.window.showInformationMessage(`Uploaded image "${image.name}" (${image.typeName}) to ${scope.name}: image ID ${image.id}.`);
  return image;
}

export async function createDeployment(deps: FleetDeps, arg: unknown): Promise<FleetDeployment> {
  const target = fleetArg(arg);
  const given = (arg as { imageIds?: readonly string[] } | undefined)?.imageIds;
  const scope = await scopeOf(deps.tenants, target);
  const group = await groupOf(deps.fleet, scope, target, 'Deploy to which device group?');
  const images = await deps.fleet.images(scope);
  let imageIds = given;
  if (!imageIds) {
    const deployable = images.filter((i) => DEPLOYABLE_IMAGE_TYPES.has(i.type));
    if (deployable.length === 0) throw new UserFacingError(`${scope.name} has no application or board configuration image to deploy; upload one first (Upload Image Package…).`);
    const current = new Set(currentDeployment(group, await deps.fleet.deployments(scope, group.id))?.imageIds ?? group.currentImageIds ?? []);
    const picked = await vscode.window.showQuickPick(
      deployable.map((i) => ({ label: i.name || i.id, description: `${i.typeName} · component ${i.componentId.slice(0, 8)}…`, detail: `Image ${i.id}`, picked: current.has(i.id), image: i })),
      { title: `Deploy which images to "${group.name}"?`, canPickMany: true },
    );
    if (!picked) throw new CancelledError();
    imageIds = picked.map((p) => p.image.id);
  }
  const backend = await deps.fleet.backend(scope);
  // The backend refuses an empty list, unknown types and two images of one component before anything is sent.
  const deployment = await withOperationProgress(`Deploying to "${group.name}"`, (onProgress) => backend.createDeployment(scope, group.id, imageIds, { knownImages: images, onProgress }));
  deps.log.info(`Deployment ${deployment.id} to device group "${group.name}": ${imageIds.join(', ')}.`);
  const names = imageIds.map((id) => images.find((i) => i.id === id.toLowerCase())?.name || id);
  void vscode.window.showInformationMessage(`Deployed ${names.join(', ')} to "${group.name}": its devices get ${imageIds.length === 1 ? 'it' : 'them'} at their next update check.`);
  deps.fleet.changed({ scope, part: 'product', productId: group.productId });
  return deployment;
}
