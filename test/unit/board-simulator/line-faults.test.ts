// Line faults decided per SLIP frame (loss) and per byte (bit flips), with a scripted random source; the deterministic
// `corruptEvery` fault, which the receiver must always see; and the board's UART drawing every fault from its seed.
import * as assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import fc from 'fast-check';
import { BoardUart, lineFaultRandom } from '../../../emulator/board/board-uart';
import { CORRUPT_EVERY_SPAN, LineFaults, type FaultCounters, type FaultSettings } from '../../../emulator/board/line-faults';
import { seededRandom } from '../../../emulator/common/seeded-random';
import { SlipDecoder, slipEncode } from '../../../src/device/net';
import { buildIcmpEcho, parseIcmp } from '../../../src/device/net/icmp';
import { buildIPv4Header, IPPROTO_ICMP, IPPROTO_TCP, parseIPv4 } from '../../../src/device/net/ipv4';
import { buildTcpHeader, parseTcp, TCP_ACK, TCP_PSH } from '../../../src/device/net/tcp-segment';
import { testSeed } from '../../helpers/test-seed';

const END = 0xc0;
const ESC = 0xdb;
const frame = (...bytes: number[]) => Buffer.from([END, ...bytes, END]);
const settings = (s: Partial<FaultSettings>): FaultSettings => ({ corruptRate: 0, dropRate: 0, corruptEvery: 0, ...s });
const noCounters = (): FaultCounters => ({ corruptedBytes: 0, droppedFrames: 0, exposedFrames: 0 });

/** Returns the scripted values in turn (then 0.999…, i.e. "no fault"). */
function scripted(...values: number[]): () => number {
  return () => (values.length > 0 ? values.shift()! : 0.999999);
}

const PC = 0xc0a82301; // 192.168.35.1: its first byte is END, so every header carries escapes
const BOARD = 0xc0a82302;

/** An IPv4 frame as the stacks send them: an ICMP echo or a TCP segment. */
function ipFrame(kind: 'icmp' | 'tcp', id: number, data: Uint8Array, toBoard: boolean): Buffer {
  const [src, dst] = toBoard ? [PC, BOARD] : [BOARD, PC];
  const payload = kind === 'icmp'
    ? buildIcmpEcho(toBoard ? 8 : 0, id, id ^ 0x5a5a, Buffer.from(data))
    : Buffer.concat([buildTcpHeader({ src, dst, srcPort: 50000 + (id % 1000), dstPort: 443, seq: id * 7919, ack: id * 104729, flags: TCP_ACK | TCP_PSH, window: 65535 }, [data]), data]);
  const header = buildIPv4Header({ src, dst, protocol: kind === 'icmp' ? IPPROTO_ICMP : IPPROTO_TCP, payloadLength: payload.length, id });
  return Buffer.concat([header, payload]);
}

/** What a receiving stack makes of a frame: accepted, or the check that refused it. */
function receive(bytes: Buffer): string {
  const ip = parseIPv4(bytes);
  if (typeof ip === 'string') return ip;
  if (ip.protocol === IPPROTO_ICMP) {
    const icmp = parseIcmp(ip.payload);
    return typeof icmp === 'string' ? `icmp ${icmp}` : 'accepted';
  }
  if (ip.protocol === IPPROTO_TCP) {
    const tcp = parseTcp(ip.payload, ip.src, ip.dst);
    return typeof tcp === 'string' ? `tcp ${tcp}` : 'accepted';
  }
  return 'unsupported protocol';
}

function decodeAll(bytes: Buffer): { frames: Buffer[]; slipErrors: number } {
  const frames: Buffer[] = [];
  let slipErrors = 0;
  const decoder = new SlipDecoder((f) => frames.push(f), () => slipErrors++);
  decoder.push(bytes);
  return { frames, slipErrors };
}

