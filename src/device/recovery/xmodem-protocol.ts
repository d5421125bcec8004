// XMODEM-CRC / XMODEM-1K framing shared by the sender (extension) and the receiver (board simulator):
// <SOH|STX> <block#> <255-block#> <128|1024 data bytes, the last block padded with SUB> <CRC-16 hi> <CRC-16 lo>.
// Block numbers start at 1 and wrap at 256. The receiver starts a CRC transfer by sending 'C'; EOT ends it.
import { crc16Xmodem } from './crc16';

export const SOH = 0x01;
export const STX = 0x02;
export const EOT = 0x04;
export const ACK = 0x06;
export const NAK = 0x15;
export const CAN = 0x18;
/** The padding byte of a short last block. */
export const SUB = 0x1a;
/** 'C': the receiver asks for a CRC-16 transfer. */
export const CRC_REQUEST = 0x43;

export type XmodemBlockSize = 128 | 1024;

/** Bytes on the wire for one block of `size` data bytes: header (3) + data + CRC (2). */
export const blockWireBytes = (size: XmodemBlockSize): number => size + 5;

/** One framed block. `data` may be shorter than `size` (the last block); the rest is padded with SUB. */
export function encodeBlock(blockNumber: number, data: Uint8Array, size: XmodemBlockSize): Buffer {
  if (data.length > size) throw new RangeError(`an XMODEM block holds at most ${size} bytes, not ${data.length}`);
  const frame = Buffer.alloc(blockWireBytes(size), SUB);
  const n = blockNumber & 0xff;
  frame[0] = size === 1024 ? STX : SOH;
  frame[1] = n;
  frame[2] = 0xff - n;
  frame.set(data, 3);
  const crc = crc16Xmodem(frame, 3, 3 + size);
  frame[3 + size] = crc >> 8;
  frame[4 + size] = crc & 0xff;
  return frame;
}

/** Checks a whole frame (header byte included); returns its block number and data, or why it is bad. */
export function decodeBlock(frame: Uint8Array): { blockNumber: number; data: Buffer } | { error: string } {
  const size = frame[0] === STX ? 1024 : frame[0] === SOH ? 128 : 0;
  if (size === 0) return { error: `not a block header: 0x${(frame[0] ?? 0).toString(16)}` };
  if (frame.length !== size + 5) return { error: `block of ${frame.length} bytes, expected ${size + 5}` };
  if (((frame[1]! + frame[2]!) & 0xff) !== 0xff) return { error: 'block number and its complement disagree' };
  const crc = (frame[3 + size]! << 8) | frame[4 + size]!;
  if (crc16Xmodem(frame, 3, 3 + size) !== crc) return { error: 'CRC mismatch' };
  return { blockNumber: frame[1]!, data: Buffer.from(frame.subarray(3, 3 + size)) };
}
