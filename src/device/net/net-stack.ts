/**
 * A user-space IPv4 host over SLIP on a serial byte stream: ICMP echo and TCP, with Node `Duplex` sockets.
 * The same class serves the extension (client side, `connect`) and the board simulator (server side, `listen`).
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { newCounters, snapshotCounters, type NetCounters } from './counters';
import { NetError } from './errors';
import { buildIcmpEcho, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmp } from './icmp';
import { buildIPv4Header, formatIPv4Address, IPPROTO_ICMP, IPPROTO_TCP, IPV4_HEADER_LEN, parseIPv4, parseIPv4Address } from './ipv4';
import { slipEncode, SlipDecoder } from './slip';
import { buildTcpHeader, parseTcp, TCP_ACK, TCP_HEADER_LEN, TCP_RST, TCP_SYN, TCP_FIN, type TcpHeaderFields, type TcpSegment } from './tcp-segment';
import { resolveTcpOptions, type TcpOptions } from './tcp-options';
import { TcpSocket, type TcpHost } from './tcp-socket';

export interface NetStackOptions {
  /** Our IPv4 address on the link, e.g. '192.168.35.1' (PC) or '192.168.35.2' (board). */
  localAddress: string;
  /** Largest IPv4 datagram we send or expect; TCP MSS = mtu − 40. Default 1500 (MSS 1460). */
  mtu?: number;
  tcp?: Partial<TcpOptions>;
}

export interface ConnectOptions {
  host: string;
  port: number;
  /** Give up the handshake after this long (ETIMEDOUT). Default: only the SYN retry limit applies. */
  timeoutMs?: number;
}

export interface PingOptions {
  timeoutMs?: number;
  /** Echo payload bytes (default 56, like ping(8)). */
  size?: number;
}

interface PendingPing {
  resolve: (rttMs: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  sentAt: number;
  remote: number;
}

const EPHEMERAL_LOW = 49152;
const EPHEMERAL_HIGH = 65535;

function connKey(remote: number, remotePort: number, localPort: number): string {
  return `${remote}:${remotePort}:${localPort}`;
}

function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`${what}: port must be an integer 1-65535, got ${port}`);
}

/**
 * Events: 'close' once after destroy (for whatever reason); 'linkdown' (err) when the link ended, errored or closed.
 * The stack owns the link from construction: `destroy()` destroys it too.
 */
export class NetStack extends EventEmitter {
  readonly localAddress: string;
  readonly mtu: number;
  readonly mss: number;
  readonly tcpOptions: TcpOptions;

  private readonly link: Duplex;
  private readonly localAddr: number;
  private readonly stats = newCounters();
  private readonly decoder: SlipDecoder;
  private readonly connections = new Map<string, TcpSocket>();
  private readonly portListeners = new Map<number, (sock: TcpSocket) => void>();
  private readonly pings = new Map<number, PendingPing>();
  private readonly host: TcpHost;
  private ipId = (Math.random() * 0x10000) >>> 0;
  private nextEphemeral = EPHEMERAL_LOW + Math.floor(Math.random() * (EPHEMERAL_HIGH - EPHEMERAL_LOW));
  private readonly pingId = (Math.random() * 0x10000) >>> 0;
  private pingSeq = 0;
  private linkBlocked = false;
  private destroyedWith: Error | undefined;
  private isDestroyed = false;
  private readonly onLinkData = (chunk: Buffer) => this.receive(chunk);
  private readonly onLinkDrain = () => this.linkDrained();
  private readonly onLinkEnd = () => this.linkDown('the link stream ended');
  private readonly onLinkClose = () => this.linkDown('the link stream closed');
  private readonly onLinkError = (err: Error) => this.linkDown(`the link stream failed: ${err.message}`, err);

