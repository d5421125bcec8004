// Crash-safe file writes: a reader (or the next run after a kill) sees the old content or the new, never a torn file.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `content` to a temp file beside `filePath`, fsyncs it, renames it over `filePath` and fsyncs the folder. */
export async function writeFileAtomic(filePath: string, content: string | Buffer, mode = 0o600): Promise<void> {
  const tempPath = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.promises.open(tempPath, 'w', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.promises.rename(tempPath, filePath);
  } catch (error) {
    await fs.promises.rm(tempPath, { force: true });
    throw error;
  }
  const dir = await fs.promises.open(path.dirname(filePath), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Synchronous twin for first-run setup, where nothing else is running yet. */
export function writeFileAtomicSync(filePath: string, content: string | Buffer, mode = 0o600): void {
  const tempPath = `${filePath}.${process.pid}.tmp`;
  const fd = fs.openSync(tempPath, 'w', mode);
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tempPath, filePath);
}
