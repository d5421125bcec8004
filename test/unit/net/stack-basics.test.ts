/** Two NetStacks over an in-process link: handshake, data both ways, FIN, RST, ping, errors. */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { NetError, type TcpSocket } from '../../../src/device/net';
import { BOARD, PC, readAll, stackPair, type StackPair } from '../../helpers/stacks';

describe('net: NetStack basics', () => {
  let pair: StackPair;
  afterEach(async () => { await pair?.close(); });

  it('opens a connection, carries data both ways and closes with FIN in both directions', async () => {
    pair = stackPair();
    const accepted: TcpSocket[] = [];
    pair.board.listen(7, (sock) => {
      accepted.push(sock);
      sock.pipe(sock); // echo; ends our side when the client's FIN arrives
    });
    const client = pair.pc.connect({ host: BOARD, port: 7 });
    assert.equal(client.connecting, true);
    await once(client, 'connect');
    assert.equal(client.connecting, false);
    assert.equal(client.remoteAddress, BOARD);
    assert.equal(client.remotePort, 7);
    assert.equal(client.localAddress, PC);
    assert.ok(client.localPort >= 49152);
    const payload = Buffer.alloc(200_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + (i >> 8)) & 0xff;
    const closed = once(client, 'close');
    client.end(payload);
    const echoed = await readAll(client);
    assert.ok(echoed.equals(payload), 'echo must match byte for byte');
    assert.equal(accepted.length, 1);
    assert.equal(accepted[0].remoteAddress, PC);
    assert.equal(accepted[0].remotePort, client.localPort);
    await closed;
    assert.ok(pair.pc.counters.framesOut > 100);
    assert.equal(pair.pc.counters.retransmits, 0, 'a clean link needs no retransmission');
  });

  it('carries bulk data both ways through sequence-number wrap-around (both ISNs just below 2^32)', async () => {
    pair = stackPair({ tcp: { initialSequenceNumber: () => 0xffff_ffff - 3000 } });
    pair.board.listen(7, (sock) => sock.pipe(sock));
    const client = pair.pc.connect({ host: BOARD, port: 7 });
    const payload = Buffer.alloc(300_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 13) & 0xff;
    client.end(payload);
    const echoed = await readAll(client);
    assert.ok(echoed.equals(payload));
    assert.equal(pair.pc.counters.retransmits + pair.board.counters.retransmits, 0);
  });

  it('half-close: the peer can keep sending after our FIN', async () => {
    pair = stackPair();
    pair.board.listen(80, async (sock) => {
      const request = await readAll(sock); // waits for the client's FIN
      sock.end(Buffer.from(`got ${request.length} bytes`));
    });
    const client = pair.pc.connect({ host: BOARD, port: 80 });
    client.end(Buffer.from('hello world'));
    const reply = await readAll(client);
    assert.equal(reply.toString(), 'got 11 bytes');
  });

  it('refuses a connection to a closed port with ECONNREFUSED (RST to SYN)', async () => {
    pair = stackPair();
    const client = pair.pc.connect({ host: BOARD, port: 4444 });
    const [err] = await once(client, 'error') as [NetError];
    assert.equal(err.code, 'ECONNREFUSED');
    assert.match(err.message, /192\.168\.35\.2:4444/);
    assert.equal(pair.board.counters.dropped.noSocket, 1);
  });

  it('delivers ECONNRESET when the peer aborts', async () => {
    pair = stackPair();
    pair.board.listen(9, (sock) => { sock.once('data', () => sock.destroy(new Error('abort'))); sock.on('error', () => {}); });
    const client = pair.pc.connect({ host: BOARD, port: 9 });
    client.write('x');
    const [err] = await once(client, 'error') as [NetError];
    assert.equal(err.code, 'ECONNRESET');
  });

  it('times out a SYN nobody answers with ETIMEDOUT', async () => {
    pair = stackPair({ tcp: { initialRtoMs: 20, minRtoMs: 10, synRetries: 2 } });
    pair.boardLink.pause(); // the board reads nothing: our SYNs go unanswered
    const client = pair.pc.connect({ host: BOARD, port: 443 });
    const [err] = await once(client, 'error') as [NetError];
    assert.equal(err.code, 'ETIMEDOUT');
    assert.equal(pair.pc.counters.timeouts, 3);
  });

  it('honours connect timeoutMs', async () => {
    pair = stackPair();
    pair.boardLink.pause();
    const started = Date.now();
    const client = pair.pc.connect({ host: BOARD, port: 443, timeoutMs: 150 });
    const [err] = await once(client, 'error') as [NetError];
    assert.equal(err.code, 'ETIMEDOUT');
    assert.ok(Date.now() - started < 900, 'gave up before the first SYN retransmission would have');
  });

  it('answers pings and measures RTT; times out pings to nobody', async () => {
    pair = stackPair();
    const rtt = await pair.pc.ping(BOARD, { size: 1000 });
    assert.ok(rtt >= 0 && rtt < 1000);
    const back = await pair.board.ping(PC);
    assert.ok(back >= 0);
    await assert.rejects(pair.pc.ping('192.168.35.77', { timeoutMs: 50 }), (e: NetError) => e.code === 'ETIMEDOUT');
    assert.equal(pair.board.counters.dropped.notOurs, 1);
  });

  it('reports ELINKDOWN on every connection when the link goes away, and emits close', async () => {
    pair = stackPair();
    pair.board.listen(7, (sock) => { sock.on('error', () => {}); });
    const a = pair.pc.connect({ host: BOARD, port: 7 });
    const b = pair.pc.connect({ host: BOARD, port: 7 });
    await Promise.all([once(a, 'connect'), once(b, 'connect')]);
    assert.equal(pair.pc.counters.connectionsOpen, 2);
    const errors = Promise.all([once(a, 'error'), once(b, 'error')]);
    const closed = once(pair.pc, 'close');
    pair.boardLink.destroy(); // the far end hangs up
    const [[ea], [eb]] = await errors as [[NetError], [NetError]];
    assert.equal(ea.code, 'ELINKDOWN');
    assert.equal(eb.code, 'ELINKDOWN');
    assert.match(ea.message, /serial link down/);
    await closed;
    assert.equal(pair.pc.destroyed, true);
    pair.pc.destroy(); // idempotent
  });

  it('rejects bad arguments before sending anything', () => {
    pair = stackPair();
    assert.throws(() => pair.pc.connect({ host: 'board', port: 443 }), /not an IPv4 address/);
    assert.throws(() => pair.pc.connect({ host: BOARD, port: 70000 }), /port must be/);
    assert.throws(() => pair.pc.listen(0, () => {}), /port must be/);
    pair.pc.listen(5, () => {});
    assert.throws(() => pair.pc.listen(5, () => {}), /EADDRINUSE/);
    assert.equal(pair.pc.counters.framesOut, 0);
  });

  it('emits timeout after idle time', async () => {
    pair = stackPair();
    pair.board.listen(7, () => {});
    const client = pair.pc.connect({ host: BOARD, port: 7 });
    await once(client, 'connect');
    const t0 = Date.now();
    client.setTimeout(60);
    await once(client, 'timeout');
    assert.ok(Date.now() - t0 >= 50);
    client.destroy();
  });
});

