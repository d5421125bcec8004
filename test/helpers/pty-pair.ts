/**
 * A real pseudo-terminal pair from openpty(3) through @lydell/node-pty's raw native binding (see
 * shared/reference/real-editor-testing.md §6): the slave path is opened with `serialport` exactly like a board's
 * /dev/ttyUSB*, and the master fd plays the board's end of the wire.
 */
import * as fs from 'node:fs';
import { Duplex } from 'node:stream';
import * as tty from 'node:tty';

interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
}

export interface PtyPair {
  /** e.g. /dev/pts/3: open it with SerialPort. */
  slavePath: string;
  /** The other end as a Duplex (reads via a tty stream; writes with asynchronous fs.write, retried on EAGAIN). */
  master: Duplex;
  /**
   * Call once SerialPort has opened the slave. Until then we hold a slave fd ourselves: with no slave fd open, reads on
   * the master fail with EIO (a hang-up), which would tear the pair down before SerialPort gets to open it.
   */
  releaseSlave(): void;
}

export function openPtyPair(): PtyPair {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const native = require('@lydell/node-pty-linux-x64/pty.node') as NativePty;
  const term = native.open(80, 24);
  let slaveFd: number | undefined = term.slave; // never read: SerialPort opens the slave by path
  const releaseSlave = () => {
    if (slaveFd !== undefined) fs.closeSync(slaveFd);
    slaveFd = undefined;
  };
  const fd = term.master;
  const reader = new tty.ReadStream(fd);
  let closed = false;
  const master = new Duplex({
    read() {
      reader.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      const writeAll = (buf: Buffer) => {
        fs.write(fd, buf, 0, buf.length, null, (err, n) => {
          // The tty stream made the master fd non-blocking: a full pty buffer answers EAGAIN; try again shortly
          // (the reader on the other side drains it) instead of failing the line.
          if (err && err.code === 'EAGAIN') return setTimeout(writeAll, 1, buf);
          if (err) return cb(err);
          if (n < buf.length) writeAll(buf.subarray(n));
          else cb();
        });
      };
      writeAll(chunk);
    },
    destroy(err, cb) {
      if (!closed) {
        closed = true;
        releaseSlave();
        reader.destroy(); // closes the master fd
      }
      cb(err);
    },
  });
  reader.on('data', (d: Buffer) => {
    if (!master.push(d)) reader.pause();
  });
  // EIO on the master means the slave side was closed: the line hung up.
  reader.on('error', () => master.destroy());
  reader.on('end', () => master.push(null));
  return { slavePath: term.pty, master, releaseSlave };
}
