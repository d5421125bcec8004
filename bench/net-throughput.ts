/**
 * Network stack figures, all measured in this run (`npx tsx bench/net-throughput.ts`; under a minute):
 *  - unpaced bulk throughput of two NetStacks in this one process (so one core does both ends' work);
 *  - CPU time per small request/response (150 B up, 250 B down, setNoDelay), both ends' stacks included;
 *  - bulk payload throughput over a link paced at 921600 and 115200 baud as a share of line rate (8N1), against the
 *    Linux kernel's figures given in docs/board-link.md#throughput (95.5 % and 94.8 %);
 *  - the same bulk transfer inside TLS at 921600 baud (the anchor: TLS costs ≈ 0.2 % more);
 *  - small request/response latency p50 at 921600 baud against the wire time of both frames (kernel: 1.15×);
 *  - bulk between our stack and the Linux kernel's TCP (network namespace + TUN bridge) over a link paced at 921600,
 *    both directions (root only; skipped otherwise).
 * Payload is the 0–255 byte pattern like the anchor measurement (≈ 0.8 % of bytes need a SLIP escape).
 */
import { once } from 'node:events';
import * as tls from 'node:tls';
import { NetStack, createLinkPair, wireTimeMs, type TcpSocket } from '../src/device/net';
import { slipEncode } from '../src/device/net/slip';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createKernelNamespace, kernelInteropUnavailable } from '../test/helpers/kernel-namespace';
import { tlsFixture } from '../test/helpers/test-pki';

const PC = '192.168.35.1';
const BOARD = '192.168.35.2';

function pattern(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = i & 0xff;
  return b;
}

async function withStacks<T>(baudRate: number | undefined, fn: (pc: NetStack, board: NetStack) => Promise<T>): Promise<T> {
  const [a, b] = createLinkPair({ baudRate });
  const pc = new NetStack(a, { localAddress: PC });
  const board = new NetStack(b, { localAddress: BOARD });
  try {
    return await fn(pc, board);
  } finally {
    pc.destroy();
    board.destroy();
  }
}

/** Sends `bytes` from PC to board; returns seconds from the first write to the last byte read, and the server socket's stack counters. */
async function bulk(baudRate: number | undefined, bytes: number): Promise<{ seconds: number; retransmits: number }> {
  return withStacks(baudRate, async (pc, board) => {
    let received = 0;
    const done = new Promise<number>((resolve) => {
      board.listen(5001, (sock) => {
        sock.on('data', (d: Buffer) => {
          received += d.length;
          if (received >= bytes) resolve(performance.now());
        });
      });
    });
    const client = pc.connect({ host: BOARD, port: 5001 });
    await once(client, 'connect');
    const chunk = pattern(64 * 1024);
    const start = performance.now();
    let sent = 0;
    while (sent < bytes) {
      const n = Math.min(chunk.length, bytes - sent);
      sent += n;
      if (!client.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await once(client, 'drain');
    }
    const end = await done;
    client.destroy();
    return { seconds: (end - start) / 1000, retransmits: pc.counters.retransmits };
  });
}

/** Sends `bytes` inside TLS from PC to board; returns seconds from the first write to the last byte read. */
async function bulkTls(baudRate: number, bytes: number): Promise<number> {
  const fx = tlsFixture();
  return withStacks(baudRate, async (pc, board) => {
    const server = tls.createServer({ key: fx.key, cert: fx.cert });
    let received = 0;
    const done = new Promise<number>((resolve) => {
      server.on('secureConnection', (s: tls.TLSSocket) => s.on('data', (d: Buffer) => {
        received += d.length;
        if (received >= bytes) resolve(performance.now());
      }));
    });
    board.listen(443, (sock) => server.emit('connection', sock));
    const client = tls.connect({ socket: pc.connect({ host: BOARD, port: 443 }), servername: 'a.devices.sphere.azure.local', ca: fx.ca });
    await once(client, 'secureConnect');
    const chunk = pattern(64 * 1024);
    const start = performance.now();
    for (let sent = 0; sent < bytes; sent += chunk.length) {
      if (!client.write(chunk.subarray(0, Math.min(chunk.length, bytes - sent)))) await once(client, 'drain');
    }
    const end = await done;
    client.destroy();
    server.close();
    return (end - start) / 1000;
  });
}

/** Sequential small request/responses; returns per-exchange latencies (ms) and CPU µs per exchange. */
async function requestResponse(baudRate: number | undefined, count: number): Promise<{ latencies: number[]; cpuUsPerExchange: number }> {
  return withStacks(baudRate, async (pc, board) => {
    const request = pattern(150);
    const response = pattern(250);
    board.listen(7, (sock: TcpSocket) => {
      sock.setNoDelay(true);
      let got = 0;
      sock.on('data', (d: Buffer) => {
        got += d.length;
        while (got >= request.length) {
          got -= request.length;
          sock.write(response);
        }
      });
    });
    const client = pc.connect({ host: BOARD, port: 7 });
    client.setNoDelay(true);
    await once(client, 'connect');
    const latencies: number[] = [];
    let got = 0;
    let resolveOne: () => void = () => {};
    client.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= response.length) {
        got -= response.length;
        resolveOne();
      }
    });
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const answered = new Promise<void>((r) => { resolveOne = r; });
      client.write(request);
      await answered;
      latencies.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    client.destroy();
    return { latencies, cpuUsPerExchange: (cpu.user + cpu.system) / count };
  });
}

