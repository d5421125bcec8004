// One process per state folder (one simulated board, one cloud emulator): two writers of the same state would
// corrupt it, and two boards would share one identity. The lock is a file holding the owner's pid; a lock left by
// a process that no longer runs (kill -9) is taken over, a live one is a clear error.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `stateDir` (creating the folder); returns the function that releases it. */
export function lockStateDir(stateDir: string, lock: { fileName: string; holder: string }): () => void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, lock.fileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isProcessAlive(owner)) {
        throw new Error(`The state folder ${stateDir} is in use by another ${lock.holder} (process ${owner})`, { cause: err });
      }
      unlinkSync(path); // stale: its owner is gone
    }
  }
  throw new Error(`Could not lock the state folder ${stateDir}`);
}