  constructor(link: Duplex, opts: NetStackOptions) {
    super();
    this.localAddr = parseIPv4Address(opts.localAddress);
    this.localAddress = formatIPv4Address(this.localAddr);
    const mtu = opts.mtu ?? 1500;
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new RangeError(`mtu must be an integer 68-65535, got ${mtu}`);
    this.mtu = mtu;
    this.mss = mtu - IPV4_HEADER_LEN - TCP_HEADER_LEN;
    this.tcpOptions = resolveTcpOptions(opts.tcp);
    this.link = link;
    this.decoder = new SlipDecoder((frame) => this.receiveFrame(frame), () => { this.stats.slipErrors++; }, Math.max(mtu, 576) + 64);
    this.host = {
      counters: this.stats,
      mss: this.mss,
      sendSegment: (fields, remote, payload) => this.sendTcp(fields, remote, payload),
      linkReady: () => !this.linkBlocked && !this.isDestroyed,
      release: (sock) => this.releaseConnection(sock),
      accepted: (sock) => this.acceptConnection(sock),
    };
    link.on('data', this.onLinkData);
    link.on('drain', this.onLinkDrain);
    link.on('end', this.onLinkEnd);
    link.on('close', this.onLinkClose);
    link.on('error', this.onLinkError);
  }

  /** A snapshot of the counters. */
  get counters(): NetCounters {
    return snapshotCounters(this.stats);
  }

  get destroyed(): boolean {
    return this.isDestroyed;
  }

  // ------------------------------------------------------------------ public API

  connect(opts: ConnectOptions): TcpSocket {
    const remote = parseIPv4Address(opts.host);
    checkPort(opts.port, 'connect');
    if (opts.timeoutMs !== undefined && (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0)) {
      throw new RangeError(`connect: timeoutMs must be a positive number, got ${opts.timeoutMs}`);
    }
    const localPort = this.allocatePort(remote, opts.port);
    const sock = new TcpSocket({ host: this.host, options: this.tcpOptions, localAddr: this.localAddr, localPort, remoteAddr: remote, remotePort: opts.port });
    if (this.isDestroyed) {
      const err = this.destroyedWith ?? new NetError('ECONNABORTED', 'the network stack was destroyed');
      sock.connecting = true;
      process.nextTick(() => sock.destroy(err));
      return sock;
    }
    this.connections.set(connKey(remote, opts.port, localPort), sock);
    sock.openActive(opts.timeoutMs);
    return sock;
  }

  listen(port: number, onConnection: (sock: TcpSocket) => void): { close(): void } {
    checkPort(port, 'listen');
    if (this.portListeners.has(port)) throw new NetError('EADDRINUSE', `listen EADDRINUSE: port ${port} of ${this.localAddress} already has a listener`);
    this.portListeners.set(port, onConnection);
    return {
      close: () => {
        if (this.portListeners.get(port) === onConnection) this.portListeners.delete(port);
      },
    };
  }

