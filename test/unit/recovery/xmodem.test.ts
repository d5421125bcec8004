// XMODEM-CRC / XMODEM-1K: our sender against the simulator's receiver. Property tests run both ends in process over
// a link that loses, garbles or cuts frames and loses acknowledgements as fast-check decides; whatever happens, the
// receiver ends with exactly the bytes sent, or the sender fails with an error — never wrong data. One test runs the
// two ends over a real pty pair opened with serialport.
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { SerialPort } from 'serialport';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openPtyPair } from '../../../emulator/board/pty-pair';
import { testSeed } from '../../helpers/test-seed';
import { XmodemReceiver, type XmodemReceiveResult } from '../../../emulator/board/recovery-xmodem-receiver';
import { createLinkPair } from '../../../src/device/net';
import { ByteReader } from '../../../src/device/recovery/byte-reader';
import { crc16Xmodem } from '../../../src/device/recovery/crc16';
import { isRecoveryError } from '../../../src/device/recovery/recovery-error';
import { sendXmodem } from '../../../src/device/recovery/xmodem-sender';
import { decodeBlock, encodeBlock, SUB, type XmodemBlockSize } from '../../../src/device/recovery/xmodem-protocol';

type FrameFault = 'ok' | 'drop' | 'corrupt' | 'truncate';

interface Run {
  received: XmodemReceiveResult;
  sent: Promise<unknown>;
}

/** Sender and receiver in one process; `frameFaults[i]` happens to the sender's i-th write, `lostAcks` to replies. */
function runOverFaultyLink(payload: Buffer, blockSize: XmodemBlockSize, frameFaults: FrameFault[], lostAcks: Set<number>, corruptAt: number, maxRetries = 40): Promise<Run> {
  const [pcEnd, boardEnd] = createLinkPair();
  let writes = 0;
  const faultyPc = new Writable({
    write(chunk: Buffer, _enc, callback) {
      const fault = frameFaults[writes++] ?? 'ok';
      if (fault === 'corrupt') {
        const copy = Buffer.from(chunk);
        copy[corruptAt % copy.length]! ^= 0x10;
        pcEnd.write(copy);
      } else if (fault === 'truncate') {
        pcEnd.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
      } else if (fault === 'ok') {
        pcEnd.write(chunk);
      }
      callback();
    },
  });
  let replies = 0;
  return new Promise((resolve) => {
    let sent: Promise<unknown> = Promise.resolve();
    const receiver = new XmodemReceiver(
      {
        send: (bytes) => {
          if (!lostAcks.has(replies++)) boardEnd.write(bytes);
        },
        pollMs: 20,
        blockTimeoutMs: 25,
        purgeMs: 8,
        maxRetries,
      },
      (received) => {
        // Let the sender see the last ACK (or give up) before the link goes.
        void sent.catch(() => undefined).then(() => {
          pcEnd.destroy();
          resolve({ received, sent });
        });
      },
    );
    boardEnd.on('data', (bytes: Buffer) => bytes.forEach((b) => receiver.push(b)));
    receiver.start();
    const reader = new ByteReader(pcEnd);
    sent = sendXmodem(faultyPc, reader, payload, { blockSize, ackTimeoutMs: 60, maxRetries }).finally(() => reader.detach());
    sent.catch(() => {
      if (!receiver.finished) receiver.abort();
    });
  });
}

const strip = (data: Buffer, size: number): Buffer => {
  assert.ok(data.length >= size && data.length - size < 1024, `received ${data.length} bytes for ${size}`);
  assert.ok(data.subarray(size).every((b) => b === SUB), 'only SUB padding after the payload');
  return data.subarray(0, size);
};

