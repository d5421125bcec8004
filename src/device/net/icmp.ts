/** ICMP echo request/reply (RFC 792): the only ICMP messages the stack sends or answers. */
import { internetChecksum } from './checksum';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;

export interface IcmpEcho {
  type: number;
  code: number;
  id: number;
  seq: number;
  data: Buffer;
}

export type IcmpDropReason = 'truncated' | 'bad-checksum';

export function parseIcmp(msg: Buffer): IcmpEcho | IcmpDropReason {
  if (msg.length < 8) return 'truncated';
  if (internetChecksum(msg) !== 0) return 'bad-checksum';
  return { type: msg[0], code: msg[1], id: msg.readUInt16BE(4), seq: msg.readUInt16BE(6), data: msg.subarray(8) };
}

export function buildIcmpEcho(type: number, id: number, seq: number, data: Buffer): Buffer {
  const msg = Buffer.allocUnsafe(8 + data.length);
  msg[0] = type;
  msg[1] = 0;
  msg.writeUInt16BE(0, 2);
  msg.writeUInt16BE(id & 0xffff, 4);
  msg.writeUInt16BE(seq & 0xffff, 6);
  data.copy(msg, 8);
  msg.writeUInt16BE(internetChecksum(msg), 2);
  return msg;
}
