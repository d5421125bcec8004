/** IPv4 header (RFC 791) building and validation; addresses are held as unsigned 32-bit numbers. */
import { finishChecksum, sum16 } from './checksum';

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPV4_HEADER_LEN = 20;

export function parseIPv4Address(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) throw new TypeError(`not an IPv4 address in dotted-quad form: ${JSON.stringify(text)}`);
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) throw new TypeError(`IPv4 address octet out of range: ${JSON.stringify(text)}`);
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

export function formatIPv4Address(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

export interface IPv4Packet {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  id: number;
  /** Header length in bytes. */
  headerLength: number;
  /** The payload, a view into the frame (no copy). */
  payload: Buffer;
}

export type IPv4DropReason = 'truncated' | 'bad-version' | 'bad-header-length' | 'bad-checksum' | 'fragmented';

/** Validates a received datagram; returns the packet or the reason to drop it. Never throws. */
export function parseIPv4(frame: Buffer): IPv4Packet | IPv4DropReason {
  if (frame.length < IPV4_HEADER_LEN) return 'truncated';
  const vihl = frame[0];
  if (vihl >> 4 !== 4) return 'bad-version';
  const headerLength = (vihl & 0x0f) * 4;
  if (headerLength < IPV4_HEADER_LEN) return 'bad-header-length';
  if (headerLength > frame.length) return 'truncated';
  const totalLength = frame.readUInt16BE(2);
  if (totalLength < headerLength) return 'bad-header-length';
  if (totalLength > frame.length) return 'truncated';
  if (finishChecksum(sum16(frame.subarray(0, headerLength))) !== 0) return 'bad-checksum';
  const flagsFrag = frame.readUInt16BE(6);
  if ((flagsFrag & 0x2000) !== 0 || (flagsFrag & 0x1fff) !== 0) return 'fragmented';
  return {
    src: frame.readUInt32BE(12),
    dst: frame.readUInt32BE(16),
    protocol: frame[9],
    ttl: frame[8],
    id: frame.readUInt16BE(4),
    headerLength,
    payload: frame.subarray(headerLength, totalLength),
  };
}

/** Builds a 20-byte header with Don't Fragment set (we never fragment; the MTU bounds our segments). */
export function buildIPv4Header(opts: { src: number; dst: number; protocol: number; payloadLength: number; id: number; ttl?: number }): Buffer {
  const h = Buffer.allocUnsafe(IPV4_HEADER_LEN);
  h[0] = 0x45;
  h[1] = 0;
  h.writeUInt16BE(IPV4_HEADER_LEN + opts.payloadLength, 2);
  h.writeUInt16BE(opts.id & 0xffff, 4);
  h.writeUInt16BE(0x4000, 6);
  h[8] = opts.ttl ?? 64;
  h[9] = opts.protocol;
  h.writeUInt16BE(0, 10);
  h.writeUInt32BE(opts.src >>> 0, 12);
  h.writeUInt32BE(opts.dst >>> 0, 16);
  h.writeUInt16BE(finishChecksum(sum16(h)), 10);
  return h;
}
