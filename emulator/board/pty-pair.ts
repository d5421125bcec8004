// The board end of a pseudo-terminal: the board reads and writes the master; the extension opens the slave by
// path (through a symlink) with serialport, as it would a USB serial adapter. Uses openpty from @lydell/node-pty's
// prebuilt raw binding (not its high-level API, which would read the slave and steal bytes); socat if that fails.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import * as tty from 'node:tty';

export interface PtyPair extends EventEmitter {
  /** `/dev/pts/N` (or socat's link) that the PC side opens. */
  readonly slavePath: string;
  readonly backend: 'openpty' | 'socat';
  /** Sends bytes to the PC side. */
  write(bytes: Buffer): void;
  /** Flow control: stop / restart reading what the PC side writes (it then blocks in the pty's buffer). */
  pause(): void;
  resume(): void;
  /** Closes the master: the PC side sees the device vanish. */
  close(): Promise<void>;
  /** The baud rate the PC side set on the port (the pty's termios), when this backend can read it. */
  lineBaud?(): Promise<number | undefined>;
  // Events: 'data' (Buffer from the PC side).
}

interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
}

function loadNativePty(): NativePty {
  const packageName = `@lydell/node-pty-${process.platform}-${process.arch}/pty.node`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native .node binding, resolved at run time
  return require(packageName) as NativePty;
}

/** Retry delay when the pty's input queue is full because nobody reads the slave. */
const FULL_RETRY_MS = 5;

class OpenPtyPair extends EventEmitter implements PtyPair {
  readonly backend = 'openpty' as const;
  readonly slavePath: string;
  private readonly master: number;
  private readonly reader: tty.ReadStream;
  /** Keeps one slave descriptor open so reads on the master do not fail with EIO while no client has the port. */
  private readonly slaveHolder: tty.ReadStream;
  private readonly writes: Buffer[] = [];
  private writing = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(native: NativePty) {
    super();
    const term = native.open(80, 24);
    this.master = term.master;
    this.slavePath = term.pty;
    // Raw mode on the slave before any client opens it: no echo of our output back to us, no CR/LF mangling.
    this.slaveHolder = new tty.ReadStream(term.slave);
    this.slaveHolder.setRawMode(true);
    // libuv reopened the slave for the holder and left our descriptor as a duplicate of it: close the duplicate.
    fs.closeSync(term.slave);
    this.reader = new tty.ReadStream(term.master);
    this.reader.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // EIO when the last slave descriptor closes (only at shutdown, since we hold one): nothing to report.
    this.reader.on('error', () => undefined);
  }

  pause(): void {
    this.reader.pause();
  }

  /**
   * A pty's termios is shared by both ends, so the rate serialport set on the PC's descriptor is readable through the
   * slave descriptor we hold. serialport's own native binding does the ioctl (Node has no termios API); loaded only
   * when asked, i.e. while the simulator's wrong-baud fault is on.
   */
  async lineBaud(): Promise<number | undefined> {
    const fd = (this.slaveHolder as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (this.closed || typeof fd !== 'number' || fd < 0) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native binding, loaded on first use only
    const native = require('@serialport/bindings-cpp/dist/load-bindings') as { asyncGetBaudRate(fd: number): Promise<{ baudRate: number }> };
    return (await native.asyncGetBaudRate(fd)).baudRate;
  }

  resume(): void {
    if (!this.closed) this.reader.resume();
  }

  write(bytes: Buffer): void {
    if (this.closed) return;
    this.writes.push(bytes);
    this.pump();
  }

  private pump(): void {
    if (this.writing || this.closed || this.writes.length === 0) return;
    this.writing = true;
    const bytes = this.writes[0];
    fs.write(this.master, bytes, 0, bytes.length, null, (error, written) => {
      this.writing = false;
      if (this.closed) return;
      if (error) {
        if (error.code === 'EAGAIN') {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.pump();
          }, FULL_RETRY_MS);
          return;
        }
        this.writes.length = 0; // the pty is gone
        return;
      }
      if (written < bytes.length) this.writes[0] = bytes.subarray(written);
      else this.writes.shift();
      this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writes.length = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    while (this.writing) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([closeStream(this.reader), closeStream(this.slaveHolder)]);
  }
}

function closeStream(stream: tty.ReadStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) {
      resolve();
      return;
    }
    stream.once('close', () => resolve());
    stream.destroy();
  });
}

/** Fallback: `socat STDIO pty,raw,echo=0,link=…`; the board talks to socat's stdin/stdout. */
class SocatPtyPair extends EventEmitter implements PtyPair {
  readonly backend = 'socat' as const;
  private constructor(readonly slavePath: string, private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    super();
    child.stdout.on('data', (chunk: Buffer) => this.emit('data', chunk));
    child.stdin.on('error', () => undefined);
  }

  static async open(linkPath: string): Promise<SocatPtyPair> {
    const child = spawn('socat', ['STDIO', `pty,raw,echo=0,link=${linkPath}`], { stdio: ['pipe', 'pipe', 'ignore'] });
    const deadline = Date.now() + 5000;
    while (!fs.existsSync(linkPath)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw new Error(`socat did not create ${linkPath}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return new SocatPtyPair(linkPath, child);
  }

  pause(): void {
    this.child.stdout.pause();
  }

  resume(): void {
    this.child.stdout.resume();
  }

  write(bytes: Buffer): void {
    if (!this.child.stdin.destroyed) this.child.stdin.write(bytes);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve();
        return;
      }
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/**
 * Opens a pty pair and makes `linkPath` a symlink to the side the PC opens. A stale symlink at `linkPath` is
 * replaced; any other file there is an error (we never clobber real files).
 */
export async function openPtyPair(linkPath: string, forceBackend?: 'openpty' | 'socat'): Promise<PtyPair> {
  await removeStaleLink(linkPath);
  if (forceBackend !== 'socat') {
    try {
      const pair = new OpenPtyPair(loadNativePty());
      await fs.promises.symlink(pair.slavePath, linkPath);
      return pair;
    } catch (error) {
      if (forceBackend === 'openpty') throw error;
    }
  }
  return SocatPtyPair.open(linkPath);
}

export async function removeStaleLink(linkPath: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(linkPath);
  } catch {
    return;
  }
  if (!stat.isSymbolicLink()) {
    throw new Error(`${linkPath} exists and is not a symlink; refusing to replace it`);
  }
  await fs.promises.unlink(linkPath);
}
