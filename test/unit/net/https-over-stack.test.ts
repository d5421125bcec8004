/** TLS and HTTPS through two NetStacks: the client and server integrations other modules depend on. */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as tls from 'node:tls';
import { BOARD, PC, stackPair, type StackPair } from '../../helpers/stacks';
import { createFaultyLinkPair } from '../../helpers/faulty-channel';
import { request, serveHttps, StackHttpsAgent } from '../../helpers/https-over-stack';
import { tlsFixture } from '../../helpers/test-pki';
import { testSeed } from '../../helpers/test-seed';

describe('net: TLS and HTTPS over the stack', function () {
  this.timeout(20000);
  let pair: StackPair;
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    while (cleanups.length) cleanups.pop()?.();
    await pair?.close();
  });

  it('tls.connect({ socket }) verifies the board certificate and carries data both ways', async () => {
    const fx = tlsFixture();
    pair = stackPair();
    const server = tls.createServer({ key: fx.key, cert: fx.cert }, (s) => s.pipe(s));
    cleanups.push(() => server.close());
    pair.board.listen(443, (sock) => server.emit('connection', sock));
    const socket = pair.pc.connect({ host: BOARD, port: 443 });
    const t = tls.connect({ socket, servername: 'x.devices.sphere.azure.local', ca: fx.ca });
    await once(t, 'secureConnect');
    assert.equal(t.authorized, true);
    const data = Buffer.alloc(100_000, 0x5a);
    const chunks: Buffer[] = [];
    t.on('data', (c: Buffer) => chunks.push(c));
    t.write(data);
    while (Buffer.concat(chunks).length < data.length) await once(t, 'data');
    assert.ok(Buffer.concat(chunks).equals(data));
    t.end();
    await once(t, 'close');
  });

  it('rejects a server certificate from another CA', async () => {
    const fx = tlsFixture();
    pair = stackPair();
    const server = tls.createServer({ key: fx.key, cert: fx.cert }, (s) => s.end());
    server.on('tlsClientError', () => {});
    cleanups.push(() => server.close());
    pair.board.listen(443, (sock) => server.emit('connection', sock));
    const socket = pair.pc.connect({ host: BOARD, port: 443 });
    const t = tls.connect({ socket, servername: 'x.devices.sphere.azure.local', ca: [] as string[] });
    const [err] = await once(t, 'error') as [NodeJS.ErrnoException];
    assert.match(String(err.code), /CERT|SELF_SIGNED|UNABLE/);
  });

  it('https.request through an Agent subclass reaches an https.Server fed with our sockets (keep-alive)', async () => {
    const fx = tlsFixture();
    pair = stackPair();
    let connections = 0;
    const srv = serveHttps(pair.board, 443, fx, (req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => {
        res.setHeader('REST-API-Version', '4.4.0');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ path: req.url, method: req.method, got: Buffer.concat(body).length }));
      });
    });
    srv.server.on('secureConnection', () => connections++);
    cleanups.push(() => srv.close());
    const agent = new StackHttpsAgent(pair.pc, fx.ca);
    cleanups.push(() => agent.destroy());
    const opts = { host: BOARD, port: 443, agent, servername: 'a.devices.sphere.azure.local', headers: { Accept: 'application/json' } };
    const r1 = await request({ ...opts, path: '/status' });
    assert.equal(r1.status, 200);
    assert.equal(r1.headers['rest-api-version'], '4.4.0');
    assert.deepEqual(JSON.parse(r1.body.toString()), { path: '/status', method: 'GET', got: 0 });
    const big = Buffer.alloc(300_000, 7);
    const r2 = await request({ ...opts, path: '/update/stage', method: 'PUT', headers: { 'content-type': 'application/octet-stream' } }, big);
    assert.equal(JSON.parse(r2.body.toString()).got, big.length);
    assert.equal(connections, 1, 'keep-alive reuses one TLS connection');
  });

  it('https.request({ createConnection }) works with a plain tls socket over the stack, board to PC direction too', async () => {
    const fx = tlsFixture();
    pair = stackPair();
    // Node's TLS over a JS Duplex does not know the peer address: the server learns it from our TcpSocket.
    let peer = '';
    const srv = serveHttps(pair.pc, 8443, fx, (_req, res) => res.end(`hello ${peer}`), (sock) => { peer = `${sock.remoteAddress}:${sock.remotePort}`; });
    cleanups.push(() => srv.close());
    const r = await request({
      // No `agent` at all: only then does Node use createConnection (agent:false would make a fresh OS-routed Agent).
      host: PC, port: 8443, path: '/',
      createConnection: () => tls.connect({ socket: pair.board.connect({ host: PC, port: 8443 }), host: PC, ca: fx.ca }),
    } as import('node:https').RequestOptions);
    assert.equal(r.status, 200);
    assert.match(r.body.toString(), /^hello 192\.168\.35\.2:\d+$/);
  });

  it('keeps HTTPS intact over a test channel that loses, duplicates, reorders and corrupts frames', async () => {
    const fx = tlsFixture();
    // Faults from the test's seed. The three rounds carry 1.2 MB of data, at least 822 full 1460-byte segments through
    // the channel; for each, P(lost) = 0.05 and P(a copy gets a flipped bit) ≥ 0.95 · 0.03. So the checks below see no
    // luck: P(5 or fewer of 822 lost) ≈ 7e-13, P(none corrupted) ≤ (1 − 0.0285)^822 ≈ 5e-11, P(no data segment lost,
    // hence no retransmission) = 0.95^822 ≈ 5e-19.
    const { ends, stats } = createFaultyLinkPair(testSeed(), { loss: 0.05, duplicate: 0.03, reorder: 0.05, corrupt: 0.03, noise: 0.02 });
    pair = stackPair({ links: ends, tcp: { minRtoMs: 20, initialRtoMs: 100 } });
    const srv = serveHttps(pair.board, 443, fx, (req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => res.end(Buffer.concat(parts).reverse()));
    });
    cleanups.push(() => srv.close());
    const agent = new StackHttpsAgent(pair.pc, fx.ca);
    cleanups.push(() => agent.destroy());
    const body = Buffer.alloc(200_000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
    for (let round = 0; round < 3; round++) {
      const r = await request({ host: BOARD, port: 443, path: '/x', method: 'PUT', agent, servername: 'a.devices.sphere.azure.local' }, body);
      assert.ok(r.body.equals(Buffer.from(body).reverse()), `round ${round}`);
    }
    assert.ok(stats.lost > 5 && stats.corrupted > 0, `faults injected: ${JSON.stringify(stats)}`);
    assert.ok(pair.pc.counters.retransmits + pair.board.counters.retransmits > 0);
  });
});
