/**
 * Property tests: no input on the link makes the stack throw — random bytes, and well-formed SLIP/IPv4 carrying
 * random (but checksum-valid, so they reach the TCP and ICMP code) segments aimed at a listener and at a live connection.
 */
import * as assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import fc from 'fast-check';
import { NetStack } from '../../../src/device/net';
import { buildIcmpEcho } from '../../../src/device/net/icmp';
import { buildIPv4Header, IPPROTO_ICMP, IPPROTO_TCP, parseIPv4, parseIPv4Address } from '../../../src/device/net/ipv4';
import { seqAdd } from '../../../src/device/net/seq';
import { SlipDecoder, slipEncode } from '../../../src/device/net/slip';
import { buildTcpHeader, parseTcp, TCP_ACK, TCP_SYN } from '../../../src/device/net/tcp-segment';
import { finishChecksum, pseudoHeaderSum, sum16 } from '../../../src/device/net/checksum';
import { testSeed } from '../../helpers/test-seed';

const stackAddr = parseIPv4Address('192.168.35.2');
const peerAddr = parseIPv4Address('192.168.35.1');

/**
 * A link whose input the test pushes synchronously (so an exception inside the stack surfaces in the test's own call
 * stack) and whose output the test decodes.
 */
function syncLink(onFrame: (frame: Buffer) => void): Duplex {
  const decoder = new SlipDecoder(onFrame, () => {});
  return new Duplex({ read() {}, write(chunk: Buffer, _e, cb) { decoder.push(chunk); cb(); } });
}

function frameOf(protocol: number, body: Buffer, tweakIp?: (ip: Buffer) => void): Buffer {
  const ip = buildIPv4Header({ src: peerAddr, dst: stackAddr, protocol, payloadLength: body.length, id: 7 });
  if (tweakIp) {
    tweakIp(ip);
    ip.writeUInt16BE(0, 10);
    ip.writeUInt16BE(finishChecksum(sum16(ip)), 10);
  }
  return slipEncode([ip, body]);
}

/** A TCP segment with arbitrary header bytes and options but a correct checksum. */
function tcpWithValidChecksum(raw: Uint8Array, options: Uint8Array, payload: Uint8Array, fix: (h: Buffer) => void): Buffer {
  const optLen = Math.min(40, options.length & ~3);
  const h = Buffer.alloc(20 + optLen);
  Buffer.from(raw).copy(h, 0, 0, Math.min(20, raw.length));
  Buffer.from(options).copy(h, 20, 0, optLen);
  h[12] = (((20 + optLen) / 4) << 4) | (h[12] & 0x0f);
  fix(h);
  const seg = Buffer.concat([h, payload]);
  seg.writeUInt16BE(0, 16);
  seg.writeUInt16BE(finishChecksum(sum16(seg, pseudoHeaderSum(peerAddr, stackAddr, IPPROTO_TCP, seg.length))), 16);
  return seg;
}

describe('net: property — malformed input never throws', function () {
  this.timeout(60_000);

  it('survives arbitrary bytes on the link', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 2000, size: 'max' }), { maxLength: 6 }), (chunks) => {
      const link = syncLink(() => {});
      const stack = new NetStack(link, { localAddress: '192.168.35.2' });
      stack.listen(443, (s) => s.on('error', () => {}));
      for (const c of chunks) link.push(Buffer.from(c));
      const c = stack.counters;
      assert.ok(c.framesIn >= 0);
      stack.destroy();
    }), { seed: testSeed(), numRuns: 300 });
  });

  it('survives checksum-valid random TCP segments, ICMP messages and IP header variants against a live connection', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(
        fc.record({ kind: fc.constant('tcp' as const), raw: fc.uint8Array({ minLength: 20, maxLength: 20 }), options: fc.uint8Array({ maxLength: 44 }),
          payload: fc.uint8Array({ maxLength: 1600 }), nearSeq: fc.integer({ min: -70000, max: 70000 }), nearAck: fc.integer({ min: -5, max: 5 }),
          toConnection: fc.boolean(), flags: fc.integer({ min: 0, max: 0x3f }), window: fc.integer({ min: 0, max: 65535 }) }),
        fc.record({ kind: fc.constant('icmp' as const), type: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: 200 }) }),
        fc.record({ kind: fc.constant('ip' as const), vihl: fc.integer({ min: 0, max: 255 }), flags: fc.integer({ min: 0, max: 0xffff }), proto: fc.integer({ min: 0, max: 255 }),
          totalLength: fc.integer({ min: 0, max: 0xffff }), body: fc.uint8Array({ maxLength: 100 }) }),
      ), { minLength: 1, maxLength: 40 }),
      async (inputs) => {
        // Track what the stack sends, to aim segments at its live connection's sequence space.
        let stackSeq = 0;
        const link = syncLink((frame) => {
          const ip = parseIPv4(frame);
          if (typeof ip === 'string' || ip.protocol !== IPPROTO_TCP) return;
          const seg = parseTcp(ip.payload, ip.src, ip.dst);
          if (typeof seg !== 'string' && seg.flags & TCP_SYN) stackSeq = seqAdd(seg.seq, 1);
        });
        const stack = new NetStack(link, { localAddress: '192.168.35.2', tcp: { minRtoMs: 5, initialRtoMs: 5 } });
        stack.listen(443, (s) => { s.on('error', () => {}); s.on('data', () => {}); s.write('hello'); });
        const peerIss = 5000;
        link.push(frameOf(IPPROTO_TCP, buildTcpHeader({ src: peerAddr, dst: stackAddr, srcPort: 40000, dstPort: 443, seq: peerIss, ack: 0, flags: TCP_SYN, window: 65535, mss: 1460 }, [])));
        link.push(frameOf(IPPROTO_TCP, buildTcpHeader({ src: peerAddr, dst: stackAddr, srcPort: 40000, dstPort: 443, seq: peerIss + 1, ack: stackSeq, flags: TCP_ACK, window: 65535 }, [])));
        for (const input of inputs) {
          if (input.kind === 'tcp') {
            const seg = tcpWithValidChecksum(input.raw, input.options, input.payload, (h) => {
              h[13] = input.flags;
              h.writeUInt16BE(input.window, 14);
              if (input.toConnection) {
                h.writeUInt16BE(40000, 0);
                h.writeUInt16BE(443, 2);
                h.writeUInt32BE(seqAdd(peerIss + 1, input.nearSeq), 4);
                h.writeUInt32BE(seqAdd(stackSeq, input.nearAck), 8);
              }
            });
            link.push(frameOf(IPPROTO_TCP, seg));
          } else if (input.kind === 'icmp') {
            link.push(frameOf(IPPROTO_ICMP, buildIcmpEcho(input.type, 1, 2, Buffer.from(input.data))));
          } else {
            link.push(frameOf(input.proto, Buffer.from(input.body), (ip) => {
              ip[0] = input.vihl;
              ip.writeUInt16BE(input.flags, 6);
              ip.writeUInt16BE(input.totalLength, 2);
            }));
          }
          await new Promise((r) => setImmediate(r)); // let deferred output and timers interleave
        }
        await new Promise((r) => setTimeout(r, 10));
        stack.destroy();
      }), { seed: testSeed(), numRuns: 150 });
  });
});