/** Our stack ↔ the kernel's TCP in a namespace, over a paced link: seconds for `bytes` each way. */
async function kernelBulk(baudRate: number, bytes: number): Promise<{ oursToKernel: number; kernelToOurs: number } | string> {
  const why = kernelInteropUnavailable();
  if (why) return why;
  const kernel = await createKernelNamespace('192.168.35.1', { baudRate });
  const stack = new NetStack(kernel.link, { localAddress: BOARD });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'net-bench-'));
  try {
    const script = path.join(dir, 'peer.js');
    fs.writeFileSync(script, `
      const net = require('net');
      const body = Buffer.alloc(${bytes}); for (let i = 0; i < body.length; i++) body[i] = i & 255;
      net.createServer((s) => { let n = 0; s.on('data', (d) => { n += d.length; }); s.on('end', () => s.end(String(n))); }).listen(5001, '192.168.35.1');
      net.createServer((s) => s.end(body)).listen(5002, '192.168.35.1', () => console.log('listening'));
    `);
    const peer = kernel.spawn(process.execPath, [script]);
    await new Promise<void>((resolve, reject) => {
      peer.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) resolve(); });
      peer.once('exit', (code) => reject(new Error(`kernel-side peer exited ${code}`)));
    });
    // ours → kernel: time until the kernel side has counted every byte (its short answer adds one small frame).
    const up = stack.connect({ host: '192.168.35.1', port: 5001 });
    await once(up, 'connect');
    const t0 = performance.now();
    const answer = new Promise<string>((resolve) => { let a = ''; up.on('data', (d: Buffer) => { a += d.toString(); }); up.on('end', () => resolve(a)); });
    const chunk = pattern(64 * 1024);
    for (let sent = 0; sent < bytes; sent += chunk.length) {
      if (!up.write(chunk.subarray(0, Math.min(chunk.length, bytes - sent)))) await once(up, 'drain');
    }
    up.end();
    if (Number(await answer) !== bytes) throw new Error('the kernel side did not receive everything');
    const oursToKernel = (performance.now() - t0) / 1000;
    // kernel → ours: from the established connection to the last byte.
    const down = stack.connect({ host: '192.168.35.1', port: 5002 });
    await once(down, 'connect');
    const t1 = performance.now();
    let got = 0;
    down.on('data', (d: Buffer) => { got += d.length; });
    await once(down, 'end');
    if (got !== bytes) throw new Error(`got ${got} of ${bytes} bytes from the kernel side`);
    return { oursToKernel, kernelToOurs: (performance.now() - t1) / 1000 };
  } finally {
    stack.destroy();
    await kernel.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** SLIP-encoded size of a TCP/IPv4 frame with `payload` pattern bytes (no options). */
function frameBytes(payload: number): number {
  return slipEncode([Buffer.alloc(40), pattern(payload)]).length;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const cpu0 = process.cpuUsage();
  const unpacedBytes = 48 * 1024 * 1024;
  const unpaced = await bulk(undefined, unpacedBytes);
  const cpu = process.cpuUsage(cpu0);
  const mbps = unpacedBytes / unpaced.seconds / 1e6;
  // Per CPU-second too: on a shared machine wall time also counts time other processes had the core.
  const mbPerCpuSecond = unpacedBytes / ((cpu.user + cpu.system) / 1e6) / 1e6;
  rows.push(['unpaced bulk, both stacks in one process (one thread)', `${mbps.toFixed(1)} MB/s wall, ${mbPerCpuSecond.toFixed(1)} MB per CPU-second`, '≥ 5 MB/s', `${(Math.min(mbps, mbPerCpuSecond) / 5).toFixed(2)}×`]);

  await requestResponse(undefined, 200); // warm-up
  const rr = await requestResponse(undefined, 3000);
  rows.push(['CPU per small request/response (150 B up, 250 B down), both stacks', `${rr.cpuUsPerExchange.toFixed(0)} µs`, '', '']);

  for (const [baud, bytes, kernel] of [[921600, 1024 * 1024, 95.5], [115200, 128 * 1024, 94.8]] as const) {
    const r = await bulk(baud, bytes);
    const share = (bytes / r.seconds) / (baud / 10) * 100;
    rows.push([`bulk over a link paced at ${baud} baud (${bytes / 1024} KiB, ${r.seconds.toFixed(1)} s, ${r.retransmits} retransmits)`,
      `${share.toFixed(1)} % of line rate`, `≥ 90 % (kernel ${kernel} %)`, `${(share / 90).toFixed(3)}× target, ${(share / kernel).toFixed(3)}× kernel`]);
  }

  const tlsBytes = 512 * 1024;
  const tlsSeconds = await bulkTls(921600, tlsBytes);
  const tlsShare = (tlsBytes / tlsSeconds) / (921600 / 10) * 100;
  rows.push([`bulk inside TLS over a link paced at 921600 baud (${tlsBytes / 1024} KiB, ${tlsSeconds.toFixed(1)} s)`, `${tlsShare.toFixed(1)} % of line rate`, '≥ 90 %', `${(tlsShare / 90).toFixed(3)}× target`]);

  const paced = await requestResponse(921600, 300);
  const bound = wireTimeMs(frameBytes(150) + frameBytes(250), 921600);
  const p50 = median(paced.latencies.slice(20));
  rows.push(['small request/response p50 at 921600 baud, against wire time of both frames', `${p50.toFixed(2)} ms vs ${bound.toFixed(2)} ms`, 'kernel 1.15×', `${(p50 / bound).toFixed(2)}×`]);

  const kernelBytes = 512 * 1024;
  const k = await kernelBulk(921600, kernelBytes);
  if (typeof k === 'string') rows.push(['bulk between our stack and the Linux kernel at 921600 baud', `skipped: ${k}`, '', '']);
  else {
    for (const [label, seconds] of [['our stack → Linux kernel', k.oursToKernel], ['Linux kernel → our stack', k.kernelToOurs]] as const) {
      const share = (kernelBytes / seconds) / (921600 / 10) * 100;
      rows.push([`${label}, link paced at 921600 baud (${kernelBytes / 1024} KiB, ${seconds.toFixed(1)} s)`, `${share.toFixed(1)} % of line rate`, '≥ 90 % (kernel↔kernel 95.5 %)', `${(share / 95.5).toFixed(3)}× kernel↔kernel`]);
    }
  }

  console.log('| figure | measured | target | ratio |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
