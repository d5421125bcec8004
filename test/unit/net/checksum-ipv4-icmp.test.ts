/** Internet checksum, IPv4 header handling and ICMP echo encoding. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { finishChecksum, internetChecksum, pseudoHeaderSum, sum16 } from '../../../src/device/net/checksum';
import { buildIcmpEcho, ICMP_ECHO_REQUEST, parseIcmp } from '../../../src/device/net/icmp';
import { buildIPv4Header, formatIPv4Address, IPPROTO_TCP, parseIPv4, parseIPv4Address } from '../../../src/device/net/ipv4';
import { testSeed } from '../../helpers/test-seed';

/** Straightforward reference: sum of 16-bit words with end-around carry. */
function referenceChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += (bytes[i] << 8) + (i + 1 < bytes.length ? bytes[i + 1] : 0);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ~sum & 0xffff;
}

describe('net: checksum', () => {
  it('matches the RFC 1071 example', () => {
    // RFC 1071 §3: words 0001 f203 f4f5 f6f7 sum to ddf2 (before complement).
    assert.equal(internetChecksum(Buffer.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7])), ~0xddf2 & 0xffff);
  });

  it('equals a byte-by-byte reference for any data, odd lengths included (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => {
      assert.equal(internetChecksum(data), referenceChecksum(data));
    }), { seed: testSeed() });
  });

  it('sums the pseudo-header words of a TCP segment', () => {
    const src = parseIPv4Address('192.168.35.1');
    const dst = parseIPv4Address('192.168.35.2');
    const words = Buffer.alloc(12);
    words.writeUInt32BE(src, 0);
    words.writeUInt32BE(dst, 4);
    words[9] = IPPROTO_TCP;
    words.writeUInt16BE(1480, 10);
    assert.equal(finishChecksum(pseudoHeaderSum(src, dst, IPPROTO_TCP, 1480)), finishChecksum(sum16(words)));
  });
});

describe('net: IPv4', () => {
  const src = parseIPv4Address('192.168.35.1');
  const dst = parseIPv4Address('192.168.35.2');
  const datagram = (payload: Buffer) => Buffer.concat([buildIPv4Header({ src, dst, protocol: IPPROTO_TCP, payloadLength: payload.length, id: 0x1234 }), payload]);

  it('parses and formats dotted quads, rejecting bad ones with a clear message', () => {
    assert.equal(parseIPv4Address('192.168.35.2'), 0xc0a82302);
    assert.equal(formatIPv4Address(0xc0a82302), '192.168.35.2');
    assert.throws(() => parseIPv4Address('192.168.35.256'), /out of range/);
    assert.throws(() => parseIPv4Address('localhost'), /not an IPv4 address/);
  });

  it('builds a header the parser accepts: version 4, DF, TTL 64, identification, valid checksum', () => {
    const d = datagram(Buffer.from('abc'));
    assert.equal(d[0], 0x45);
    assert.equal(d.readUInt16BE(2), 23);
    assert.equal(d.readUInt16BE(4), 0x1234);
    assert.equal(d.readUInt16BE(6), 0x4000);
    assert.equal(d[8], 64);
    assert.equal(internetChecksum(d.subarray(0, 20)), 0);
    const p = parseIPv4(d);
    assert.ok(typeof p !== 'string');
    assert.equal(p.src, src);
    assert.equal(p.dst, dst);
    assert.equal(p.payload.toString(), 'abc');
  });

  it('drops with a reason: truncated, bad version, bad IHL, bad checksum, fragments', () => {
    const d = datagram(Buffer.from('hello'));
    assert.equal(parseIPv4(d.subarray(0, 19)), 'truncated');
    assert.equal(parseIPv4(d.subarray(0, 24)), 'truncated'); // total length says 25
    const v6 = Buffer.from(d); v6[0] = 0x65;
    assert.equal(parseIPv4(v6), 'bad-version');
    const ihl = Buffer.from(d); ihl[0] = 0x44;
    assert.equal(parseIPv4(ihl), 'bad-header-length');
    const bad = Buffer.from(d); bad[8] ^= 1;
    assert.equal(parseIPv4(bad), 'bad-checksum');
    for (const flags of [0x2000, 0x0001, 0x4001]) {
      const frag = Buffer.from(d);
      frag.writeUInt16BE(flags, 6);
      frag.writeUInt16BE(0, 10);
      frag.writeUInt16BE(internetChecksum(frag.subarray(0, 20)), 10);
      assert.equal(parseIPv4(frag), 'fragmented');
    }
  });

  it('ignores link padding beyond the total length', () => {
    const p = parseIPv4(Buffer.concat([datagram(Buffer.from('xy')), Buffer.alloc(6)]));
    assert.ok(typeof p !== 'string');
    assert.equal(p.payload.toString(), 'xy');
  });
});

describe('net: ICMP echo', () => {
  it('builds a request with a valid checksum that parses back', () => {
    const msg = buildIcmpEcho(ICMP_ECHO_REQUEST, 0xbeef, 7, Buffer.from('ping!'));
    assert.equal(internetChecksum(msg), 0);
    const p = parseIcmp(msg);
    assert.ok(typeof p !== 'string');
    assert.deepEqual([p.type, p.code, p.id, p.seq, p.data.toString()], [8, 0, 0xbeef, 7, 'ping!']);
    const bad = Buffer.from(msg); bad[9] ^= 0xff;
    assert.equal(parseIcmp(bad), 'bad-checksum');
    assert.equal(parseIcmp(msg.subarray(0, 7)), 'truncated');
  });
});