describe('board-sim line faults', () => {
  it('passes bytes untouched when every fault is off', () => {
    const counters = noCounters();
    const faults = new LineFaults(settings({}), counters, () => 0);
    const input = Buffer.concat([frame(1, 2, 3), frame(4, 5)]);
    assert.deepEqual(faults.apply(input), input);
    assert.deepEqual(counters, { corruptedBytes: 0, droppedFrames: 0, exposedFrames: 0 });
  });

  it('drops a whole frame, including when it arrives split across chunks, and keeps its neighbours', () => {
    const counters = noCounters();
    // First frame: kept (0.9 ≥ 0.5); second frame: dropped (0.1 < 0.5); third: kept.
    const faults = new LineFaults(settings({ dropRate: 0.5 }), counters, scripted(0.9, 0.1, 0.9));
    const out = Buffer.concat([
      faults.apply(Buffer.from([END, 1, 2, END, END, 7])),
      faults.apply(Buffer.from([8, 9, END])),
      faults.apply(frame(3)),
    ]);
    assert.deepEqual([...out], [END, 1, 2, END, END, END, 3, END]);
    assert.equal(counters.droppedFrames, 1);
    assert.equal(counters.exposedFrames, 3);
  });

  it('flips exactly one bit of a byte chosen for corruption', () => {
    const counters = noCounters();
    // Byte 0x10 is corrupted (0.0 < rate) at bit floor(0.5 * 8) = 4: 0x10 ^ 0x10 = 0x00.
    const faults = new LineFaults(settings({ corruptRate: 0.01 }), counters, scripted(0.9, 0.0, 0.5, 0.9));
    const out = faults.apply(Buffer.from([END, 0x10, 0x22, END]));
    assert.deepEqual([...out], [END, 0x00, 0x22, END]);
    assert.equal(counters.corruptedBytes, 1);
  });

  it('corruptEvery flips one bit in every n-th frame, at the drawn content byte, counting an escape pair as one byte', () => {
    const counters = noCounters();
    // Every 2nd frame; frame 2's draws: content byte 3 (of the first CORRUPT_EVERY_SPAN), bit floor(0.5 * 8) = 4.
    const faults = new LineFaults(settings({ corruptEvery: 2 }), counters, scripted(3.5 / CORRUPT_EVERY_SPAN, 0.5));
    const out = faults.apply(Buffer.concat([frame(1, 2, 3, 4, 5), frame(ESC, 0xdc, 0x11, 0x22, 0x33, 0x44), frame(6, 7)]));
    // Content bytes of frame 2: [ESC 0xdc] 0x11 0x22 0x33 → 0x33 ^ 0x10 = 0x23.
    assert.deepEqual([...out], [END, 1, 2, 3, 4, 5, END, END, ESC, 0xdc, 0x11, 0x22, 0x23, 0x44, END, END, 6, 7, END]);
    assert.equal(counters.corruptedBytes, 1);
    // After a restart the count starts again: the next frame is the 1st, the one after the 2nd.
    faults.restart(scripted(0, 0));
    const again = faults.apply(Buffer.concat([frame(1, 2), frame(ESC, 0xdc, 0x11)]));
    // Content byte 0 of frame 2 is the escape pair: its second byte flips bit 0, ESC_END → ESC_ESC (END → ESC).
    assert.deepEqual([...again], [END, 1, 2, END, END, ESC, 0xdd, 0x11, END]);
    assert.equal(counters.corruptedBytes, 2);
  });

  it('corruptEvery damage is always seen by the receiving stack: malformed, a broken escape, or a failed checksum', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.array(fc.record({
        kind: fc.constantFrom('icmp' as const, 'tcp' as const),
        // Identifications and lengths that put END and ESC bytes into the header, too.
        id: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0xc0c0, 0xdbdb, 0xc0db, 0x00c0, 0xdb00)),
        data: fc.uint8Array({ maxLength: 300 }),
        toBoard: fc.boolean(),
      }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 40 }),
      (seed, specs, chunk) => {
        const counters = noCounters();
        const faults = new LineFaults(settings({ corruptEvery: 1 }), counters, seededRandom(seed));
        const input = Buffer.concat([...specs.map((s) => slipEncode([ipFrame(s.kind, s.id, s.data, s.toBoard)]))]);
        const out: Buffer[] = [];
        for (let at = 0; at < input.length; at += chunk) out.push(faults.apply(input.subarray(at, at + chunk)));
        assert.equal(counters.corruptedBytes, specs.length, 'one flipped bit per frame');
        const { frames, slipErrors } = decodeAll(Buffer.concat(out));
        const verdicts = frames.map(receive);
        assert.ok(!verdicts.includes('accepted'), `a damaged frame got through: ${verdicts.join(', ')}`);
        assert.ok(slipErrors + verdicts.length >= specs.length, 'every damaged frame shows up as an error');
      },
    ), { seed: testSeed(), numRuns: 300 });
  });

  it('replays the same faults from the same seed', () => {
    // 200 frames: P(none dropped at 10%) = 0.9^200 ≈ 7e-10; every 3rd frame gets a bit flipped unless dropped.
    const input = Buffer.concat(Array.from({ length: 200 }, (_, i) => slipEncode([ipFrame('icmp', i, new Uint8Array(56).fill(i), true)])));
    const run = (seed: number) => {
      const counters = noCounters();
      const out = new LineFaults(settings({ corruptRate: 0.01, dropRate: 0.1, corruptEvery: 3 }), counters, seededRandom(seed)).apply(input);
      return { out: out.toString('hex'), counters };
    };
    const seed = testSeed();
    const first = run(seed);
    assert.deepEqual(run(seed), first);
    assert.ok(first.counters.droppedFrames > 0 && first.counters.corruptedBytes > 0, JSON.stringify(first.counters));
    assert.notDeepEqual(run((seed ^ 1) >>> 0).out, first.out);
  });
});