  ping(host: string, opts: PingOptions = {}): Promise<number> {
    const remote = parseIPv4Address(host);
    const timeoutMs = opts.timeoutMs ?? 1000;
    const size = opts.size ?? 56;
    if (!Number.isInteger(size) || size < 0 || size > this.mtu - IPV4_HEADER_LEN - 8) {
      throw new RangeError(`ping: size must be an integer 0-${this.mtu - IPV4_HEADER_LEN - 8}, got ${size}`);
    }
    if (this.isDestroyed) return Promise.reject(this.destroyedWith ?? new NetError('ECONNABORTED', 'the network stack was destroyed'));
    const seq = this.pingSeq = (this.pingSeq + 1) & 0xffff;
    const data = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) data[i] = i & 0xff;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pings.delete(seq);
        reject(new NetError('ETIMEDOUT', `ping ${host}: no echo reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pings.set(seq, { resolve, reject, timer, sentAt: performance.now(), remote });
      this.sendIp(remote, IPPROTO_ICMP, [buildIcmpEcho(ICMP_ECHO_REQUEST, this.pingId, seq, data)]);
    });
  }

  /**
   * Ends every connection (with `err` when given, else silently, like closing them), rejects pending pings
   * (with `err` or ECONNABORTED), destroys the link, then emits 'close'. Idempotent.
   */
  destroy(err?: Error): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    const reason = err ?? new NetError('ECONNABORTED', 'the network stack was destroyed');
    this.destroyedWith = reason;
    this.link.off('data', this.onLinkData);
    this.link.off('drain', this.onLinkDrain);
    this.link.off('end', this.onLinkEnd);
    this.link.off('close', this.onLinkClose);
    this.link.off('error', this.onLinkError);
    this.link.on('error', () => { /* late errors of a link we are done with */ });
    for (const sock of [...this.connections.values()]) {
      // Without an error (a deliberate shutdown) sockets just close; with one, each socket reports it.
      sock.fail(err === undefined ? undefined : err instanceof NetError ? err : new NetError('ECONNABORTED', err.message, { cause: err }));
    }
    this.connections.clear();
    this.portListeners.clear();
    for (const [seq, p] of this.pings) {
      clearTimeout(p.timer);
      this.pings.delete(seq);
      p.reject(reason);
    }
    if (!this.link.destroyed) this.link.destroy();
    process.nextTick(() => this.emit('close', err));
  }

  // ------------------------------------------------------------------ link

  private linkDown(why: string, cause?: Error): void {
    if (this.isDestroyed) return;
    const err = new NetError('ELINKDOWN', `serial link down: ${why}; connections over it are lost`, cause ? { cause } : undefined);
    this.emit('linkdown', err);
    this.destroy(err);
  }

  private linkDrained(): void {
    this.linkBlocked = false;
    for (const sock of this.connections.values()) {
      sock.output();
      if (this.linkBlocked) break;
    }
  }

  private writeFrame(parts: Uint8Array[]): void {
    if (this.isDestroyed) return;
    const frame = slipEncode(parts);
    this.stats.framesOut++;
    this.stats.bytesOut += frame.length;
    if (!this.link.write(frame)) this.linkBlocked = true;
  }

  private sendIp(remote: number, protocol: number, parts: Uint8Array[]): void {
    let len = 0;
    for (const p of parts) len += p.length;
    this.ipId = (this.ipId + 1) & 0xffff;
    const ip = buildIPv4Header({ src: this.localAddr, dst: remote, protocol, payloadLength: len, id: this.ipId });
    this.writeFrame([ip, ...parts]);
  }

  private sendTcp(fields: Omit<TcpHeaderFields, 'src' | 'dst'>, remote: number, payload: Buffer[]): void {
    const tcp = buildTcpHeader({ ...fields, src: this.localAddr, dst: remote }, payload);
    this.sendIp(remote, IPPROTO_TCP, [tcp, ...payload]);
  }

  // ------------------------------------------------------------------ input

  private receive(chunk: Buffer): void {
    if (this.isDestroyed) return;
    this.stats.bytesIn += chunk.length;
    this.decoder.push(chunk);
  }

  private receiveFrame(frame: Buffer): void {
    this.stats.framesIn++;
    const ip = parseIPv4(frame);
    if (typeof ip === 'string') {
      if (ip === 'bad-checksum') this.stats.ipChecksumErrors++;
      else if (ip === 'fragmented') this.stats.dropped.fragmented++;
      else this.stats.dropped.malformed++;
      return;
    }
    if (ip.dst !== this.localAddr) {
      this.stats.dropped.notOurs++;
      return;
    }
    if (ip.protocol === IPPROTO_TCP) this.receiveTcp(ip.src, ip.payload);
    else if (ip.protocol === IPPROTO_ICMP) this.receiveIcmp(ip.src, ip.payload);
    else this.stats.dropped.unsupportedProtocol++;
  }

  private receiveIcmp(src: number, data: Buffer): void {
    const msg = parseIcmp(data);
    if (typeof msg === 'string') {
      if (msg === 'bad-checksum') this.stats.icmpChecksumErrors++;
      else this.stats.dropped.malformed++;
      return;
    }
    if (msg.type === ICMP_ECHO_REQUEST && msg.code === 0) {
      this.sendIp(src, IPPROTO_ICMP, [buildIcmpEcho(ICMP_ECHO_REPLY, msg.id, msg.seq, msg.data)]);
      return;
    }
    if (msg.type === ICMP_ECHO_REPLY && msg.id === this.pingId) {
      const p = this.pings.get(msg.seq);
      if (p && p.remote === src) {
        this.pings.delete(msg.seq);
        clearTimeout(p.timer);
        p.resolve(performance.now() - p.sentAt);
        return;
      }
    }
    this.stats.dropped.icmpIgnored++;
  }

  private receiveTcp(src: number, data: Buffer): void {
    const seg = parseTcp(data, src, this.localAddr);
    if (typeof seg === 'string') {
      if (seg === 'bad-checksum') this.stats.tcpChecksumErrors++;
      else this.stats.dropped.malformed++;
      return;
    }
    const sock = this.connections.get(connKey(src, seg.srcPort, seg.dstPort));
    if (sock && !sock.yieldsToNewSyn(seg)) {
      sock.handleSegment(seg);
      return;
    }
    const onConnection = this.portListeners.get(seg.dstPort);
    if (onConnection && (seg.flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN && seg.srcPort !== 0) {
      let handshaking = 0;
      for (const c of this.connections.values()) if (c.state === 'SYN-RECEIVED') handshaking++;
      if (handshaking >= this.tcpOptions.synBacklog) {
        this.stats.dropped.synBacklogFull++; // the peer retransmits its SYN; by then a slot may be free
        return;
      }
      const child = new TcpSocket({ host: this.host, options: this.tcpOptions, localAddr: this.localAddr, localPort: seg.dstPort, remoteAddr: src, remotePort: seg.srcPort });
      this.connections.set(connKey(src, seg.srcPort, seg.dstPort), child);
      child.openPassive(seg);
      return;
    }
    this.stats.dropped.noSocket++;
    this.resetStray(src, seg);
  }

  /** RFC 9293 §3.10.7.1: a segment for no connection gets a RST (unless it is one). */
  private resetStray(src: number, seg: TcpSegment): void {
    if (seg.flags & TCP_RST) return;
    this.stats.resets++;
    const base = { srcPort: seg.dstPort, dstPort: seg.srcPort, window: 0 };
    if (seg.flags & TCP_ACK) {
      this.sendTcp({ ...base, seq: seg.ack, ack: 0, flags: TCP_RST }, src, []);
    } else {
      const len = seg.payload.length + (seg.flags & TCP_SYN ? 1 : 0) + (seg.flags & TCP_FIN ? 1 : 0);
      this.sendTcp({ ...base, seq: 0, ack: (seg.seq + len) >>> 0, flags: TCP_RST | TCP_ACK }, src, []);
    }
  }

  // ------------------------------------------------------------------ connections

  private allocatePort(remote: number, remotePort: number): number {
    const span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
    for (let i = 0; i < span; i++) {
      const port = this.nextEphemeral;
      this.nextEphemeral = port >= EPHEMERAL_HIGH ? EPHEMERAL_LOW : port + 1;
      if (!this.connections.has(connKey(remote, remotePort, port)) && !this.portListeners.has(port)) return port;
    }
    throw new NetError('EADDRINUSE', `no free local port for ${formatIPv4Address(remote)}:${remotePort}`);
  }

  private releaseConnection(sock: TcpSocket): void {
    const key = connKey(sock.remoteAddr, sock.remotePort, sock.localPort);
    if (this.connections.get(key) === sock) this.connections.delete(key);
  }

  private acceptConnection(sock: TcpSocket): void {
    const onConnection = this.portListeners.get(sock.localPort);
    if (!onConnection) {
      sock.destroy(); // the listener closed during the handshake: reset
      return;
    }
    onConnection(sock);
  }
}
