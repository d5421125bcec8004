// What the board reads from a package once its upload is complete: identity, kind, and whether it is a development
// image. The parsing is the explorer's own reader (src/device/image-package); here its refusals become the board's
// answers — an all-zero component ID is InvalidComponentId (7340079), anything else that is not a package the board
// installs is ImageStagingFailed (7340050), both 400.
import * as fs from 'node:fs';
import {
  isDevelopmentImage,
  ImageType,
  isImagePackageError,
  MAX_IMAGE_PACKAGE_BYTES,
  readCapabilityImage,
  readImagePackage,
  type ImagePackageInfo,
} from '../../../src/device/image-package';
import type { StagedPackageSummary } from '../board-state';
import { badRequest, DeviceErrorCode } from '../device-errors';

/** Image types a board takes by sideloading: applications, board configurations, and capability files. */
const STAGEABLE_TYPES: readonly number[] = [ImageType.applications, ImageType.customerBoardConfig, ImageType.firmwareConfig];

const stagingFailed = (why: string): Error => badRequest(DeviceErrorCode.imageStagingFailed, why);

/** Reads the complete upload at `filePath` (`bytes` long). Throws the board's 400 answer for anything it refuses. */
export async function summarizeStagedPackage(filePath: string, bytes: number): Promise<StagedPackageSummary> {
  // The reader works on the whole file; packages are small (an app's flash budget is 1 MiB), and a file larger than
  // any package is refused unread.
  if (bytes > MAX_IMAGE_PACKAGE_BYTES) throw stagingFailed(`${bytes} bytes is larger than any image package`);
  const content = await fs.promises.readFile(filePath);
  let info: ImagePackageInfo;
  try {
    info = readImagePackage(content, 'The staged file');
    if (!STAGEABLE_TYPES.includes(info.imageType)) throw stagingFailed(`image type ${info.imageType} cannot be sideloaded`);
    if (info.imageType === ImageType.firmwareConfig) {
      const capability = readCapabilityImage(content, 'The staged file');
      return {
        kind: 'capabilities',
        componentId: capability.componentId,
        imageId: capability.imageId,
        deviceId: capability.deviceId,
        capabilities: [...capability.capabilities],
      };
    }
  } catch (error) {
    if (isImagePackageError(error, 'NIL_COMPONENT_ID')) throw badRequest(DeviceErrorCode.invalidComponentId, error.message);
    if (isImagePackageError(error)) throw stagingFailed(error.message);
    throw error;
  }
  // An application whose file system has no readable manifest cannot be mounted, so the board does not take it.
  if (info.imageType === ImageType.applications && !info.manifest) {
    throw stagingFailed(info.manifestProblem ?? 'the application has no app_manifest.json');
  }
  return {
    kind: 'component',
    componentId: info.componentId,
    imageId: info.imageId,
    imageType: info.imageType,
    name: info.name,
    developmentImage: isDevelopmentImage(info),
    storageLimitKB: mutableStorageKB(info),
    ...(info.manifest?.CmdArgs && { cmdArgs: [...info.manifest.CmdArgs] }),
    ...(info.manifest?.DeviceAuthentication !== undefined && { deviceAuthentication: info.manifest.DeviceAuthentication }),
  };
}

/**
 * The manifest's mutable-storage size. Manifests declare it as a capability (`Capabilities.MutableStorage.SizeKB`,
 * learn.microsoft.com "Application manifest"); a top-level `MutableStorage` is read too.
 */
function mutableStorageKB(info: ImagePackageInfo): number {
  const capability = info.manifest?.Capabilities?.MutableStorage;
  const declared = typeof capability === 'object' && capability !== null ? (capability as { SizeKB?: unknown }).SizeKB : info.manifest?.MutableStorage?.SizeKB;
  return typeof declared === 'number' && Number.isInteger(declared) && declared > 0 ? declared : 0;
}
