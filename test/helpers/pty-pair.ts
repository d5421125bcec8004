/**
 * The board's end of a real pseudo-terminal pair as a Duplex, for tests that put a NetStack on it. It is the
 * simulator's own pty pair (emulator/board/pty-pair.ts: openpty(3) through @lydell/node-pty's raw binding), so tests
 * and the simulator share one implementation; the PC's side opens `slavePath` with `serialport`, exactly like a
 * board's /dev/ttyUSB*.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { openPtyPair } from '../../emulator/board/pty-pair';

export interface PtyDuplex {
  /** e.g. /dev/pts/3: open it with SerialPort. */
  slavePath: string;
  /** The other end; destroying it closes the pty. */
  master: Duplex;
}

export async function openPtyDuplex(): Promise<PtyDuplex> {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-pty-'));
  const pair = await openPtyPair(join(dir, 'tty'), 'openpty');
  const master = new Duplex({
    read() {
      pair.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      pair.write(chunk);
      callback();
    },
    destroy(err, callback) {
      void pair.close().finally(() => {
        rmSync(dir, { recursive: true, force: true });
        callback(err);
      });
    },
  });
  pair.on('data', (chunk: Buffer) => {
    if (!master.push(chunk)) pair.pause();
  });
  return { slavePath: pair.slavePath, master };
}
