// Sideloading endpoints: `PUT /update/stage` streams an image package into the board's state folder (never held in
// memory whole) and reads what it is once complete; `POST /update/install` installs it (apps/app-runtime.ts).
import type * as http from 'node:http';
import type { AppControlMode, AppRuntime } from '../apps/app-runtime';
import { discardUpload, keepUpload, receiveUpload, removeStagedFile } from '../apps/image-staging';
import { summarizeStagedPackage } from '../apps/staged-package';
import { badRequest, DeviceErrorCode, DeviceRestError } from '../device-errors';
import type { BoardContext } from './context';
import { drain, MAX_JSON_BODY_BYTES, mediaType, ok, type Router } from './http-kit';

/** Largest image package accepted; beyond it the board answers 15728644 "The content provided is too large." */
export const MAX_STAGED_IMAGE_BYTES = 64 * 1024 * 1024;

const CONTROL_MODES: readonly AppControlMode[] = ['Auto', 'Manual'];

export function addUpdateRoutes(router: Router, board: BoardContext, apps: AppRuntime): void {
  const { store } = board;
  router
    .add('PUT', '/update/stage', async (req) => {
      const type = mediaType(req);
      if (type !== 'application/octet-stream') {
        drain(req);
        throw new DeviceRestError(415, undefined, 'PUT /update/stage takes application/octet-stream');
      }
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > MAX_STAGED_IMAGE_BYTES) {
        drain(req);
        throw new DeviceRestError(413, DeviceErrorCode.contentTooLarge, 'Image package too large');
      }
      const upload = await receiveUpload(req, store.stateDir, MAX_STAGED_IMAGE_BYTES);
      let fileName: string;
      try {
        const summary = await summarizeStagedPackage(upload.partPath, upload.bytes);
        fileName = await keepUpload(upload, store.stateDir);
        const previous = store.view.stagedImage?.fileName;
        try {
          await store.update((state) => {
            state.stagedImage = { bytes: upload.bytes, sha256: upload.sha256, fileName, package: summary };
          });
        } catch (error) {
          await removeStagedFile(store.stateDir, fileName);
          throw error;
        }
        // One package is staged at a time: a new one replaces the last.
        if (previous !== undefined && previous !== fileName) await removeStagedFile(store.stateDir, previous);
      } catch (error) {
        await discardUpload(upload);
        throw error;
      }
      return ok();
    })
    .add('POST', '/update/install', async (req) => {
      const body = await readOptionalJsonObject(req);
      const mode = body?.appControlMode ?? 'Auto';
      if (typeof mode !== 'string' || !CONTROL_MODES.includes(mode as AppControlMode)) {
        throw badRequest(DeviceErrorCode.imageUpdateInvalidParameter, 'appControlMode must be Auto or Manual');
      }
      const { restartingSystem } = await apps.installStaged(mode as AppControlMode, board.deviceId);
      if (restartingSystem) {
        board.requestRestart();
        return ok({ restartingSystem: true });
      }
      return ok();
    });
}

/**
 * The body of `POST /update/install` is optional (the device API spec marks it `required: false`): no body, or an
 * empty one, means the defaults. Otherwise it is a JSON object, read as the other endpoints read theirs.
 */
async function readOptionalJsonObject(req: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const type = mediaType(req);
  if (type !== undefined && type !== 'application/json') {
    drain(req);
    throw new DeviceRestError(415, undefined, `Unsupported media type ${type}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_JSON_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_JSON_BODY_BYTES) throw new DeviceRestError(413, DeviceErrorCode.contentTooLarge, 'Request body too large');
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest(DeviceErrorCode.imageUpdateInvalidParameter, 'Body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest(DeviceErrorCode.imageUpdateInvalidParameter, 'Body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
