/**
 * The real serial path: a pty pair, `serialport` on the slave (the extension's side, as with a board's service UART),
 * a NetStack on each end, and HTTPS with real certificates through Node's tls in both directions.
 */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { SerialPort } from 'serialport';
import { NetStack } from '../../../src/device/net';
import { request, serveHttps, StackHttpsAgent } from './helpers/https-over-stack';
import { openPtyPair } from './helpers/pty-pair';
import { BOARD, PC } from './helpers/stacks';
import { tlsFixture } from './helpers/tls-fixtures';

describe('net: HTTPS over a real pty with serialport', function () {
  this.timeout(30_000);

  it('serves and requests HTTPS both ways; every byte value crosses the line intact', async () => {
    const fx = tlsFixture();
    const { slavePath, master, releaseSlave } = openPtyPair();
    const port = new SerialPort({ path: slavePath, baudRate: 921600 });
    await once(port, 'open');
    releaseSlave();
    const pc = new NetStack(port, { localAddress: PC });
    const board = new NetStack(master, { localAddress: BOARD });
    const agents: StackHttpsAgent[] = [];
    const servers: Array<{ close(): void }> = [];
    try {
      // Board serves the device REST API; the body echoes a digest of what it got.
      servers.push(serveHttps(board, 443, fx, (req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () => {
          const body = Buffer.concat(parts);
          res.setHeader('content-type', 'application/octet-stream');
          res.end(Buffer.concat([Buffer.from(`${req.method} ${req.url} ${body.length}\n`), body]));
        });
      }));
      const toBoard = new StackHttpsAgent(pc, fx.ca);
      agents.push(toBoard);
      const all = Buffer.alloc(256 * 400);
      for (let i = 0; i < all.length; i++) all[i] = (i * 131) & 0xff; // every byte value, SLIP END/ESC included
      const r = await request({ host: BOARD, port: 443, path: '/update/stage', method: 'PUT', agent: toBoard, servername: 'a.devices.sphere.azure.local' }, all);
      assert.equal(r.status, 200);
      const nl = r.body.indexOf(10);
      assert.equal(r.body.subarray(0, nl).toString(), `PUT /update/stage ${all.length}`);
      assert.ok(r.body.subarray(nl + 1).equals(all), 'body echoed intact');

      // And the other way: a service on the PC reached from the board.
      servers.push(serveHttps(pc, 8443, fx, (req, res) => res.end(`pc saw ${req.url}`)));
      const toPc = new StackHttpsAgent(board, fx.ca);
      agents.push(toPc);
      const back = await request({ host: PC, port: 8443, path: '/hello', agent: toPc });
      assert.equal(back.body.toString(), 'pc saw /hello');

      assert.equal(pc.counters.slipErrors + board.counters.slipErrors, 0);
      assert.equal(pc.counters.tcpChecksumErrors + board.counters.tcpChecksumErrors, 0);
      assert.ok(pc.counters.framesOut > 50);
    } finally {
      for (const a of agents) a.destroy();
      for (const s of servers) s.close();
      const closed = [once(pc, 'close'), once(board, 'close')];
      pc.destroy();
      board.destroy();
      await Promise.all(closed);
      if (port.isOpen) await new Promise((r) => port.close(r));
    }
  });
});
