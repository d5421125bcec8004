// A device's update status: the images its device group's deployment targets at it (the service's word), and for a
// board attached here whether each is installed (the board's word, `GET /images`). For a device that is not attached
// the installed side is unknown: neither the security service's public API nor ARM says what a device runs.
import type { DeviceModel } from '../boards';
import type { FleetBackend, FleetImage, FleetScope } from '../cloud/backend/fleet-backend';

export interface TargetedImageStatus {
  readonly image: FleetImage;
  /** undefined: the device is not attached, so nobody here can tell. */
  readonly installed: boolean | undefined;
}

export interface DeviceUpdateStatus {
  readonly targeted: readonly TargetedImageStatus[];
  /** The attached board's name when the device is attached here. */
  readonly attachedAs?: string;
}

export async function readDeviceUpdateStatus(backend: FleetBackend, devices: DeviceModel, scope: FleetScope, deviceId: string, groupId?: string): Promise<DeviceUpdateStatus> {
  const targetedImages = await backend.listTargetedImages(scope, deviceId, { groupId });
  const board = devices.boards.find((b) => b.deviceId?.toUpperCase() === deviceId.toUpperCase());
  if (!board) return { targeted: targetedImages.map((image) => ({ image, installed: undefined })) };
  const installed = await (await devices.client(board.key)).listImages();
  const imageIds = new Set(installed.components.flatMap((c) => c.images.map((i) => i.uid.toLowerCase())));
  return { attachedAs: board.label, targeted: targetedImages.map((image) => ({ image, installed: imageIds.has(image.id) })) };
}
