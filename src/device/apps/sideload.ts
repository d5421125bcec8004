// Sideloading an image package onto the attached board, as `azsphere device sideload deploy` does: PUT /update/stage
// then POST /update/install (docs/board-link.md#sideloading). The package is read and checked before a byte goes to the
// board, then streamed from disk; the upload can be cancelled, and an upload that breaks off installs nothing.
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, isCancellation } from '../../common/errors';
import { DeviceError, isDeviceError } from '../device-error';
import { readImagePackageFile } from '../image-package/read-image-package';
import { isDevelopmentImage } from '../image-package/development-image';
import { DeviceCapability, ImageType, type ImagePackageInfo } from '../image-package/types';
import type { DeviceRestClient } from '../rest/device-rest-client';
import { deviceErrorMessage } from '../rest/device-error-messages';
import type { BodySource } from '../rest/http-session';
import type { AppState } from '../rest/types';

/** Only these image types may be sideloaded: applications and board configurations. */
export const SIDELOADABLE_IMAGE_TYPES: ReadonlySet<number> = new Set([ImageType.applications, ImageType.customerBoardConfig]);

/** What a board without the AppDevelopment capability answers to a development package (VerificationFailed). */
const IMAGE_NOT_TRUSTED = 7340047;

/** The board answers "OTA update in progress, sideloading is temporarily disabled" with this code. */
const OTA_UPDATE_IN_PROGRESS = 7340071;

export type SideloadPhase = 'checking' | 'staging' | 'installing' | 'starting';

export interface SideloadProgress {
  phase: SideloadPhase;
  /**
   * Bytes of the package handed to the connection: rises during 'staging' (starting again from 0 in the rare case
   * that a lost answer makes the client send the package again) and equals totalBytes after it.
   */
  bytesSent: number;
  /** The package's size; 0 until the package has been read. */
  totalBytes: number;
}

export interface SideloadOptions {
  /** Leave the application stopped after installing (the CLI's `--manual-start`). */
  manualStart?: boolean;
  onProgress?: (progress: SideloadProgress) => void;
  /**
   * Honoured until the package is staged: the upload is torn down and the board discards it. The install that follows
   * is not cancelled: a package left staged would be installed by the board's next install, whoever sends it.
   */
  signal?: AbortSignal;
}

export interface SideloadResult {
  componentId: string;
  imageId: string;
  /** The image's name (its Debug section). */
  name: string;
  imageType: number;
  /** The application's state after the install; undefined for a board configuration or while the board restarts. */
  state: AppState | undefined;
  /** The board restarts to apply the image (board configuration). */
  restartingSystem: boolean;
  /** Another image of this component was installed before and has been replaced. */
  replaced: boolean;
}

/** Interruptions of the link (as opposed to the board refusing the package). */
const LINK_FAILURES = new Set(['LINK_DOWN', 'CONNECTION_LOST', 'CONNECTION_FAILED', 'TIMEOUT']);

