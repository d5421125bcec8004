/**
 * The real serial path: a pty pair, `serialport` on the slave (the extension's side, as with a board's service UART),
 * a NetStack on each end, and HTTPS with real certificates through Node's tls in both directions.
 */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { NetStack, pacedLink, wireTimeMs } from '../../../src/device/net';
import { request, serveHttps, StackHttpsAgent } from '../../helpers/https-over-stack';
import { openPtyDuplex } from '../../helpers/pty-pair';
import { BOARD, PC } from '../../helpers/stacks';
import { tlsFixture } from '../../helpers/test-pki';

/** Runs `fn` with a PC stack on SerialPort(slave) and a board stack on the master; tears everything down after. */
async function withPtyStacks(baudRate: number | undefined, fn: (pc: NetStack, board: NetStack, cleanups: Array<() => void>) => Promise<void>): Promise<void> {
  const { slavePath, master } = await openPtyDuplex();
  const port = new SerialPort({ path: slavePath, baudRate: baudRate ?? 921600 });
  await once(port, 'open');
  const wrap = (d: Duplex) => (baudRate ? pacedLink(d, { baudRate }) : d);
  const pc = new NetStack(wrap(port), { localAddress: PC });
  const board = new NetStack(wrap(master), { localAddress: BOARD });
  const cleanups: Array<() => void> = [];
  try {
    await fn(pc, board, cleanups);
  } finally {
    for (const c of cleanups.reverse()) c();
    const closed = [once(pc, 'close'), once(board, 'close')];
    pc.destroy();
    board.destroy();
    await Promise.all(closed);
    if (port.isOpen) await new Promise((r) => port.close(r));
  }
}

describe('net: HTTPS over a real pty with serialport', function () {
  this.timeout(30_000);

  it('serves and requests HTTPS both ways; every byte value crosses the line intact', async () => {
    const fx = tlsFixture();
    await withPtyStacks(undefined, async (pc, board, cleanups) => {
      // Board serves the device REST API; the body echoes what it got.
      const srv = serveHttps(board, 443, fx, (req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () => {
          const body = Buffer.concat(parts);
          res.setHeader('content-type', 'application/octet-stream');
          res.end(Buffer.concat([Buffer.from(`${req.method} ${req.url} ${body.length}\n`), body]));
        });
      });
      cleanups.push(() => srv.close());
      const toBoard = new StackHttpsAgent(pc, fx.ca);
      cleanups.push(() => toBoard.destroy());
      const all = Buffer.alloc(256 * 400);
      for (let i = 0; i < all.length; i++) all[i] = (i * 131) & 0xff; // every byte value, SLIP END/ESC included
      const r = await request({ host: BOARD, port: 443, path: '/update/stage', method: 'PUT', agent: toBoard, servername: 'a.devices.sphere.azure.local' }, all);
      assert.equal(r.status, 200);
      const nl = r.body.indexOf(10);
      assert.equal(r.body.subarray(0, nl).toString(), `PUT /update/stage ${all.length}`);
      assert.ok(r.body.subarray(nl + 1).equals(all), 'body echoed intact');

      // And the other way: a service on the PC reached from the board.
      const pcSrv = serveHttps(pc, 8443, fx, (req, res) => res.end(`pc saw ${req.url}`));
      cleanups.push(() => pcSrv.close());
      const toPc = new StackHttpsAgent(board, fx.ca);
      cleanups.push(() => toPc.destroy());
      const back = await request({ host: PC, port: 8443, path: '/hello', agent: toPc });
      assert.equal(back.body.toString(), 'pc saw /hello');

      assert.equal(pc.counters.slipErrors + board.counters.slipErrors, 0);
      assert.equal(pc.counters.tcpChecksumErrors + board.counters.tcpChecksumErrors, 0);
      assert.ok(pc.counters.framesOut > 50);
    });
  });

  it('paced at 921600 baud on both ends with pacedLink, a 64 KiB download takes at least its wire time', async () => {
    const fx = tlsFixture();
    await withPtyStacks(921600, async (pc, board, cleanups) => {
      const body = Buffer.alloc(64 * 1024, 0x41);
      const srv = serveHttps(board, 443, fx, (_req, res) => res.end(body));
      cleanups.push(() => srv.close());
      const agent = new StackHttpsAgent(pc, fx.ca);
      cleanups.push(() => agent.destroy());
      const opts = { host: BOARD, port: 443, agent, servername: 'a.devices.sphere.azure.local' };
      await request({ ...opts, path: '/warm' }); // TLS handshake first
      const t0 = performance.now();
      const r = await request({ ...opts, path: '/log' });
      const elapsed = performance.now() - t0;
      assert.ok(r.body.equals(body));
      const floor = wireTimeMs(body.length, 921600);
      assert.ok(elapsed >= floor, `took ${elapsed.toFixed(0)} ms, less than the ${floor.toFixed(0)} ms the bytes need on the wire`);
    });
  });
});
