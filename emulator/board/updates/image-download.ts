// Downloading one targeted image: `GET {cloud}/v2/devices/{id}/images/{imageId}/content?timestamp=…&signature=…` (the
// device proof in the query, since a GET has no body; emulator/cloud/device-update-api.ts), streamed into the staging
// folder the way a sideload's upload is (apps/image-staging.ts: a part file, removed if anything breaks off), then
// verified before the board keeps it: the size and SHA-256 the update check announced, the package read with the
// explorer's own reader (apps/staged-package.ts, as a staged sideload is), its component and image IDs and type the
// ones targeted, and production-signed.
//
// Production-signed, because that is what the cloud hands out: every customer application on a production device is
// signed by the Azure Sphere Security Service (techcommunity.microsoft.com, "Azure Sphere – Image signing certificate
// update"), and the devices that take cloud deployments are those without the appDevelopment capability
// (learn.microsoft.com/azure-sphere/deployment/create-a-deployment), which refuse development-signed images. The
// emulator stores uploads as they are and re-signs nothing, so a development image uploaded to it is refused here,
// where a real service would have signed it.
import type * as crypto from 'node:crypto';
import { MAX_IMAGE_PACKAGE_BYTES } from '../../../src/device/image-package';
import type { ComponentSummary } from '../apps/app-runtime';
import { discardUpload, keepUpload, receiveUpload, type ReceivedUpload } from '../apps/image-staging';
import { summarizeStagedPackage } from '../apps/staged-package';
import { cloudEndpoint, DEFAULT_CLOUD_TIMEOUT_MS, getStream, readSmallBody, serviceMessage } from '../device-auth/cloud-request';
import { deviceProof } from '../device-auth/device-proof';
import { retryAfterMs } from './retry-after';
import type { TargetedImage } from './update-check-request';

/** A verified package in the staging folder, ready for AppRuntime.installFromCloud. */
export interface DownloadedImage {
  image: TargetedImage;
  summary: ComponentSummary;
  /** Relative to the state folder, as the board state names staged files. */
  fileName: string;
  bytes: number;
}

/**
 * Why a download did not give the board an image it installs. `refused`: the image itself is not one the board takes
 * (it would be refused again: not retried until the deployment changes); otherwise the download may work next time.
 */
export class DownloadFailure extends Error {
  constructor(message: string, readonly refused = false, readonly retryAfterMs?: number) {
    super(message);
  }
}

export interface ImageDownloadRequest {
  cloudUrl: string;
  cloudCaPem: string | undefined;
  deviceId: string;
  deviceKey: crypto.KeyObject;
  /** The board's time now (ISO 8601 UTC). */
  timestamp: string;
  image: TargetedImage;
  stateDir: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function downloadImage(request: ImageDownloadRequest): Promise<DownloadedImage> {
  const { image } = request;
  const label = `image ${image.imageId} ('${image.name.slice(0, 60)}')`;
  if (image.sizeBytes > MAX_IMAGE_PACKAGE_BYTES) throw new DownloadFailure(`${label} is ${image.sizeBytes} bytes, larger than any image package`, true);
  const deviceId = request.deviceId.toUpperCase();
  const url = cloudEndpoint(request.cloudUrl, `v2/devices/${deviceId}/images/${image.imageId}/content`);
  url.search = new URLSearchParams({ ...deviceProof(deviceId, request.deviceKey, request.timestamp) }).toString();
  const where = `${url.origin}${url.pathname}`; // never the query: it holds the signature
  let upload: ReceivedUpload;
  try {
    const res = await getStream(url, request.cloudCaPem, request.timeoutMs ?? DEFAULT_CLOUD_TIMEOUT_MS, request.signal);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      // 404 too: the deployment changed between the check and the download; the next check says what is targeted now.
      throw new DownloadFailure(`downloading ${label} failed: ${serviceMessage(status, await readSmallBody(res))}`, false, retryAfterMs(status, res.headers));
    }
    // Exactly the announced size: anything longer is cut off and refused by receiveUpload.
    upload = await receiveUpload(res, request.stateDir, image.sizeBytes);
  } catch (error) {
    if (error instanceof DownloadFailure) throw error;
    throw new DownloadFailure(`downloading ${label} from ${where} broke off: ${(error as Error).message}`);
  }
  try {
    if (upload.bytes !== image.sizeBytes || upload.sha256 !== image.sha256) {
      throw new DownloadFailure(`${label} arrived as ${upload.bytes} bytes with another SHA-256 than the update check announced (${image.sizeBytes} bytes)`);
    }
    let summary;
    try {
      summary = await summarizeStagedPackage(upload.partPath, upload.bytes);
    } catch (error) {
      throw new DownloadFailure(`${label} is not a package the board installs: ${(error as Error).message}`, true);
    }
    if (summary.kind !== 'component' || summary.componentId !== image.componentId || summary.imageId !== image.imageId || summary.imageType !== image.imageType) {
      throw new DownloadFailure(`${label} is not what the update check announced (component ${image.componentId}, type ${image.imageType})`, true);
    }
    if (summary.developmentImage) {
      throw new DownloadFailure(`${label} is development-signed or marked under development; the board takes only production-signed images from the cloud`, true);
    }
    return { image, summary, fileName: await keepUpload(upload, request.stateDir), bytes: upload.bytes };
  } catch (error) {
    await discardUpload(upload);
    throw error;
  }
}
