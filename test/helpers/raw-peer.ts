/**
 * A hand-driven TCP peer for state-machine tests: it sits on the far end of a NetStack's link, decodes every frame the
 * stack sends and lets the test send exactly the segments it wants (sequence numbers, flags, windows, options).
 */
import type { Duplex } from 'node:stream';
import { NetStack, type TcpOptions } from '../../src/device/net';
import { buildIPv4Header, IPPROTO_TCP, parseIPv4, parseIPv4Address } from '../../src/device/net/ipv4';
import { createLinkPair } from '../../src/device/net/link-pair';
import { SlipDecoder, slipEncode } from '../../src/device/net/slip';
import { buildTcpHeader, parseTcp, type TcpSegment } from '../../src/device/net/tcp-segment';

export const STACK_IP = '192.168.35.2';
export const PEER_IP = '192.168.35.1';
const stackAddr = parseIPv4Address(STACK_IP);
const peerAddr = parseIPv4Address(PEER_IP);

export interface SendSpec {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  mss?: number;
  payload?: Buffer;
}

export class RawPeer {
  readonly stack: NetStack;
  readonly link: Duplex;
  /** Every TCP segment the stack sent, in order. */
  readonly received: TcpSegment[] = [];
  private waiters: Array<{ pred: (s: TcpSegment) => boolean; resolve: (s: TcpSegment) => void; from: number }> = [];

  constructor(tcp: Partial<TcpOptions> = {}, mtu?: number) {
    const [stackLink, peerLink] = createLinkPair();
    this.stack = new NetStack(stackLink, { localAddress: STACK_IP, tcp, mtu });
    this.link = peerLink;
    const decoder = new SlipDecoder((frame) => {
      const ip = parseIPv4(frame);
      if (typeof ip === 'string' || ip.protocol !== IPPROTO_TCP) return;
      const seg = parseTcp(ip.payload, ip.src, ip.dst);
      if (typeof seg === 'string') throw new Error(`stack sent a bad TCP segment: ${seg}`);
      seg.payload = Buffer.from(seg.payload);
      this.received.push(seg);
      for (const w of [...this.waiters]) {
        if (this.received.length - 1 >= w.from && w.pred(seg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(seg);
        }
      }
    }, () => { throw new Error('stack sent a bad SLIP frame'); });
    peerLink.on('data', (c: Buffer) => decoder.push(c));
  }

  send(s: SendSpec): void {
    const payload = s.payload ?? Buffer.alloc(0);
    const tcp = buildTcpHeader({ src: peerAddr, dst: stackAddr, srcPort: s.srcPort, dstPort: s.dstPort, seq: s.seq >>> 0, ack: (s.ack ?? 0) >>> 0, flags: s.flags, window: s.window ?? 65535, mss: s.mss }, [payload]);
    const ip = buildIPv4Header({ src: peerAddr, dst: stackAddr, protocol: IPPROTO_TCP, payloadLength: tcp.length + payload.length, id: 1 });
    this.link.write(slipEncode([ip, tcp, payload]));
  }

  /** Resolves with the next segment (sent after `since` segments were seen) matching `pred`. */
  next(pred: (s: TcpSegment) => boolean = () => true, since = this.received.length, timeoutMs = 3000): Promise<TcpSegment> {
    const already = this.received.slice(since).find(pred);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching segment within ${timeoutMs} ms; got ${this.received.length - since}`)), timeoutMs);
      this.waiters.push({ pred, from: since, resolve: (s) => { clearTimeout(timer); resolve(s); } });
    });
  }

  /** Lets the event loop run for `ms`. */
  static sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  close(): void {
    this.stack.destroy();
  }
}
