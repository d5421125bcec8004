/** The TCP state machine against a hand-driven peer: each test sends exact segments and checks the stack's answers. */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { NetError, type TcpSocket } from '../../../src/device/net';
import { internetChecksum, pseudoHeaderSum, sum16, finishChecksum } from '../../../src/device/net/checksum';
import { buildIPv4Header, IPPROTO_TCP, parseIPv4Address } from '../../../src/device/net/ipv4';
import { slipEncode } from '../../../src/device/net/slip';
import { seqAdd } from '../../../src/device/net/seq';
import { buildTcpHeader, parseTcp, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../../../src/device/net/tcp-segment';
import { RawPeer } from '../../helpers/raw-peer';

const PEER_PORT = 40000;
const PORT = 443;

/** Peer opens a connection to the stack's listener; returns the accepted socket and the sequence state. */
async function handshake(peer: RawPeer, opts: { iss?: number; mss?: number; window?: number } = {}) {
  const accepted = new Promise<TcpSocket>((resolve) => peer.stack.listen(PORT, resolve));
  const iss = opts.iss ?? 1000;
  peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: iss, flags: TCP_SYN, mss: opts.mss ?? 1460, window: opts.window ?? 65535 });
  const synAck = await peer.next((s) => (s.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK));
  peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: iss + 1, ack: seqAdd(synAck.seq, 1), flags: TCP_ACK, window: opts.window ?? 65535 });
  const sock = await accepted;
  return { sock, synAck, peerSeq: iss + 1, stackSeq: seqAdd(synAck.seq, 1) };
}

