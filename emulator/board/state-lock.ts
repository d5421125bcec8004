// One board per state folder: a lock file holding the owner's pid. A lock left by a process that no longer runs
// is taken over; a live one (including our own process) is a clear error instead of two boards sharing one identity.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LOCK_FILE_NAME = 'board.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StateLock {
  release(): Promise<void>;
}

export async function lockStateDir(stateDir: string): Promise<StateLock> {
  await fs.promises.mkdir(stateDir, { recursive: true });
  const lockPath = path.join(stateDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.promises.writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return { release: () => fs.promises.rm(lockPath, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await fs.promises.readFile(lockPath, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(`The state folder ${stateDir} is in use by another simulated board (process ${owner})`, { cause: error });
      }
      await fs.promises.rm(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`Could not lock the state folder ${stateDir}`);
}