describe('net: keep-alive', () => {
  let pair: StackPair;
  afterEach(async () => { await pair?.close(); });

  it('probes a quiet peer that answers, and keeps the connection', async () => {
    pair = stackPair({ tcp: { keepAliveIntervalMs: 20, keepAliveProbes: 2 } });
    pair.board.listen(7, () => {});
    const client = pair.pc.connect({ host: BOARD, port: 7 });
    await once(client, 'connect');
    client.setKeepAlive(true, 30);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(pair.pc.counters.keepAliveProbes >= 3, `probes sent: ${pair.pc.counters.keepAliveProbes}`);
    assert.equal(client.destroyed, false);
    assert.equal(client.state, 'ESTABLISHED');
    client.destroy();
  });

  it('fails with ETIMEDOUT when the peer stops answering (board reset behind an open port)', async () => {
    pair = stackPair({ tcp: { keepAliveIntervalMs: 20, keepAliveProbes: 3 } });
    pair.board.listen(7, (s) => s.on('error', () => {}));
    const client = pair.pc.connect({ host: BOARD, port: 7 });
    await once(client, 'connect');
    client.setKeepAlive(true, 30);
    pair.boardLink.pause(); // the board hears nothing any more
    const [err] = await once(client, 'error') as [NetError];
    assert.equal(err.code, 'ETIMEDOUT');
    assert.match(err.message, /keep-alive/);
    assert.equal(pair.pc.counters.keepAliveProbes, 3);
  });
});
