// The sending side of XMODEM-CRC (128-byte blocks) and XMODEM-1K (1024-byte blocks): waits for the receiver's 'C',
// sends each block until it is acknowledged (NAK or silence → the same block again, up to maxRetries), then EOT.
// Only CRC mode: a receiver asking for the old checksum mode (NAK at the start) is refused with a clear error.
import type { Writable } from 'node:stream';
import { ReadTimeoutError, type ByteReader } from './byte-reader';
import { RecoveryError } from './recovery-error';
import { ACK, blockWireBytes, CAN, CRC_REQUEST, encodeBlock, EOT, NAK, type XmodemBlockSize } from './xmodem-protocol';
import { wireTimeMs } from '../net/paced-line';

export interface XmodemSendOptions {
  /** Default 1024 (XMODEM-1K). */
  blockSize?: XmodemBlockSize;
  /** How long to wait for the receiver's first 'C' (default 10 s). */
  startTimeoutMs?: number;
  /** How long to wait for ACK/NAK once a block has crossed the line (default 2 s). */
  ackTimeoutMs?: number;
  /** Sends of one block (or of EOT) before giving up (default 10). */
  maxRetries?: number;
  /** The line rate, so the wait for an answer starts when the block's last byte is out (default: no allowance). */
  baudRate?: number;
  /** Data bytes acknowledged so far (called after every ACK). */
  onProgress?: (acknowledgedBytes: number) => void;
  /** What the transfer is, for error messages ("the recovery bootloader"). */
  label?: string;
}

export interface XmodemSendStats {
  blocks: number;
  /** Blocks (and EOTs) sent again after a NAK or a timeout. */
  resent: number;
}

const CANCEL_SEQUENCE = Buffer.from([CAN, CAN, CAN]);

export async function sendXmodem(port: Writable, reader: ByteReader, data: Uint8Array, options: XmodemSendOptions = {}): Promise<XmodemSendStats> {
  const size = options.blockSize ?? 1024;
  const maxRetries = options.maxRetries ?? 10;
  const ackTimeoutMs = options.ackTimeoutMs ?? 2_000;
  const label = options.label ?? 'the data';
  const lineTimeMs = (bytes: number): number => (options.baudRate ? Math.ceil(wireTimeMs(bytes, options.baudRate)) : 0);
  const fail = (why: string, cancel = true): RecoveryError => {
    if (cancel) port.write(CANCEL_SEQUENCE);
    return new RecoveryError('TRANSFER_FAILED', `Sending ${label} failed: ${why}.`);
  };

  await waitForCrcRequest(reader, options.startTimeoutMs ?? 10_000, label);
  const stats: XmodemSendStats = { blocks: 0, resent: 0 };

  /** Sends `frame` until ACK; 'C' (a request still in flight when the first block left) and noise are ignored. */
  const deliver = async (frame: Buffer, what: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      port.write(frame);
      const deadline = Date.now() + lineTimeMs(frame.length) + ackTimeoutMs;
      let answer: 'ack' | 'resend' = 'resend';
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        let byte: number;
        try {
          byte = await reader.readByte(left);
        } catch (err) {
          if (err instanceof ReadTimeoutError) break;
          throw fail(`the port closed (${(err as Error).message})`, false);
        }
        if (byte === ACK) {
          answer = 'ack';
          break;
        }
        if (byte === NAK) break;
        if (byte === CAN && (await reader.readByte(1_000).catch(() => -1)) === CAN) throw fail(`the board cancelled the transfer at ${what}`, false);
      }
      if (answer === 'ack') return;
      if (attempt >= maxRetries) throw fail(`${what} was not acknowledged after ${maxRetries} attempts`);
      stats.resent++;
    }
  };

  let acknowledged = 0;
  for (let offset = 0, block = 1; offset < data.length; offset += size, block++) {
    const chunk = data.subarray(offset, Math.min(offset + size, data.length));
    await deliver(encodeBlock(block, chunk, size), `block ${block}`);
    stats.blocks++;
    acknowledged += chunk.length;
    options.onProgress?.(acknowledged);
  }
  await deliver(Buffer.from([EOT]), 'the end of transfer (EOT)');
  return stats;
}

async function waitForCrcRequest(reader: ByteReader, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    let byte: number;
    try {
      if (left <= 0) throw new ReadTimeoutError('byte', timeoutMs);
      byte = await reader.readByte(left);
    } catch (err) {
      const why = err instanceof ReadTimeoutError ? `the board did not ask for it within ${Math.round(timeoutMs / 1000)} s` : `the port closed (${(err as Error).message})`;
      throw new RecoveryError('TRANSFER_FAILED', `Sending ${label} failed: ${why}.`);
    }
    if (byte === CRC_REQUEST) return;
    if (byte === NAK) throw new RecoveryError('TRANSFER_FAILED', `Sending ${label} failed: the board asked for XMODEM checksum mode; only CRC mode is supported.`);
  }
}

/** Wire bytes of a whole transfer of `dataBytes` (blocks + EOT), to compare throughput with the line rate. */
export function xmodemWireBytes(dataBytes: number, blockSize: XmodemBlockSize = 1024): number {
  return Math.ceil(dataBytes / blockSize) * blockWireBytes(blockSize) + 1;
}
