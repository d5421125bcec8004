// Writes a recovery image set (the emulator's deterministic builder) into a folder, as a user's `--images` folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildRecoveryImageSet, type RecoveryImageSetSpec } from '../../emulator/cloud/recovery-images';

/** A few kilobytes: quick over 115200 baud, still several XMODEM-1K blocks and short last blocks. */
export const SMALL_SET: RecoveryImageSetSpec = {
  osVersion: '25.02',
  bootloaderBytes: 1500,
  images: [
    { file: 'one.bin', bytes: 2048 },
    { file: 'two.bin', bytes: 700 },
    { file: 'three.bin', bytes: 1025 },
  ],
};

export function writeImageFolder(folder: string, spec: RecoveryImageSetSpec = SMALL_SET): string {
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, bytes] of buildRecoveryImageSet(spec).files) fs.writeFileSync(path.join(folder, name), bytes);
  return folder;
}
