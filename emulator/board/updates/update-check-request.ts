// One update check from the board to the cloud emulator: `POST {cloud}/v2/devices/{id}/updatecheck` with the board's
// time signed by its device key (device-auth/device-proof.ts, as the daily certificate request signs it), the images
// it has installed, and its apps' error events. A real board asks the update service over a private protocol
// (learn.microsoft.com/azure-sphere/deployment/device-updates); this route is the emulator's stand-in
// (emulator/cloud/device-update-api.ts). The answer is checked field by field before the board acts on it: it decides
// what the board downloads and installs.
import type * as crypto from 'node:crypto';
import { cloudEndpoint, DEFAULT_CLOUD_TIMEOUT_MS, postJson, serviceMessage, type CloudAnswer } from '../device-auth/cloud-request';
import { deviceProof } from '../device-auth/device-proof';
import { retryAfterMs } from './retry-after';

/** An image the board's device group targets at it now, as the check lists it. */
export interface TargetedImage {
  /** Lower-case GUIDs. */
  imageId: string;
  componentId: string;
  name: string;
  /** 10 application, 21 board configuration. */
  imageType: number;
  sizeBytes: number;
  /** Of the package's bytes, lower-case hex. */
  sha256: string;
}

export interface UpdateCheckAnswer {
  /** null: the device is in no device group (and so gets no deployment). */
  deviceGroupId: string | null;
  /** The group's UpdatePolicy: 0 UpdateAll, 1 No3rdPartyAppUpdates; null without a group. */
  updatePolicy: number | null;
  /** The group's current deployment, or null when it has none. */
  deploymentId: string | null;
  /** When the cloud recorded the check (its LastUpdateRequestUTC for the device), ISO 8601. */
  checkedAt: string;
  targetedImages: TargetedImage[];
}

export interface InstalledImageReport {
  imageId: string;
  componentId: string;
}

export type UpdateCheckOutcome =
  | { ok: true; answer: UpdateCheckAnswer }
  /**
   * `notClaimed`: 404, the device is in no tenant; `refused`: 401, a signature or clock the service did not accept;
   * `unreachable`: no answer (network, TLS, timeout, aborted); `failed`: any other answer, or one the board cannot use.
   * `retryAfterMs`: what a 429 or 503 asked the board to wait.
   */
  | { ok: false; kind: 'notClaimed' | 'refused' | 'unreachable' | 'failed'; message: string; retryAfterMs?: number };

export interface UpdateCheckRequest {
  cloudUrl: string;
  cloudCaPem: string | undefined;
  deviceId: string;
  deviceKey: crypto.KeyObject;
  /** The board's time now (ISO 8601 UTC). */
  timestamp: string;
  installedImages: InstalledImageReport[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;

function targetedImageFrom(raw: unknown): TargetedImage | undefined {
  const e = (raw ?? {}) as Record<string, unknown>;
  const { imageId, componentId, name, imageType, sizeBytes, sha256 } = e;
  if (typeof imageId !== 'string' || !GUID.test(imageId) || typeof componentId !== 'string' || !GUID.test(componentId)) return undefined;
  if (typeof name !== 'string' || !Number.isSafeInteger(imageType) || !Number.isSafeInteger(sizeBytes) || (sizeBytes as number) < 0) return undefined;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return undefined;
  return { imageId: imageId.toLowerCase(), componentId: componentId.toLowerCase(), name, imageType: imageType as number, sizeBytes: sizeBytes as number, sha256: sha256.toLowerCase() };
}

/** The answer, or undefined when it is not the shape emulator/cloud/device-update-api.ts answers with. */
export function answerFrom(text: string): UpdateCheckAnswer | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { deviceGroupId, updatePolicy, deploymentId, checkedAt, targetedImages } = value;
  if (deviceGroupId !== null && (typeof deviceGroupId !== 'string' || !GUID.test(deviceGroupId))) return undefined;
  if (updatePolicy !== null && updatePolicy !== 0 && updatePolicy !== 1) return undefined;
  if (deploymentId !== null && typeof deploymentId !== 'string') return undefined;
  if (typeof checkedAt !== 'string' || Number.isNaN(Date.parse(checkedAt)) || !Array.isArray(targetedImages)) return undefined;
  const images = targetedImages.map(targetedImageFrom);
  if (images.some((i) => i === undefined)) return undefined;
  return {
    deviceGroupId: deviceGroupId === null ? null : deviceGroupId.toLowerCase(),
    updatePolicy,
    deploymentId,
    checkedAt,
    targetedImages: images as TargetedImage[],
  };
}

export async function requestUpdateCheck(request: UpdateCheckRequest): Promise<UpdateCheckOutcome> {
  const deviceId = request.deviceId.toUpperCase();
  const url = cloudEndpoint(request.cloudUrl, `v2/devices/${deviceId}/updatecheck`);
  const body = {
    ...deviceProof(deviceId, request.deviceKey, request.timestamp),
    installedImages: request.installedImages,
    // The simulator's apps run no code of their own, so none of them ever crashes or exits unplanned: the board has
    // no error events to report (a real board reports them with its update checks, and they reach the tenant's
    // error report). The list is sent, empty, so the request has the shape the service takes.
    events: [],
  };
  let answer: CloudAnswer;
  try {
    answer = await postJson(url, request.cloudCaPem, JSON.stringify(body), request.timeoutMs ?? DEFAULT_CLOUD_TIMEOUT_MS, request.signal);
  } catch (error) {
    return { ok: false, kind: 'unreachable', message: `${url.origin} did not answer: ${(error as Error).message}` };
  }
  if (answer.status === 404) return { ok: false, kind: 'notClaimed', message: serviceMessage(answer.status, answer.text) };
  if (answer.status === 401) return { ok: false, kind: 'refused', message: serviceMessage(answer.status, answer.text) };
  if (answer.status !== 200) {
    const wait = retryAfterMs(answer.status, answer.headers);
    return { ok: false, kind: 'failed', message: serviceMessage(answer.status, answer.text), ...(wait !== undefined && { retryAfterMs: wait }) };
  }
  const parsed = answerFrom(answer.text);
  if (!parsed) return { ok: false, kind: 'failed', message: 'the answer is not {deviceGroupId, updatePolicy, deploymentId, checkedAt, targetedImages: [{imageId, componentId, name, imageType, sizeBytes, sha256}]}' };
  return { ok: true, answer: parsed };
}