describe('net: TCP state machine', function () {
  this.timeout(15000);
  let peer: RawPeer;
  afterEach(() => peer?.close());

  it('answers SYN with SYN-ACK carrying our MSS, and honours a smaller peer MSS', async () => {
    peer = new RawPeer();
    const { sock, synAck, stackSeq } = await handshake(peer, { mss: 536 });
    assert.equal(synAck.ack, 1001);
    assert.equal(synAck.mss, 1460, 'MSS from MTU 1500');
    const since = peer.received.length;
    sock.write(Buffer.alloc(2000, 1));
    const first = await peer.next((s) => s.payload.length > 0, since);
    assert.equal(first.seq, stackSeq);
    assert.equal(first.payload.length, 536);
    assert.ok(first.flags & TCP_PSH);
  });

  it('advertises MSS = MTU − 40 for a smaller MTU', async () => {
    peer = new RawPeer({}, 576);
    const { synAck } = await handshake(peer);
    assert.equal(synAck.mss, 536);
  });

  it('resets segments for ports without a listener (RFC 9293 §3.10.7.1)', async () => {
    peer = new RawPeer();
    peer.send({ srcPort: PEER_PORT, dstPort: 81, seq: 5000, flags: TCP_SYN });
    const rst1 = await peer.next((s) => (s.flags & TCP_RST) !== 0);
    assert.equal(rst1.flags, TCP_RST | TCP_ACK);
    assert.equal(rst1.seq, 0);
    assert.equal(rst1.ack, 5001);
    peer.send({ srcPort: PEER_PORT, dstPort: 81, seq: 5000, ack: 777, flags: TCP_ACK });
    const rst2 = await peer.next((s) => (s.flags & TCP_RST) !== 0 && s.seq === 777);
    assert.equal(rst2.flags, TCP_RST);
    const before = peer.received.length;
    peer.send({ srcPort: PEER_PORT, dstPort: 81, seq: 5000, flags: TCP_RST });
    await RawPeer.sleep(30);
    assert.equal(peer.received.length, before, 'never answer a RST');
    assert.equal(peer.stack.counters.dropped.noSocket, 3);
  });

  it('handles sequence numbers wrapping through 2^32 on both sides', async () => {
    peer = new RawPeer({ initialSequenceNumber: () => 0xffff_fe00 });
    const { sock, stackSeq } = await handshake(peer, { iss: 0xffff_ff00 });
    assert.equal(stackSeq, 0xffff_fe01);
    const got: Buffer[] = [];
    sock.on('data', (d: Buffer) => got.push(d));
    // Peer → stack across the wrap: 3 segments of 200 bytes starting at 0xffffff01.
    let seq = 0xffff_ff01;
    for (let i = 0; i < 3; i++) {
      peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq, ack: stackSeq, flags: TCP_ACK, payload: Buffer.alloc(200, i + 1) });
      seq = seqAdd(seq, 200);
    }
    const ack = await peer.next((s) => s.ack === seq);
    assert.equal(ack.ack, 0x159, 'ack wrapped past zero');
    assert.deepEqual(Buffer.concat(got), Buffer.concat([Buffer.alloc(200, 1), Buffer.alloc(200, 2), Buffer.alloc(200, 3)]));
    // Stack → peer across the wrap: 1000 bytes from 0xfffffe01 cross zero at byte 511.
    const since = peer.received.length;
    sock.setNoDelay(true);
    sock.write(Buffer.alloc(1000, 9));
    const data = await peer.next((s) => s.payload.length > 0, since);
    assert.equal(data.seq, 0xffff_fe01);
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq, ack: seqAdd(data.seq, 1000), flags: TCP_ACK });
    await RawPeer.sleep(20);
    assert.equal(peer.stack.counters.retransmits, 0, 'the wrapped ACK was understood');
  });

  it('respects the peer window and probes a zero window until it opens', async () => {
    peer = new RawPeer({ minRtoMs: 40, initialRtoMs: 40 });
    const { sock, peerSeq, stackSeq } = await handshake(peer, { window: 1000 });
    const since = peer.received.length;
    sock.write(Buffer.alloc(5000, 3));
    await RawPeer.sleep(30);
    const highest = Math.max(...peer.received.slice(since).map((s) => s.seq - stackSeq + s.payload.length));
    assert.equal(highest, 1000, 'no more than the offered window');
    // ACK everything with a zero window: the stack must stop, then probe.
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: seqAdd(stackSeq, 1000), flags: TCP_ACK, window: 0 });
    const probe = await peer.next((s) => s.payload.length === 1, since);
    assert.equal(probe.seq, seqAdd(stackSeq, 1000));
    assert.ok(peer.stack.counters.windowProbes >= 1);
    // Answer probes with window 0 for a while: the connection must survive (peer is alive).
    for (let i = 0; i < 3; i++) {
      const p = await peer.next((s) => s.payload.length === 1 && s.seq === seqAdd(stackSeq, 1000), peer.received.length);
      peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: p.seq, flags: TCP_ACK, window: 0 });
    }
    assert.equal(sock.destroyed, false);
    const open = peer.received.length;
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: seqAdd(stackSeq, 1000), flags: TCP_ACK, window: 65535 });
    await peer.next((s) => s.payload.length > 0 && s.seq === seqAdd(stackSeq, 1000) && s.payload.length > 1, open);
  });

  it('fast-retransmits after three duplicate ACKs, long before the RTO', async () => {
    peer = new RawPeer({ minRtoMs: 5000, initialRtoMs: 5000 });
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    sock.write(Buffer.alloc(1460 * 6, 4));
    await peer.next((s) => s.seq === seqAdd(stackSeq, 1460 * 5), since);
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq, flags: TCP_ACK });
    const rtx = await peer.next((s) => s.seq === stackSeq && s.payload.length > 0, peer.received.length);
    assert.equal(rtx.payload.length, 1460);
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(peer.stack.counters.fastRetransmits, 1);
    // A partial ACK (first segment only) makes it resend the next hole at once (NewReno).
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: seqAdd(stackSeq, 1460), flags: TCP_ACK });
    await peer.next((s) => s.seq === seqAdd(stackSeq, 1460) && s.payload.length > 0, peer.received.length);
  });

  it('backs off the retransmission timer exponentially and gives up with ETIMEDOUT', async () => {
    peer = new RawPeer({ minRtoMs: 30, initialRtoMs: 30, maxRtoMs: 2000, maxRetransmits: 4 });
    const { sock, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    sock.write(Buffer.from('never acknowledged'));
    const [err] = await once(sock, 'error') as [NetError];
    assert.equal(err.code, 'ETIMEDOUT');
    const copies = peer.received.slice(since).filter((s) => s.seq === stackSeq && s.payload.length > 0);
    assert.equal(copies.length, 5, 'original + 4 retransmissions');
    assert.equal(peer.stack.counters.timeouts, 5);
    assert.equal(peer.stack.counters.connectionsOpen, 0);
  });

  it('takes no RTT sample from a retransmitted segment (Karn), and samples the next clean one', async () => {
    peer = new RawPeer({ minRtoMs: 60, initialRtoMs: 60 });
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    sock.write('first');
    await peer.next((s) => s.seq === stackSeq && s.payload.length > 0, since);
    await peer.next((s) => s.seq === stackSeq && s.payload.length > 0, since + 1); // the retransmission
    await RawPeer.sleep(40);
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: seqAdd(stackSeq, 5), flags: TCP_ACK });
    await RawPeer.sleep(10);
    assert.equal(sock.smoothedRttMs, undefined, 'an ACK for a retransmitted segment is ambiguous: no sample');
    const next = peer.received.length;
    sock.write('second');
    await peer.next((s) => s.payload.toString() === 'second', next);
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: seqAdd(stackSeq, 11), flags: TCP_ACK });
    await RawPeer.sleep(10);
    assert.ok(sock.smoothedRttMs !== undefined && sock.smoothedRttMs < 60, `clean sample taken: ${sock.smoothedRttMs}`);
  });

  it('doubles the interval between retransmissions (RFC 6298 §5.5)', async () => {
    peer = new RawPeer({ minRtoMs: 80, initialRtoMs: 80, maxRtoMs: 5000, maxRetransmits: 3 });
    const { sock, stackSeq } = await handshake(peer);
    sock.on('error', () => {});
    const times: number[] = [];
    const since = peer.received.length;
    sock.write(Buffer.from('x'));
    for (let i = 0; i < 4; i++) {
      await peer.next((s) => s.seq === stackSeq && s.payload.length > 0 && !times[i], since + i);
      times.push(performance.now());
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // Timers may fire late on a busy machine, never early: each gap is at least its RTO, and they grow.
    assert.ok(gaps[0] >= 79 && gaps[1] >= 159 && gaps[2] >= 319 && gaps[2] > gaps[1] && gaps[1] > gaps[0], `gaps should double: ${gaps.map((g) => g.toFixed(0)).join(', ')}`);
  });

  it('buffers out-of-order segments, sends duplicate ACKs, and delivers in order once the hole fills', async () => {
    peer = new RawPeer();
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const got: Buffer[] = [];
    sock.on('data', (d: Buffer) => got.push(d));
    const since = peer.received.length;
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq + 100, ack: stackSeq, flags: TCP_ACK, payload: Buffer.alloc(100, 2) });
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq + 200, ack: stackSeq, flags: TCP_ACK, payload: Buffer.alloc(100, 3) });
    await peer.next((s) => s.ack === peerSeq, since);
    await RawPeer.sleep(20);
    assert.equal(peer.received.slice(since).filter((s) => s.ack === peerSeq).length, 2, 'one duplicate ACK per out-of-order segment');
    assert.equal(got.length, 0);
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq, flags: TCP_ACK, payload: Buffer.alloc(100, 1) });
    await peer.next((s) => s.ack === peerSeq + 300, since);
    assert.deepEqual(Buffer.concat(got), Buffer.concat([Buffer.alloc(100, 1), Buffer.alloc(100, 2), Buffer.alloc(100, 3)]));
  });

  it('shrinks its advertised window while the application does not read, and reopens it after reading', async () => {
    peer = new RawPeer({ receiveWindow: 8192 });
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    sock.pause();
    let seq = peerSeq;
    const since = peer.received.length;
    for (let i = 0; i < 8; i++) {
      peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq, ack: stackSeq, flags: TCP_ACK, payload: Buffer.alloc(1024, i) });
      seq += 1024;
    }
    const full = await peer.next((s) => s.ack === seq && s.window === 0, since);
    assert.equal(full.window, 0);
    // Data beyond a zero window is not accepted.
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq, ack: stackSeq, flags: TCP_ACK, payload: Buffer.alloc(100, 9) });
    const refused = await peer.next((s) => s.ack === seq, peer.received.length);
    assert.equal(refused.window, 0);
    const reopen = peer.received.length;
    const read = sock.read() as Buffer;
    assert.equal(read.length, 8192);
    const update = await peer.next((s) => s.window > 0, reopen);
    assert.ok(update.window >= 4096, `window update ${update.window}`);
  });

  it('challenges an in-window RST that is not exact, and resets on an exact one (RFC 5961)', async () => {
    peer = new RawPeer();
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq + 10, flags: TCP_RST });
    const challenge = await peer.next((s) => s.flags === TCP_ACK, since);
    assert.equal(challenge.ack, peerSeq);
    assert.equal(sock.destroyed, false);
    const err = once(sock, 'error');
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq, flags: TCP_RST | TCP_ACK });
    const [e] = await err as [NetError];
    assert.equal(e.code, 'ECONNRESET');
  });

  it('active close: FIN-WAIT, TIME-WAIT for timeWaitMs, re-ACKs a retransmitted FIN, then CLOSED', async () => {
    peer = new RawPeer({ timeWaitMs: 150 });
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    sock.end();
    const fin = await peer.next((s) => (s.flags & TCP_FIN) !== 0, since);
    assert.equal(fin.seq, stackSeq);
    assert.equal(sock.state, 'FIN-WAIT-1');
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq + 1, flags: TCP_ACK });
    await RawPeer.sleep(10);
    assert.equal(sock.state, 'FIN-WAIT-2');
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq + 1, flags: TCP_ACK | TCP_FIN });
    await peer.next((s) => s.ack === peerSeq + 1, since);
    assert.equal(sock.state, 'TIME-WAIT');
    assert.equal(peer.stack.counters.connectionsOpen, 0);
    const again = peer.received.length;
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq + 1, flags: TCP_ACK | TCP_FIN });
    await peer.next((s) => s.ack === peerSeq + 1, again);
    await RawPeer.sleep(200);
    assert.equal(sock.state, 'CLOSED');
    // Now the 4-tuple is unknown: a stray segment is reset.
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq + 1, ack: stackSeq + 1, flags: TCP_ACK });
    await peer.next((s) => (s.flags & TCP_RST) !== 0, again);
  });

  it('simultaneous close goes through CLOSING', async () => {
    peer = new RawPeer({ timeWaitMs: 50 });
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    sock.end();
    await peer.next((s) => (s.flags & TCP_FIN) !== 0, since);
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq, flags: TCP_ACK | TCP_FIN });
    await peer.next((s) => s.ack === peerSeq + 1, since);
    assert.equal(sock.state, 'CLOSING');
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq + 1, ack: stackSeq + 1, flags: TCP_ACK });
    await RawPeer.sleep(10);
    assert.equal(sock.state, 'TIME-WAIT');
  });

  it('retransmits its SYN-ACK when the peer repeats its SYN', async () => {
    peer = new RawPeer();
    peer.stack.listen(PORT, () => {});
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: 9, flags: TCP_SYN });
    const first = await peer.next((s) => (s.flags & TCP_SYN) !== 0);
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: 9, flags: TCP_SYN });
    const second = await peer.next((s) => (s.flags & TCP_SYN) !== 0, peer.received.length);
    assert.equal(second.seq, first.seq);
  });

  it('Nagle: holds small writes while data is unacknowledged and sends them as one segment on the ACK', async () => {
    peer = new RawPeer({ minRtoMs: 5000, initialRtoMs: 5000 });
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    for (const piece of ['a', 'b', 'c', 'd']) {
      sock.write(piece);
      await RawPeer.sleep(5); // separate ticks: no same-tick coalescing
    }
    const data = () => peer.received.slice(since).filter((s) => s.payload.length > 0);
    assert.deepEqual(data().map((s) => s.payload.toString()), ['a'], 'only the first small segment goes out');
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: seqAdd(stackSeq, 1), flags: TCP_ACK });
    await peer.next((s) => s.payload.toString() === 'bcd', since);
  });

  it('setNoDelay(true): small writes go out at once, each in its own segment', async () => {
    peer = new RawPeer({ minRtoMs: 5000, initialRtoMs: 5000 });
    const { sock } = await handshake(peer);
    sock.setNoDelay(true);
    const since = peer.received.length;
    for (const piece of ['a', 'b', 'c']) {
      sock.write(piece);
      await RawPeer.sleep(5);
    }
    assert.deepEqual(peer.received.slice(since).filter((s) => s.payload.length > 0).map((s) => s.payload.toString()), ['a', 'b', 'c']);
  });

  it('coalesces writes made in the same tick into full-size segments', async () => {
    peer = new RawPeer();
    const { sock, stackSeq } = await handshake(peer);
    sock.setNoDelay(true);
    const since = peer.received.length;
    for (let i = 0; i < 100; i++) sock.write(Buffer.alloc(100, i)); // 10,000 bytes in 100 writes
    await peer.next((s) => seqAdd(s.seq, s.payload.length) === seqAdd(stackSeq, 10_000), since);
    const sizes = peer.received.slice(since).filter((s) => s.payload.length > 0).map((s) => s.payload.length);
    assert.deepEqual(sizes, [1460, 1460, 1460, 1460, 1460, 1460, 1240]);
  });

  it('lets a new SYN with a higher sequence number reopen a 4-tuple in TIME-WAIT', async () => {
    peer = new RawPeer({ timeWaitMs: 60_000 });
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const since = peer.received.length;
    sock.end();
    await peer.next((s) => (s.flags & TCP_FIN) !== 0, since);
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq + 1, flags: TCP_ACK | TCP_FIN });
    await peer.next((s) => s.ack === peerSeq + 1, since);
    assert.equal(sock.state, 'TIME-WAIT');
    const reopen = peer.received.length;
    peer.send({ srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq + 100_000, flags: TCP_SYN, mss: 1460 });
    const synAck = await peer.next((s) => (s.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK), reopen);
    assert.equal(synAck.ack, peerSeq + 100_001);
    assert.equal(sock.state, 'CLOSED');
  });

  it('bounds half-open connections (SYN backlog)', async () => {
    peer = new RawPeer({ synBacklog: 3, initialRtoMs: 5000 });
    peer.stack.listen(PORT, () => {});
    for (let i = 0; i < 5; i++) peer.send({ srcPort: PEER_PORT + i, dstPort: PORT, seq: 100, flags: TCP_SYN });
    await RawPeer.sleep(30);
    assert.equal(peer.received.filter((s) => s.flags & TCP_SYN).length, 3);
    assert.equal(peer.stack.counters.dropped.synBacklogFull, 2);
  });

  it('drops and counts segments with a bad TCP checksum', async () => {
    peer = new RawPeer();
    const { sock, peerSeq, stackSeq } = await handshake(peer);
    const got: Buffer[] = [];
    sock.on('data', (d: Buffer) => got.push(d));
    const payload = Buffer.from('corrupt me');
    // Build a valid segment, then flip a payload bit without fixing the checksum.
    const src = parseIPv4Address('192.168.35.1');
    const dst = parseIPv4Address('192.168.35.2');
    const tcp = buildTcpHeader({ src, dst, srcPort: PEER_PORT, dstPort: PORT, seq: peerSeq, ack: stackSeq, flags: TCP_ACK, window: 65535 }, [payload]);
    const bad = Buffer.from(payload); bad[0] ^= 1;
    peer.link.write(slipEncode([buildIPv4Header({ src, dst, protocol: IPPROTO_TCP, payloadLength: tcp.length + bad.length, id: 3 }), tcp, bad]));
    await RawPeer.sleep(20);
    assert.equal(peer.stack.counters.tcpChecksumErrors, 1);
    assert.equal(got.length, 0);
  });
});

