// Durable file writes for the state directory (TLS material, signing key, port, uploaded image packages): write a temporary file,
// fsync it, rename it over the target, fsync the directory. A crash leaves either the old file or the new one.
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDirectory } from './journal';

export function writeFileDurably(path: string, content: string | Uint8Array, mode = 0o600): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeFileSync(fd, content); // all of it, however large (writeSync may write part)
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirectory(dirname(path));
}