describe('XMODEM', function () {
  this.timeout(60_000);

  it('CRC-16/XMODEM has the catalogue check value', () => {
    assert.equal(crc16Xmodem(Buffer.from('123456789')), 0x31c3);
    assert.equal(crc16Xmodem(Buffer.alloc(0)), 0);
  });

  it('frames decode back to their data, and any single flipped bit is refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 1024 }), fc.integer({ min: 1, max: 600 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (data, n, at, bit) => {
        const size: XmodemBlockSize = data.length > 128 ? 1024 : 128;
        const frame = encodeBlock(n, data, size);
        const decoded = decodeBlock(frame);
        assert.ok(!('error' in decoded));
        assert.equal(decoded.blockNumber, n & 0xff);
        assert.deepEqual(decoded.data.subarray(0, data.length), Buffer.from(data));
        const damaged = Buffer.from(frame);
        damaged[1 + (at % (frame.length - 1))]! ^= 1 << bit;
        assert.ok('error' in decodeBlock(damaged));
      }),
      { seed: testSeed() },
    );
  });

  it('delivers random payloads exactly over a clean link, 128-byte and 1K blocks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 5000 }), fc.constantFrom<XmodemBlockSize>(128, 1024), async (bytes, size) => {
        const payload = Buffer.from(bytes);
        const { received, sent } = await runOverFaultyLink(payload, size, [], new Set(), 0);
        await sent;
        assert.ok(received.ok, JSON.stringify(received));
        assert.deepEqual(strip(received.data, payload.length), payload);
      }),
      { numRuns: 30, seed: testSeed() },
    );
  });

  it('dropped, corrupted and cut frames and lost ACKs are resent: the data arrives whole, never altered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 2500 }),
        fc.constantFrom<XmodemBlockSize>(128, 1024),
        fc.array(fc.constantFrom<FrameFault>('ok', 'ok', 'drop', 'corrupt', 'truncate'), { maxLength: 20 }),
        fc.uniqueArray(fc.nat({ max: 20 }), { maxLength: 4 }),
        fc.nat(),
        async (bytes, size, faults, lost, corruptAt) => {
          const payload = Buffer.from(bytes);
          const { received, sent } = await runOverFaultyLink(payload, size, faults, new Set(lost), corruptAt);
          const outcome = await sent.then(() => 'sent', (err: unknown) => err);
          if (outcome === 'sent') {
            assert.ok(received.ok, `the sender finished but the receiver says ${JSON.stringify(received)}`);
            assert.deepEqual(strip(received.data, payload.length), payload);
          } else {
            assert.ok(isRecoveryError(outcome, 'TRANSFER_FAILED'), String(outcome));
          }
          if (received.ok) assert.deepEqual(strip(received.data, payload.length), payload);
        },
      ),
      { numRuns: 25, seed: testSeed() },
    );
  });

  it('gives up after maxRetries with a clear error when every block is refused', async () => {
    const { received, sent } = await runOverFaultyLink(Buffer.alloc(300, 7), 128, Array<FrameFault>(50).fill('corrupt'), new Set(), 5, 8);
    await assert.rejects(sent, /Sending the data failed: block 1 was not acknowledged after 8 attempts|cancelled the transfer/);
    assert.equal(received.ok, false);
  });

  it('refuses a receiver that asks for checksum mode', async () => {
    const [pcEnd, boardEnd] = createLinkPair();
    const reader = new ByteReader(pcEnd);
    boardEnd.write(Buffer.from([0x15]));
    await assert.rejects(sendXmodem(pcEnd, reader, Buffer.alloc(10), { label: 'the bootloader' }), /the bootloader failed: the board asked for XMODEM checksum mode; only CRC mode is supported/);
    reader.detach();
    pcEnd.destroy();
  });

  it('works across a real pty pair with serialport at 115200 baud', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xmodem-pty-'));
    const pair = await openPtyPair(path.join(dir, 'tty'));
    const port = new SerialPort({ path: path.join(dir, 'tty'), baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    try {
      const payload = Buffer.from(Array.from({ length: 3333 }, (_, i) => (i * 7) & 0xff));
      const received = new Promise<XmodemReceiveResult>((resolve) => {
        const receiver = new XmodemReceiver({ send: (b) => pair.write(b), pollMs: 100 }, resolve);
        pair.on('data', (bytes: Buffer) => bytes.forEach((b) => receiver.push(b)));
        receiver.start();
      });
      const reader = new ByteReader(port);
      const progress: number[] = [];
      const stats = await sendXmodem(port, reader, payload, { baudRate: 115200, onProgress: (n) => progress.push(n) });
      reader.detach();
      const result = await received;
      assert.ok(result.ok);
      assert.deepEqual(strip(result.data, payload.length), payload);
      assert.deepEqual(progress, [1024, 2048, 3072, 3333]);
      assert.deepEqual(stats, { blocks: 4, resent: 0 });
    } finally {
      await new Promise<void>((resolve) => port.close(() => resolve()));
      await pair.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
