/** TCP header encoding and decoding (RFC 9293 §3.1), with the checksum over the IPv4 pseudo-header. */
import { finishChecksum, pseudoHeaderSum, sum16 } from './checksum';
import { IPPROTO_TCP } from './ipv4';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

export const TCP_HEADER_LEN = 20;

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** MSS option, when present (only meaningful on SYN). */
  mss?: number;
  /** Payload as a view into the received frame. */
  payload: Buffer;
}

export type TcpDropReason = 'truncated' | 'bad-offset' | 'bad-checksum' | 'bad-options';

/** Parses and verifies a TCP segment carried in an IPv4 datagram from `src` to `dst`. Never throws. */
export function parseTcp(data: Buffer, src: number, dst: number): TcpSegment | TcpDropReason {
  if (data.length < TCP_HEADER_LEN) return 'truncated';
  const offset = (data[12] >> 4) * 4;
  if (offset < TCP_HEADER_LEN || offset > data.length) return 'bad-offset';
  const sum = sum16(data, pseudoHeaderSum(src, dst, IPPROTO_TCP, data.length));
  if (finishChecksum(sum) !== 0) return 'bad-checksum';
  let mss: number | undefined;
  for (let i = TCP_HEADER_LEN; i < offset;) {
    const kind = data[i];
    if (kind === 0) break; // end of option list
    if (kind === 1) { i++; continue; } // no-operation
    if (i + 1 >= offset) return 'bad-options';
    const len = data[i + 1];
    if (len < 2 || i + len > offset) return 'bad-options';
    if (kind === 2) {
      if (len !== 4) return 'bad-options';
      mss = data.readUInt16BE(i + 2);
    }
    i += len;
  }
  return {
    srcPort: data.readUInt16BE(0),
    dstPort: data.readUInt16BE(2),
    seq: data.readUInt32BE(4),
    ack: data.readUInt32BE(8),
    flags: data[13] & 0x3f,
    window: data.readUInt16BE(14),
    mss,
    payload: data.subarray(offset),
  };
}

export interface TcpHeaderFields {
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  mss?: number;
}

/**
 * Builds the TCP header for `payload` (given as slices, so the send buffer is never copied into a staging buffer),
 * with its checksum computed over pseudo-header, header and payload.
 */
export function buildTcpHeader(f: TcpHeaderFields, payload: readonly Uint8Array[]): Buffer {
  const optLen = f.mss !== undefined ? 4 : 0;
  const h = Buffer.allocUnsafe(TCP_HEADER_LEN + optLen);
  h.writeUInt16BE(f.srcPort, 0);
  h.writeUInt16BE(f.dstPort, 2);
  h.writeUInt32BE(f.seq >>> 0, 4);
  h.writeUInt32BE(f.ack >>> 0, 8);
  h[12] = ((TCP_HEADER_LEN + optLen) / 4) << 4;
  h[13] = f.flags;
  h.writeUInt16BE(f.window, 14);
  h.writeUInt16BE(0, 16);
  h.writeUInt16BE(0, 18);
  if (f.mss !== undefined) {
    h[20] = 2;
    h[21] = 4;
    h.writeUInt16BE(f.mss, 22);
  }
  let payloadLength = 0;
  for (const p of payload) payloadLength += p.length;
  let sum = pseudoHeaderSum(f.src, f.dst, IPPROTO_TCP, h.length + payloadLength);
  sum = sum16(h, sum);
  // Slices may have odd lengths: carry an odd byte into the next slice's word alignment.
  let odd = -1;
  for (const p of payload) {
    let part = p;
    if (odd >= 0 && part.length > 0) {
      sum += (odd << 8) | part[0];
      part = part.subarray(1);
      odd = -1;
    }
    if (part.length & 1) {
      sum = sum16(part.subarray(0, part.length - 1), sum);
      odd = part[part.length - 1];
    } else {
      sum = sum16(part, sum);
    }
  }
  if (odd >= 0) sum += odd << 8;
  h.writeUInt16BE(finishChecksum(sum), 16);
  return h;
}