describe('board-sim UART: line faults from a seed', () => {
  /** A UART whose board side we drive: what the board sends comes out in `sent`. */
  function uart(options: ConstructorParameters<typeof BoardUart>[1]): { uart: BoardUart; boardEnd: Duplex; sent: Buffer[] } {
    const sent: Buffer[] = [];
    const u = new BoardUart(921600, options, { write: (b) => sent.push(Buffer.from(b)), pause() {}, resume() {} });
    return { uart: u, boardEnd: u.attachBoardSide(), sent };
  }

  /** Sends `bytes` from the board and returns what crossed the line once `length` bytes did (it is paced). */
  async function send(boardEnd: Duplex, sent: Buffer[], bytes: Buffer, length: number): Promise<Buffer> {
    sent.length = 0;
    boardEnd.write(bytes);
    const deadline = Date.now() + 10_000;
    while (sent.reduce((n, b) => n + b.length, 0) < length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return Buffer.concat(sent);
  }

  it('picks a seed when given none and shows it in its counters', () => {
    const a = uart({});
    const b = uart({});
    try {
      assert.ok(Number.isInteger(a.uart.counters.faultSeed) && a.uart.counters.faultSeed >= 0);
      assert.notEqual(a.uart.counters.faultSeed, b.uart.counters.faultSeed);
      assert.throws(() => uart({ faultSeed: -1 }), /faultSeed must be an integer from 0 to 4294967295/);
      assert.throws(() => a.uart.setFaults({ faultSeed: 2 ** 32 }), /faultSeed must be an integer from 0 to 4294967295/);
      a.uart.setFaults({ faultSeed: 7 });
      assert.equal(a.uart.counters.faultSeed, 7);
    } finally {
      for (const u of [a, b]) u.uart.close();
    }
  });

  it('draws what the board sends from its seed; setFaults with the seed again replays the same faults', async () => {
    const seed = testSeed();
    const rates = { corruptRate: 0.002, dropRate: 0.1 };
    // 40 frames of 240 bytes (at least 242 on the wire). A frame crosses untouched with probability 0.9 · 0.998^242
    // ≈ 0.554, so P(the faults left all 40 alone) ≈ 0.554^40 ≈ 6e-11: the check against the input needs no luck.
    const frames = Buffer.concat(Array.from({ length: 40 }, (_, i) => slipEncode([ipFrame('tcp', i, new Uint8Array(200).fill(i), false)])));
    const expected = new LineFaults(settings(rates), noCounters(), lineFaultRandom(seed, 'tx')).apply(frames);
    assert.ok(!expected.equals(frames), 'the faults changed what the board sent');
    const { uart: u, boardEnd, sent } = uart({ faultSeed: (seed ^ 1) >>> 0 });
    try {
      u.setFaults({ ...rates, faultSeed: seed });
      assert.equal(u.counters.faultSeed, seed);
      assert.equal((await send(boardEnd, sent, frames, expected.length)).toString('hex'), expected.toString('hex'));
      u.setFaults({ faultSeed: seed });
      assert.equal((await send(boardEnd, sent, frames, expected.length)).toString('hex'), expected.toString('hex'));
    } finally {
      u.close();
    }
  });
});
