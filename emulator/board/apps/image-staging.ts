// Where a staged image package lives while it waits for `POST /update/install`: `PUT /update/stage` streams the body
// into a part file under `<state>/staging/` (hashing and counting as it goes, never holding the package in memory),
// and only a complete upload is renamed to its final name and recorded in the board state. A body that breaks off
// leaves nothing behind: the part file is removed and the state is not touched.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeviceErrorCode, DeviceRestError } from '../device-errors';

/** Folder of the state directory that holds staged packages and uploads in progress. */
export const STAGING_DIR = 'staging';

export interface ReceivedUpload {
  /** Absolute path of the complete part file. */
  partPath: string;
  bytes: number;
  sha256: string;
}

/**
 * Streams `req` into a new part file. Over `maxBytes` the rest is drained (so the 413 answer can still be sent) and the
 * file removed; a body that ends early (the connection dropped, the board lost power) removes the file too.
 */
export async function receiveUpload(req: http.IncomingMessage, stateDir: string, maxBytes: number): Promise<ReceivedUpload> {
  const dir = path.join(stateDir, STAGING_DIR);
  await fs.promises.mkdir(dir, { recursive: true });
  const partPath = path.join(dir, `${crypto.randomUUID()}.part`);
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  let tooLarge = false;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        tooLarge = true; // keep reading, write nothing more
        done();
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, meter, fs.createWriteStream(partPath, { mode: 0o600 }));
    if (tooLarge) {
      throw new DeviceRestError(413, DeviceErrorCode.contentTooLarge, 'Image package too large');
    }
    // On disk before it is acknowledged, like every other change of the board's state.
    const handle = await fs.promises.open(partPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await fs.promises.rm(partPath, { force: true });
    if (error instanceof DeviceRestError) throw error;
    // Nobody is left to answer; say so quietly rather than as a simulator failure.
    throw new DeviceRestError(400, undefined, `The upload broke off after ${bytes} bytes`);
  }
  return { partPath, bytes, sha256: hash.digest('hex') };
}

/** Gives a complete upload its final name; returns that name relative to the state folder (for the board state). */
export async function keepUpload(upload: ReceivedUpload, stateDir: string): Promise<string> {
  const fileName = path.join(STAGING_DIR, `${path.basename(upload.partPath, '.part')}.imagepackage`);
  await fs.promises.rename(upload.partPath, path.join(stateDir, fileName));
  return fileName;
}

export async function discardUpload(upload: ReceivedUpload): Promise<void> {
  await fs.promises.rm(upload.partPath, { force: true });
}

/** Removes a staged package the board state no longer names (installed, replaced by a newer one). */
export async function removeStagedFile(stateDir: string, fileName: string): Promise<void> {
  await fs.promises.rm(path.join(stateDir, fileName), { force: true });
}

/**
 * Removes everything in the staging folder except `keep` (the package the state names, if any): part files of uploads
 * a killed simulator never finished, and packages that a recovery forgot.
 */
export async function sweepStaging(stateDir: string, keep: string | undefined): Promise<void> {
  const dir = path.join(stateDir, STAGING_DIR);
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const kept = keep === undefined ? undefined : path.basename(keep);
  await Promise.all(names.filter((name) => name !== kept).map((name) => fs.promises.rm(path.join(dir, name), { force: true })));
}