describe('net: TCP segment encoding', () => {
  it('computes the checksum over payload slices of odd lengths like over one buffer', () => {
    const src = 0xc0a82301;
    const dst = 0xc0a82302;
    const whole = Buffer.from('abcdefghijklmnopq');
    const fields = { src, dst, srcPort: 1, dstPort: 2, seq: 3, ack: 4, flags: TCP_ACK, window: 5 };
    const a = buildTcpHeader(fields, [whole]);
    const b = buildTcpHeader(fields, [whole.subarray(0, 3), whole.subarray(3, 4), whole.subarray(4, 11), whole.subarray(11)]);
    assert.deepEqual(a, b);
    const seg = Buffer.concat([a, whole]);
    assert.equal(finishChecksum(sum16(seg, pseudoHeaderSum(src, dst, IPPROTO_TCP, seg.length))), 0);
    const parsed = parseTcp(seg, src, dst);
    assert.ok(typeof parsed !== 'string');
    assert.equal(parsed.payload.toString(), 'abcdefghijklmnopq');
    assert.equal(internetChecksum(Buffer.alloc(0)), 0xffff);
  });

  it('rejects malformed options and data offsets', () => {
    const src = 1;
    const dst = 2;
    const h = buildTcpHeader({ src, dst, srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: TCP_SYN, window: 0, mss: 1460 }, []);
    const badLen = Buffer.from(h); badLen[21] = 9; // option runs past the header
    badLen.writeUInt16BE(0, 16);
    badLen.writeUInt16BE(finishChecksum(sum16(badLen, pseudoHeaderSum(src, dst, IPPROTO_TCP, badLen.length))), 16);
    assert.equal(parseTcp(badLen, src, dst), 'bad-options');
    const badOff = Buffer.from(h); badOff[12] = 0x40; // 16-byte header
    assert.equal(parseTcp(badOff, src, dst), 'bad-offset');
  });
});
