/**
 * Device REST over the paced serial link, end to end (`npx tsx bench/link-rest.ts`; about two minutes):
 * board simulator on a pty paced at the UART rate ⇄ serialport ⇄ our SLIP/IPv4/TCP stack ⇄ TLS ⇄ HTTP ⇄ REST client.
 *  - bulk `PUT /update/stage` of a 1 MiB image package at 921600 and 115200 baud: payload bytes / (elapsed × line
 *    rate), line rate = baud / 10 bytes per second (8N1); target ≥ 90 %;
 *  - `GET /status` p50 and p99 against the wire time of the request and response frames; target p50 ≤ 1.5×.
 *    The frames are measured in this run: TCP payload of every segment in each direction (tapped on our TCP socket),
 *    plus 40 bytes of IPv4+TCP header, 2 SLIP ENDs and one byte per SLIP escape, per segment. The client's own share
 *    (request start → first byte handed to TCP, last byte from TCP → parsed answer) is shown separately: the rest is
 *    line time, the board simulator's processing and pacing, and the pty.
 * Set BENCH_QUICK=1 for a 256 KiB upload at 115200 baud.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { startSimulatedBoard } from '../emulator/board/simulated-board';
import { DeviceConnection } from '../src/device/device-connection';
import { wireTimeMs } from '../src/device/net';
import { nullLogger } from '../src/common/logger';
import { SerialRoute } from '../src/device/serial-route';
import type { StreamConnector } from '../src/device/transport';
import { appPackageOfSize } from '../test/helpers/app-packages';

const MiB = 1024 * 1024;
const STATUS_SAMPLES = 400;

interface FrameTap {
  segmentsOut: number;
  segmentsIn: number;
  frameBytesOut: number;
  frameBytesIn: number;
  /** performance.now() of the first write since reset, and of the last data received. */
  firstWriteAt: number;
  lastDataAt: number;
}

const escapes = (chunk: Buffer): number => {
  let n = 0;
  for (const b of chunk) if (b === 0xc0 || b === 0xdb) n++;
  return n;
};
const frameBytes = (chunk: Buffer): number => chunk.length + 40 + 2 + escapes(chunk);

/** Wraps a route so every TCP segment's payload is counted as a SLIP frame (each write and each read is one segment). */
function tapped(route: StreamConnector, tap: FrameTap): StreamConnector {
  return {
    label: route.label,
    async connect(options) {
      const socket: Duplex = await route.connect(options);
      socket.on('data', (chunk: Buffer) => {
        tap.lastDataAt = performance.now();
        tap.segmentsIn++;
        tap.frameBytesIn += frameBytes(chunk);
      });
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      (socket as unknown as { write: (...args: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
        if (tap.firstWriteAt === 0) tap.firstWriteAt = performance.now();
        if (Buffer.isBuffer(chunk)) {
          tap.segmentsOut += Math.max(1, Math.ceil(chunk.length / 1460));
          tap.frameBytesOut += frameBytes(chunk) + 42 * (Math.ceil(chunk.length / 1460) - 1);
        }
        return write(chunk, ...rest);
      };
      return socket;
    },
  };
}


const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Figures {
  baud: number;
  uploadBytes: number;
  uploadSeconds: number;
  uploadShare: number;
  statusP50: number;
  statusP99: number;
  statusBoundMs: number;
  /** Our share of a GET /status: request start → first byte to TCP, plus last byte from TCP → answer parsed. */
  clientSideP50: number;
}

async function measure(baud: number, uploadBytes: number): Promise<Figures> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-link-rest-'));
  const board = await startSimulatedBoard({ linkPath: path.join(dir, 'tty'), stateDir: path.join(dir, 'state'), registryDir: path.join(dir, 'registry'), baud });
  const route = new SerialRoute({ path: board.linkPath, baudRate: baud, rtscts: false, logger: nullLogger });
  const tap: FrameTap = { segmentsOut: 0, segmentsIn: 0, frameBytesOut: 0, frameBytesIn: 0, firstWriteAt: 0, lastDataAt: 0 };
  const connection = new DeviceConnection({
    route: tapped(route, tap),
    trust: { kind: 'ca', caPem: board.caCertPem, caLabel: 'simulator CA' },
    deviceId: board.deviceId,
    idleTimeoutMs: 30_000,
  });
  try {
    const { client } = connection;
    for (let i = 0; i < 20; i++) await client.getStatus(); // handshake and warm-up

    const samples: number[] = [];
    const clientSide: number[] = [];
    const before = { ...tap };
    for (let i = 0; i < STATUS_SAMPLES; i++) {
      tap.firstWriteAt = 0;
      const t = performance.now();
      await client.getStatus();
      const end = performance.now();
      samples.push(end - t);
      clientSide.push(tap.firstWriteAt - t + (end - tap.lastDataAt));
    }
    clientSide.sort((a, b) => a - b);
    const perRequestFrameBytes = (tap.frameBytesOut - before.frameBytesOut + tap.frameBytesIn - before.frameBytesIn) / STATUS_SAMPLES;
    const statusBoundMs = wireTimeMs(perRequestFrameBytes, baud);
    samples.sort((a, b) => a - b);

    // The board takes only image packages now: one of exactly this size, its executable a 0–255 pattern.
    const image = appPackageOfSize('2f074b0f-d99d-4692-82d9-ef93a7d6463c', uploadBytes);
    const t0 = performance.now();
    await client.stageUpdate(image);
    const uploadSeconds = (performance.now() - t0) / 1000;
    const staged = board.state.stagedImage;
    if (staged?.bytes !== uploadBytes) throw new Error(`board staged ${staged?.bytes} bytes, expected ${uploadBytes}`);
    return {
      baud,
      uploadBytes,
      uploadSeconds,
      uploadShare: uploadBytes / (uploadSeconds * (baud / 10)),
      statusP50: percentile(samples, 50),
      statusP99: percentile(samples, 99),
      statusBoundMs,
      clientSideP50: percentile(clientSide, 50),
    };
  } finally {
    connection.dispose();
    await route.close();
    await board.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  const runs = [await measure(921600, MiB), await measure(115200, quick ? MiB / 4 : MiB)];
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const ratio = (ms: number, bound: number): string => `${(ms / bound).toFixed(2)}× (${ms.toFixed(2)} ms vs ${bound.toFixed(2)} ms)`;
  const rows: [string, (f: Figures) => string, string][] = [
    ['bulk PUT /update/stage, payload share of line rate', (f) => `${pct(f.uploadShare)} (${(f.uploadBytes / MiB).toFixed(2)} MiB in ${f.uploadSeconds.toFixed(1)} s)`, '≥ 90 %'],
    ['GET /status p50 / wire time of its frames', (f) => ratio(f.statusP50, f.statusBoundMs), '≤ 1.5×'],
    ['GET /status p99 / wire time of its frames', (f) => ratio(f.statusP99, f.statusBoundMs), '—'],
    ['GET /status p50: client-side time (HTTP+TLS in this process) / wire time', (f) => ratio(f.clientSideP50, f.statusBoundMs), '—'],
  ];
  console.log(`\n| measure | ${runs.map((r) => `${r.baud} baud`).join(' | ')} | target |`);
  console.log(`|---|${runs.map(() => '---').join('|')}|---|`);
  for (const [name, cell, target] of rows) console.log(`| ${name} | ${runs.map(cell).join(' | ')} | ${target} |`);
  console.log(`\n(${STATUS_SAMPLES} sequential GET /status per baud rate over one kept-alive TLS connection; upload timed from the first byte to the board's answer.)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
