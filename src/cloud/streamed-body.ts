// A request body sent in pieces (an image package upload): its length up front, for Content-Length, and its bytes as
// chunks read while they are sent — from a file on disk, or as views into bytes already in memory — so an upload of
// tens of megabytes is never copied whole again and its progress can be reported piece by piece. `open()` starts
// over, so a request the pipeline sends again (after a 401 or a 429) sends the same bytes.
import { createReadStream } from 'node:fs';

/** Large enough to keep the socket busy, small enough that progress moves visibly on a slow link. */
export const BODY_CHUNK_BYTES = 64 * 1024;

export interface StreamedBody {
  readonly length: number;
  open(): AsyncIterable<Uint8Array>;
}

export function isStreamedBody(body: unknown): body is StreamedBody {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof (body as StreamedBody).open === 'function' && typeof (body as StreamedBody).length === 'number';
}

/** Views of `bytes`, one chunk at a time (subarray: no copy). */
export function bytesBody(bytes: Uint8Array, chunkBytes = BODY_CHUNK_BYTES): StreamedBody {
  return {
    length: bytes.byteLength,
    async *open() {
      for (let at = 0; at < bytes.byteLength; at += chunkBytes) yield bytes.subarray(at, Math.min(at + chunkBytes, bytes.byteLength));
    },
  };
}

/** The file at `path`, read a chunk at a time while it is sent; `length` is its size when it was checked. */
export function fileBody(path: string, length: number, chunkBytes = BODY_CHUNK_BYTES): StreamedBody {
  return {
    length,
    open: () => createReadStream(path, { highWaterMark: chunkBytes }),
  };
}
