// Append-only journal: the emulator's only durable store.
// Each record is one line `<crc32 hex> <json>\n`. An append resolves only after the bytes are fsynced, so an
// acknowledged write survives `kill -9`. Concurrent appends are group-committed: while one write+fsync is in
// flight, newer records queue up and go to disk together in the next write, so 1,000 concurrent claims cost a
// handful of fsyncs instead of 1,000.
// On open, the file is replayed; a torn tail (the process died mid-write) is cut off, because nothing in it was
// ever acknowledged. Damage anywhere else is reported, never silently skipped.
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';

interface PendingAppend {
  line: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class JournalCorruptError extends Error {}

function encodeLine(record: unknown): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/** Parses one line; undefined when it is damaged (wrong checksum, not JSON, no separator). */
function decodeLine(line: string): unknown {
  const space = line.indexOf(' ');
  if (space !== 8) return undefined;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** fsync a directory so a newly created or renamed entry in it is durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads every intact record of the journal at `path`, cutting off a torn tail in place.
 * Throws JournalCorruptError when a damaged line is followed by intact ones (that is not a crash artefact).
 */
export function replayJournal(path: string): unknown[] {
  if (!existsSync(path)) return [];
  const bytes = readFileSync(path);
  const records: unknown[] = [];
  let offset = 0;
  let tornAt: number | undefined;
  while (offset < bytes.length) {
    const newline = bytes.indexOf(0x0a, offset);
    const end = newline === -1 ? bytes.length : newline;
    const record = newline === -1 ? undefined : decodeLine(bytes.subarray(offset, end).toString('utf8'));
    if (record === undefined) {
      tornAt ??= offset;
    } else {
      if (tornAt !== undefined) {
        throw new JournalCorruptError(`journal ${path} is damaged at byte ${tornAt}, before intact records; refusing to guess`);
      }
      records.push(record);
    }
    offset = end + 1;
  }
  if (tornAt !== undefined) {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, tornAt);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return records;
}

export class Journal {
  private queue: PendingAppend[] = [];
  private flushing = false;
  private failure: Error | undefined;
  /** Resolves when everything appended so far is durable. */
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  /** How many records were written in how many write+fsync rounds (group commit makes flushes ≪ records). */
  readonly stats = { records: 0, flushes: 0 };

  private constructor(private readonly file: FileHandle) {}

  static async open(path: string): Promise<Journal> {
    const created = !existsSync(path);
    const file = await open(path, 'a', 0o600);
    if (created) {
      await file.sync();
      fsyncDirectory(dirname(path));
    }
    return new Journal(file);
  }

  /** Queues a record; the promise resolves once it is on disk (written and fsynced). */
  append(record: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    if (this.failure) return Promise.reject(this.failure);
    const line = encodeLine(record);
    const done = new Promise<void>((resolve, reject) => this.queue.push({ line, resolve, reject }));
    this.tail = done;
    void this.flush();
    return done;
  }

  /** Resolves once every record appended before this call is durable (rejects if the journal failed). */
  durable(): Promise<void> {
    return this.tail;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.file.write(batch.map((p) => p.line).join(''));
        await this.file.datasync();
        this.stats.records += batch.length;
        this.stats.flushes += 1;
        for (const p of batch) p.resolve();
      } catch (err) {
        // After a failed write the file's tail is unknown: refuse all further writes rather than risk acknowledging
        // something that is not on disk.
        this.failure = new Error(`journal write failed: ${(err as Error).message}`);
        for (const p of [...batch, ...this.queue]) p.reject(this.failure);
        this.queue = [];
      }
    }
    this.flushing = false;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail.catch(() => undefined);
    await this.file.close();
  }
}