export async function sideloadImagePackage(client: DeviceRestClient, packagePath: string, options: SideloadOptions = {}): Promise<SideloadResult> {
  const { signal } = options;
  const report = (phase: SideloadPhase, bytesSent: number, totalBytes: number): void => options.onProgress?.({ phase, bytesSent, totalBytes });
  const cancelled = (): CancelledError => new CancelledError(`Sideloading ${path.basename(packagePath)} was cancelled; nothing was installed.`);
  if (signal?.aborted) throw cancelled();

  // Checking: the file first (not a package, truncated, wrong type: nothing is sent), then what the board has.
  report('checking', 0, 0);
  const info = await readImagePackageFile(packagePath);
  if (!SIDELOADABLE_IMAGE_TYPES.has(info.imageType)) {
    const kind = info.imageTypeName.startsWith('Image type') ? 'an image' : `a ${info.imageTypeName} image`;
    throw new DeviceError(
      'INVALID_INPUT',
      `${packagePath} is ${kind} (image type ${info.imageType}); only applications (type 10) and board ` +
        'configurations (type 21) can be sideloaded.',
      { field: 'imagePackage' },
    );
  }
  const total = info.length;
  report('checking', 0, total);
  const images = await client.listImages();
  if (images.is_ota_update_in_progress) {
    throw new DeviceError('DEVICE_ERROR', `Cannot sideload ${info.name}: ${deviceErrorMessage(OTA_UPDATE_IN_PROGRESS)}`, { deviceError: OTA_UPDATE_IN_PROGRESS });
  }
  // A package built for development installs only with the AppDevelopment capability. The board would refuse it after
  // the whole upload; say so now, in the words it would use, and send nothing.
  if (isDevelopmentImage(info) && !(await client.getCapabilities()).includes(DeviceCapability.enableAppDevelopment)) {
    throw new DeviceError('DEVICE_ERROR', `Cannot sideload ${info.name}: ${deviceErrorMessage(IMAGE_NOT_TRUSTED)}`, { deviceError: IMAGE_NOT_TRUSTED });
  }
  const replaced = images.components.some((c) => c.uid.toLowerCase() === info.componentId);
  const before: AppState = info.imageType === ImageType.applications && replaced ? await client.getAppStatus(info.componentId) : 'notPresent';
  if (signal?.aborted) throw cancelled();

  // Staging: streamed from disk (never a second copy of the file in memory).
  report('staging', 0, total);
  try {
    const stageOptions: Parameters<DeviceRestClient['stageImage']>[2] = { onProgress: (sent) => report('staging', sent, total) };
    if (signal) stageOptions.signal = signal;
    await client.stageImage(fileSource(packagePath, total), total, stageOptions);
  } catch (err) {
    if (isCancellation(err)) throw cancelled();
    if (isDeviceError(err) && LINK_FAILURES.has(err.code)) {
      throw new DeviceError(err.code, `The upload of ${info.name} (${path.basename(packagePath)}) was interrupted: ${sentence(err.message)} ${unchanged(info, before)}`, {
        cause: err,
      });
    }
    throw err;
  }

  // Installing: Auto starts the app, Manual leaves it stopped.
  report('installing', total, total);
  let restartingSystem: boolean;
  try {
    restartingSystem = (await client.installImages(options.manualStart ? 'Manual' : 'Auto')).restartingSystem;
  } catch (err) {
    if (isDeviceError(err) && LINK_FAILURES.has(err.code)) {
      throw new DeviceError(
        err.code,
        `The link to the board broke while ${info.name} was being installed; it may or may not be installed (${withoutStop(err.message)}). ` +
          "Once the board is back, look at its applications before sideloading again.",
        { cause: err, mayHaveReachedDevice: true },
      );
    }
    throw err;
  }

  let state: AppState | undefined;
  if (info.imageType === ImageType.applications && !restartingSystem) {
    if (!options.manualStart) report('starting', total, total);
    state = await client.getAppStatus(info.componentId);
    // Auto asks the board to start the app; a board that installed it without starting it gets the explicit start the
    // CLI's deploy implies.
    if (!options.manualStart && state !== 'running') state = (await client.setAppState(info.componentId, 'start')).state;
  }
  return { componentId: info.componentId, imageId: info.imageId, name: info.name, imageType: info.imageType, state, restartingSystem, replaced };
}

/** What an interrupted upload left on the board, for the error message. */
function unchanged(info: ImagePackageInfo, before: AppState): string {
  switch (before) {
    case 'running':
    case 'debugging':
      return `Nothing was installed: the version of ${info.name} already on the board keeps running.`;
    case 'stopped':
      return `Nothing was installed: the version of ${info.name} already on the board is unchanged.`;
    default:
      return 'Nothing was installed: the apps on the board keep running as they were.';
  }
}

const withoutStop = (text: string): string => text.replace(/[.\s]+$/, '');
const sentence = (text: string): string => `${withoutStop(text)}.`;

/** The package file as a request body, opened afresh for every attempt. */
function fileSource(filePath: string, length: number): BodySource {
  return { length, open: () => createReadStream(filePath, { highWaterMark: 64 * 1024 }) };
}
