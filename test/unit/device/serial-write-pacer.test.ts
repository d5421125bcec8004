// The transmit pacer on a real pty pair (socat) opened with serialport at both ends: bytes reach the other end no
// faster than the UART rate, the writer sees backpressure once ~4 KiB wait, and reads pass through untouched.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { UartPacer } from '../../../src/device/serial-write-pacer';

const BAUD = 115200; // 11,520 bytes per second (8N1)

function openPort(p: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path: p, baudRate: BAUD }, (err) => (err ? reject(err) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

describe('UART transmit pacer', () => {
  let dir: string;
  let socat: ChildProcess;
  let a: SerialPort;
  let b: SerialPort;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pacer-'));
    socat = spawn('socat', [`pty,raw,echo=0,link=${dir}/a`, `pty,raw,echo=0,link=${dir}/b`], { stdio: 'ignore' });
    const deadline = Date.now() + 5_000;
    while (!(existsSync(`${dir}/a`) && existsSync(`${dir}/b`))) {
      if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
    [a, b] = await Promise.all([openPort(`${dir}/a`), openPort(`${dir}/b`)]);
  });
  afterEach(async () => {
    await Promise.all([closePort(a), closePort(b)]);
    await new Promise<void>((resolve) => {
      socat.once('exit', () => resolve());
      socat.kill();
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers no faster than the line rate and reports backpressure beyond its queue', async () => {
    const pacer = new UartPacer(a as unknown as Duplex, { baudRate: BAUD, queueBytes: 4096 });
    let received = 0;
    const arrivals: { at: number; total: number }[] = [];
    b.on('data', (chunk: Buffer) => {
      received += chunk.length;
      arrivals.push({ at: performance.now(), total: received });
    });
    const frame = Buffer.alloc(1000, 0x42);
    const start = performance.now();
    const accepted: boolean[] = [];
    for (let i = 0; i < 8; i++) accepted.push(pacer.write(frame));
    // The first frame goes straight to the line; four more fit the 4 KiB queue; then the writer is told to wait.
    assert.deepEqual(accepted, [true, true, true, true, true, false, false, false]);
    await new Promise<void>((resolve) => pacer.once('drain', () => resolve()));
    while (received < 8000) await new Promise((r) => setTimeout(r, 10));
    const elapsedMs = performance.now() - start;
    // 8000 bytes take 694 ms on the line; the last frame starts at 608 ms and is handed over then.
    assert.ok(elapsedMs >= 590, `8000 bytes arrived after ${elapsedMs.toFixed(0)} ms`);
    for (const { at, total } of arrivals) {
      const lineBytes = ((at - start) / 1000) * (BAUD / 10);
      assert.ok(total <= lineBytes + 1000 + 64, `${total} bytes had arrived after ${(at - start).toFixed(0)} ms`);
    }
    pacer.destroy();
  });

  it('passes received bytes through and goes down with the port', async () => {
    const pacer = new UartPacer(a as unknown as Duplex, { baudRate: BAUD });
    const got: Buffer[] = [];
    pacer.on('data', (c: Buffer) => got.push(c));
    b.write(Buffer.from('hello board'));
    while (Buffer.concat(got).length < 11) await new Promise((r) => setTimeout(r, 5));
    assert.equal(Buffer.concat(got).toString(), 'hello board');
    const closed = new Promise<void>((resolve) => pacer.once('close', () => resolve()));
    await closePort(a);
    await closed;
    assert.ok(pacer.destroyed);
  });
});
