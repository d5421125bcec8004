// Durable small-file writes for the state directory (TLS material, signing key, port): write a temporary file,
// fsync it, rename it over the target, fsync the directory. A crash leaves either the old file or the new one.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDirectory } from './journal';

export function writeFileDurably(path: string, content: string, mode = 0o600): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirectory(dirname(path));
}
