// Sideloading endpoints: `PUT /update/stage` streams an image package (hashed as it arrives, never buffered whole)
// and `POST /update/install` consumes what was staged.
import * as crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { DeviceErrorCode, DeviceRestError } from '../device-errors';
import type { BoardContext } from './context';
import { drain, mediaType, ok, type Router } from './http-kit';

/** Largest image package accepted; beyond it the board answers 15728644 "The content provided is too large." */
export const MAX_STAGED_IMAGE_BYTES = 64 * 1024 * 1024;

export function addUpdateRoutes(router: Router, board: BoardContext): void {
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
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      let tooLarge = false;
      await pipeline(req, new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          if (bytes > MAX_STAGED_IMAGE_BYTES) {
            tooLarge = true; // keep draining so the response can still be sent
          } else {
            hash.update(chunk);
          }
          done();
        },
      }));
      if (tooLarge) {
        throw new DeviceRestError(413, DeviceErrorCode.contentTooLarge, 'Image package too large');
      }
      const sha256 = hash.digest('hex');
      await board.store.update((state) => {
        state.stagedImage = { bytes, sha256 };
      });
      return ok();
    })
    .add('POST', '/update/install', async (req) => {
      drain(req);
      await board.store.update((state) => {
        state.stagedImage = null;
      });
      return ok();
    });
}
