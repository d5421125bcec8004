// A device's update status: the images its device group's deployment targets at it (the service's word), and for a
// board attached here whether each is installed (the board's word, `GET /images`). For a device that is not attached
// the installed side is unknown: the service's public API does not say what a device runs.
import type { DeviceModel } from '../boards';
import type { SphereApiClient } from '../cloud/sphere-api-client';
import type { ImageMetadata } from '../cloud/sphere-api-types';

export interface TargetedImageStatus {
  readonly image: ImageMetadata;
  /** undefined: the device is not attached, so nobody here can tell. */
  readonly installed: boolean | undefined;
}

export interface DeviceUpdateStatus {
  readonly targeted: readonly TargetedImageStatus[];
  /** The attached board's name when the device is attached here. */
  readonly attachedAs?: string;
}

export async function readDeviceUpdateStatus(api: SphereApiClient, devices: DeviceModel, tenantId: string, deviceId: string): Promise<DeviceUpdateStatus> {
  const targetedImages = await api.listTargetedImages(tenantId, deviceId);
  const board = devices.boards.find((b) => b.deviceId?.toUpperCase() === deviceId.toUpperCase());
  if (!board) return { targeted: targetedImages.map((image) => ({ image, installed: undefined })) };
  const installed = await (await devices.client(board.key)).listImages();
  const imageIds = new Set(installed.components.flatMap((c) => c.images.map((i) => i.uid.toLowerCase())));
  return { attachedAs: board.label, targeted: targetedImages.map((image) => ({ image, installed: imageIds.has(image.Id.toLowerCase()) })) };
}
