// One emulator per state directory: two writers appending to one journal would interleave records. The lock is a
// file holding the owner's pid; a lock left by a dead process (kill -9) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class StateDirInUseError extends Error {}

/** Takes the lock of `stateDir`; returns the function that releases it. */
export function lockStateDir(stateDir: string): () => void {
  const path = join(stateDir, 'emulator.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new StateDirInUseError(`state directory ${stateDir} is in use by another cloud emulator (pid ${owner})`);
      }
      unlinkSync(path); // stale: its owner is gone
    }
  }
  throw new StateDirInUseError(`could not lock state directory ${stateDir}`);
}
