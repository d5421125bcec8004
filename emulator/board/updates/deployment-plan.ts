// What the board does with an update check's answer, decided from the answer and what is installed — no I/O, so the
// rules read in one place:
//
// - Development mode (the appDevelopment capability): nothing from deployments. "Before your devices can receive
//   applications from the cloud, they must have a product and belong to a device group, and cannot have the
//   AppDevelopment capability installed" (learn.microsoft.com/azure-sphere/deployment/create-a-deployment). The
//   simulator keeps board configurations out too, so a development board runs exactly what was sideloaded.
// - No device group: no deployment reaches the board; nothing changes.
// - UpdatePolicy 1 (No3rdPartyAppUpdates, the Development group's): no application updates — "devices in this group
//   receive only system software updates; application updates are disabled"
//   (learn.microsoft.com/azure-sphere/deployment/az-about-device-groups). Applications are neither installed nor
//   removed; the board configuration the cloud still targets there is taken.
// - Otherwise the deployment is what the board should run: each targeted application or board configuration whose
//   image is not installed is installed (over a sideloaded component of the same ID: cloud deployments overwrite
//   sideloaded apps, which is why development boards sit in a group without app updates —
//   learn.microsoft.com/azure-sphere/app-development/sideload-app), and a cloud-installed component the deployment
//   no longer targets is removed. Sideloaded components the deployment does not name are left alone.
import { ImageType } from '../../../src/device/image-package';
import type { InstalledComponentRecord } from '../board-state';
import type { TargetedImage, UpdateCheckAnswer } from './update-check-request';

/** UpdatePolicy 1 of DeviceGroupV2 (learn.microsoft.com/rest/api/azure-sphere/device-group/create). */
export const NO_3RD_PARTY_APP_UPDATES = 1;

/**
 * Which deployment images the board takes now: all it installs (`allowed`), board configurations only (`groupPolicy`:
 * No3rdPartyAppUpdates), or none (`developmentMode`, `noDeviceGroup`).
 */
export type DeploymentUpdates = 'allowed' | 'groupPolicy' | 'developmentMode' | 'noDeviceGroup';

export interface DeploymentPlan {
  updates: DeploymentUpdates;
  /** Targeted images to download and install, in the deployment's order. */
  install: TargetedImage[];
  /** Cloud-installed components the deployment no longer targets. */
  remove: InstalledComponentRecord[];
  /** Targeted images of a type the board does not install from deployments, with why. */
  ignored: { image: TargetedImage; why: string }[];
}

/** Image types a deployment brings to a board: applications and board configurations. */
const DEPLOYED_TYPES: readonly number[] = [ImageType.applications, ImageType.customerBoardConfig];

export function planDeployment(answer: UpdateCheckAnswer, installed: readonly InstalledComponentRecord[], developmentMode: boolean): DeploymentPlan {
  const updates: DeploymentUpdates = developmentMode
    ? 'developmentMode'
    : answer.deviceGroupId === null
      ? 'noDeviceGroup'
      : answer.updatePolicy === NO_3RD_PARTY_APP_UPDATES ? 'groupPolicy' : 'allowed';
  const plan: DeploymentPlan = { updates, install: [], remove: [], ignored: [] };
  if (updates === 'developmentMode' || updates === 'noDeviceGroup') return plan;
  const managed = (imageType: number): boolean =>
    imageType === ImageType.customerBoardConfig || (imageType === ImageType.applications && updates === 'allowed');

  const targetedComponents = new Set<string>();
  for (const image of answer.targetedImages) {
    if (!DEPLOYED_TYPES.includes(image.imageType)) {
      plan.ignored.push({ image, why: `image type ${image.imageType} is not installed from deployments (applications and board configurations are)` });
      continue;
    }
    if (!managed(image.imageType)) continue; // an application under No3rdPartyAppUpdates (the cloud leaves them out anyway)
    if (targetedComponents.has(image.componentId)) {
      plan.ignored.push({ image, why: `another image of component ${image.componentId} comes first in the deployment` });
      continue;
    }
    targetedComponents.add(image.componentId);
    if (!installed.some((c) => c.componentId === image.componentId && c.imageId === image.imageId)) plan.install.push(image);
  }
  plan.remove = installed.filter((c) => c.origin === 'cloud' && managed(c.imageType) && !targetedComponents.has(c.componentId));
  return plan;
}
