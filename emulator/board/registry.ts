// Announcement of running simulated boards: one JSON file per board in a shared folder, so the extension finds
// simulated boards with no configuration. The extension imports the type and resolver from here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessAlive } from '../common/state-lock';
import { writeFileAtomic } from './atomic-file';

/** Content of `<registryDir>/<deviceId>.json`. */
export interface SimulatedBoardAnnouncement {
  deviceId: string;
  /** Path the extension opens with serialport (a symlink to the pty slave). */
  linkPath: string;
  /** PEM of the CA the board's TLS certificate chains to. */
  caCertPath: string;
  baud: number;
  pid: number;
  name: string;
  /** The recovery UART's link (115200 8N1, XMODEM recovery; see recovery-uart.ts), absent in older announcements. */
  recoveryLinkPath?: string;
  recoveryBaud?: number;
}

/** `SPHERE_SIM_REGISTRY` if set, else `<tmpdir>/sphere-explorer/boards`. */
export function resolveRegistryDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SPHERE_SIM_REGISTRY;
  return fromEnv && fromEnv.length > 0 ? fromEnv : path.join(os.tmpdir(), 'sphere-explorer', 'boards');
}

export function announcementPath(registryDir: string, deviceId: string): string {
  return path.join(registryDir, `${deviceId}.json`);
}

export async function writeAnnouncement(registryDir: string, announcement: SimulatedBoardAnnouncement): Promise<string> {
  await fs.promises.mkdir(registryDir, { recursive: true });
  const filePath = announcementPath(registryDir, announcement.deviceId);
  await writeFileAtomic(filePath, `${JSON.stringify(announcement, null, 2)}\n`, 0o644);
  return filePath;
}

export async function removeAnnouncement(registryDir: string, deviceId: string): Promise<void> {
  await fs.promises.rm(announcementPath(registryDir, deviceId), { force: true });
}

/** Announcements whose process is still alive (stale files of killed boards are skipped, not deleted). */
export async function listAnnouncements(registryDir: string = resolveRegistryDir()): Promise<SimulatedBoardAnnouncement[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(registryDir);
  } catch {
    return [];
  }
  const result: SimulatedBoardAnnouncement[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      const parsed = JSON.parse(await fs.promises.readFile(path.join(registryDir, name), 'utf8')) as SimulatedBoardAnnouncement;
      if (isProcessAlive(parsed.pid)) {
        result.push(parsed);
      }
    } catch {
      // A file being replaced or of another shape: not a board we can use.
    }
  }
  return result;
}
