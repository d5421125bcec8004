/**
 * One TCP connection (RFC 9293) exposed as a Node `Duplex`, so `tls.connect({ socket })`, `http` agents and
 * `https.Server#emit('connection')` can use it like a `net.Socket`.
 *
 * The transmission control block lives here; the NetStack owns demultiplexing, IP and the link. Output is
 * deferred to the end of the current tick (`process.nextTick`), which coalesces writes made in one tick into full
 * segments and ACKs for a burst of received frames into one ACK, and keeps our state changes out of the callers' stacks.
 */
import { Duplex } from 'node:stream';
import type { NetCounters } from './counters';
import { NetError } from './errors';
import { formatIPv4Address } from './ipv4';
import { RtoEstimator } from './rto';
import { SendBuffer } from './send-buffer';
import { seqAdd, seqDiff, seqGt, seqLeq, seqLt } from './seq';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type TcpHeaderFields, type TcpSegment } from './tcp-segment';
import type { TcpOptions } from './tcp-options';

export type TcpState =
  | 'SYN-SENT' | 'SYN-RECEIVED' | 'ESTABLISHED' | 'FIN-WAIT-1' | 'FIN-WAIT-2'
  | 'CLOSE-WAIT' | 'CLOSING' | 'LAST-ACK' | 'TIME-WAIT' | 'CLOSED';

/** What a connection needs from its stack. */
export interface TcpHost {
  readonly counters: NetCounters;
  /** Our MSS, from the link MTU. */
  readonly mss: number;
  sendSegment(fields: Omit<TcpHeaderFields, 'src' | 'dst'>, remote: number, payload: Buffer[]): void;
  /** False while the link is back-pressured: new data waits for 'drain' (ACKs and control segments still go). */
  linkReady(): boolean;
  /** The connection reached CLOSED: forget it. */
  release(sock: TcpSocket): void;
  /** A passive open completed its handshake. */
  accepted(sock: TcpSocket): void;
}

/** RFC 879 default when the peer sends no MSS option. */
const DEFAULT_PEER_MSS = 536;

interface OutOfOrder {
  seq: number;
  data: Buffer;
  fin: boolean;
}

export interface TcpSocketInit {
  host: TcpHost;
  options: TcpOptions;
  localAddr: number;
  localPort: number;
  remoteAddr: number;
  remotePort: number;
}

export class TcpSocket extends Duplex {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteFamily = 'IPv4';
  connecting = false;

  /** Current RFC 9293 state (read-only for callers; exposed for diagnostics and tests). */
  get state(): TcpState {
    return this.st;
  }

  /** Smoothed RTT in ms, once measured. */
  get smoothedRttMs(): number | undefined {
    return this.rto.smoothedRttMs;
  }

  get bytesWritten(): number {
    return this.totalWritten;
  }

  get bytesRead(): number {
    return this.totalRead;
  }

  /** @internal */ readonly remoteAddr: number;
  /** @internal */ readonly localAddr: number;

  private st: TcpState = 'CLOSED';
  private readonly host: TcpHost;
  private readonly opts: TcpOptions;
  private readonly rto: RtoEstimator;
  private noDelay: boolean;
  private refed = true;

  // Send sequence space
  private iss = 0;
  private sndUna = 0;
  private sndNxt = 0; // never rolled back: retransmissions resend from sndUna without moving sndNxt
  private sndBase = 0; // sequence number of sendBuf's first byte
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private peerMss = DEFAULT_PEER_MSS;
  private readonly sendBuf = new SendBuffer();
  private finQueued = false;
  private finSent = false;
  private pendingWriteCb: ((err?: Error | null) => void) | undefined;

  // Receive sequence space
  private irs = 0;
  private rcvNxt = 0;
  private rcvAdvertisedEdge = 0; // right edge of the window we last advertised (never moved left)
  private ooo: OutOfOrder[] = [];
  private oooBytes = 0;
  private finReceived = false;

  // Timers and recovery
  private rtxTimer: NodeJS.Timeout | undefined;
  private persistTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined; // TIME-WAIT, FIN-WAIT-2 of orphans
  private connectTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private idleMs = 0;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private keepAliveMs = 0;
  private keepAliveSent = 0;
  private lastReceived = 0;
  private lastActivity = 0;
  private retries = 0;
  private persistBackoff = 0;
  private rttSeq: number | undefined;
  private rttStart = 0;
  private dupAcks = 0;
  private inRecovery = false;
  private recover = 0;

  private ackPending = false;
  private outputScheduled = false;
  private orphaned = false; // the application destroyed the socket; the TCB finishes the close on its own
  private exposed = false; // the application has this socket (active open, or passive open handed to the listener)
  private released = false;
  private totalWritten = 0;
  private totalRead = 0;

  constructor(init: TcpSocketInit) {
    super({ allowHalfOpen: true, readableHighWaterMark: init.options.receiveWindow, decodeStrings: true });
    this.host = init.host;
    this.opts = init.options;
    this.localAddr = init.localAddr;
    this.remoteAddr = init.remoteAddr;
    this.localPort = init.localPort;
    this.remotePort = init.remotePort;
    this.localAddress = formatIPv4Address(init.localAddr);
    this.remoteAddress = formatIPv4Address(init.remoteAddr);
    this.noDelay = init.options.noDelay;
    this.rto = new RtoEstimator(init.options.minRtoMs, init.options.maxRtoMs, init.options.initialRtoMs);
    this.lastReceived = performance.now();
  }

  // ---------------------------------------------------------------- public net.Socket-like surface

  setNoDelay(noDelay = true): this {
    this.noDelay = noDelay;
    if (noDelay) this.scheduleOutput();
    return this;
  }

  /**
   * Keep-alive (RFC 9293 §3.8.4): after `initialDelay` ms without a segment from the peer (0: tcp.keepAliveDelayMs),
   * probe it; after tcp.keepAliveProbes unanswered probes the connection fails with ETIMEDOUT. This catches a board
   * that was reset while the serial port stayed open. The timer never keeps the process alive.
   */
  setKeepAlive(enable = false, initialDelay = 0): this {
    this.clearTimer('keepAliveTimer');
    this.keepAliveMs = enable ? (initialDelay > 0 ? initialDelay : this.opts.keepAliveDelayMs) : 0;
    this.keepAliveSent = 0;
    if (this.keepAliveMs > 0) this.armKeepAlive(this.keepAliveMs);
    return this;
  }

  /** Emits 'timeout' after `ms` without data sent or received (0 disables), like net.Socket. */
  setTimeout(ms: number, cb?: () => void): this {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`setTimeout: ms must be a non-negative number, got ${ms}`);
    this.idleMs = ms;
    if (cb) {
      if (ms === 0) this.removeListener('timeout', cb);
      else this.once('timeout', cb);
    }
    this.clearTimer('idleTimer');
    if (ms > 0) {
      this.lastActivity = performance.now();
      this.armIdle(ms);
    }
    return this;
  }

  ref(): this {
    this.refed = true;
    for (const t of this.timers()) t.ref();
    return this;
  }

  unref(): this {
    this.refed = false;
    for (const t of this.timers()) t.unref();
    return this;
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: 'IPv4', port: this.localPort };
  }

  // ---------------------------------------------------------------- opening (called by the stack)

  /** @internal Active open: send SYN. */
  openActive(timeoutMs: number | undefined): void {
    this.connecting = true;
    this.exposed = true;
    this.initSend();
    this.setState('SYN-SENT');
    this.sendSyn();
    this.armRtx();
    if (timeoutMs !== undefined) {
      this.connectTimer = this.timer(() => {
        this.connectTimer = undefined;
        if (this.st === 'SYN-SENT' || this.st === 'SYN-RECEIVED') {
          this.fail(new NetError('ETIMEDOUT', `connect ETIMEDOUT ${this.remoteAddress}:${this.remotePort} (no answer within ${timeoutMs} ms)`));
        }
      }, timeoutMs);
    }
  }

  /** @internal Passive open: a SYN arrived on a listening port; answer with SYN-ACK. */
  openPassive(syn: TcpSegment): void {
    this.initSend();
    this.irs = syn.seq;
    this.rcvNxt = seqAdd(syn.seq, 1);
    this.rcvAdvertisedEdge = this.rcvNxt;
    this.takePeerMss(syn);
    this.sndWnd = syn.window;
    this.sndWl1 = syn.seq;
    this.sndWl2 = syn.ack;
    this.setState('SYN-RECEIVED');
    this.sendSyn();
    this.armRtx();
  }

  private initSend(): void {
    this.iss = this.opts.initialSequenceNumber() >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = seqAdd(this.iss, 1);
    this.sndBase = this.sndNxt;
  }

  private takePeerMss(seg: TcpSegment): void {
    if (seg.mss !== undefined && seg.mss > 0) this.peerMss = seg.mss;
  }

  private get effectiveMss(): number {
    return Math.max(1, Math.min(this.peerMss, this.host.mss));
  }

  // ---------------------------------------------------------------- Duplex implementation

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.enqueue(chunk, cb);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (err?: Error | null) => void): void {
    // Corked writes (TLS records, HTTP head + body) arrive together and land in the same send-buffer block.
    for (let i = 0; i < chunks.length - 1; i++) this.enqueue(chunks[i].chunk, undefined);
    this.enqueue(chunks[chunks.length - 1].chunk, cb);
  }

  private enqueue(chunk: Buffer, cb: ((err?: Error | null) => void) | undefined): void {
    if (this.st === 'CLOSED' || this.finQueued) {
      cb?.(new NetError('EPIPE', `write after the connection to ${this.remoteAddress}:${this.remotePort} was closed`));
      return;
    }
    this.sendBuf.append(chunk);
    this.totalWritten += chunk.length;
    this.touch();
    if (cb) {
      if (this.sendBuf.length < this.opts.sendBufferSize) cb();
      else this.pendingWriteCb = cb;
    }
    this.scheduleOutput();
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.st !== 'CLOSED') {
      this.finQueued = true;
      this.scheduleOutput();
    }
    cb();
  }

  override _read(): void {
    // Data is pushed as segments arrive; consumption is noticed in read() below.
  }

  /**
   * Every consumption of buffered data passes through read() (flowing mode too), after the data left the buffer —
   * unlike _read(), which runs before and not again until the next push. Reopen the window once it grew enough to
   * be worth an update (receiver-side silly window syndrome avoidance, RFC 9293 §3.8.6.2.2).
   */
  override read(size?: number): any { // eslint-disable-line @typescript-eslint/no-explicit-any -- Readable's own signature
    const data: unknown = super.read(size);
    if (data !== null && this.isSynchronized() && !this.finReceived) {
      const grow = seqDiff(seqAdd(this.rcvNxt, this.freeReceiveSpace()), this.rcvAdvertisedEdge);
      if (grow >= Math.min(this.opts.receiveWindow / 2, this.effectiveMss)) {
        this.ackPending = true;
        this.scheduleOutput();
      }
    }
    return data;
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.clearTimer('idleTimer');
    this.clearTimer('connectTimer');
    if (this.pendingWriteCb) {
      const pending = this.pendingWriteCb;
      this.pendingWriteCb = undefined;
      process.nextTick(pending, err ?? new NetError('EPIPE', 'socket destroyed'));
    }
    switch (this.st) {
      case 'CLOSED':
      case 'TIME-WAIT':
        break;
      case 'SYN-SENT':
        this.close();
        break;
      default:
        if (err || this.readableLength > 0) {
          // Aborted with an error, or closed with unread data (as close(2) does then): reset the peer.
          if (!(err instanceof NetError && (err.code === 'ECONNRESET' || err.code === 'ELINKDOWN'))) this.sendRst();
          this.close();
        } else {
          // Graceful: finish sending what was written, then FIN; the TCB stays with the stack until CLOSED.
          this.orphaned = true;
          if (!this.finQueued) this.finQueued = true;
          this.scheduleOutput();
          if (this.st === 'FIN-WAIT-2') this.armOrphanTimeout();
        }
    }
    cb(err);
  }

  // ---------------------------------------------------------------- segment arrival (RFC 9293 §3.10.7)

  /** @internal */
  handleSegment(seg: TcpSegment): void {
    this.touch();
    this.lastReceived = performance.now();
    this.keepAliveSent = 0;
    if (this.st === 'SYN-SENT') {
      this.handleSynSent(seg);
      return;
    }
    if (this.st === 'CLOSED') return;
    const f = seg.flags;
    const segLen = seg.payload.length + (f & TCP_SYN ? 1 : 0) + (f & TCP_FIN ? 1 : 0);

    // 1. Sequence number acceptability
    const wnd = Math.max(0, seqDiff(this.rcvAdvertisedEdge, this.rcvNxt));
    let acceptable: boolean;
    let dataAllowed = true;
    if (segLen === 0) {
      acceptable = wnd === 0 ? seg.seq === this.rcvNxt : this.inWindow(seg.seq, wnd);
    } else if (wnd === 0) {
      // Zero window: still take the ACK (and RST) of a segment at rcvNxt, but not its data.
      acceptable = seg.seq === this.rcvNxt;
      dataAllowed = false;
    } else {
      acceptable = this.inWindow(seg.seq, wnd) || this.inWindow(seqAdd(seg.seq, segLen - 1), wnd);
    }
    if (this.st === 'SYN-RECEIVED' && f & TCP_SYN && !(f & TCP_ACK) && seg.seq === this.irs) {
      this.sendSyn(); // our SYN-ACK was lost: the peer retransmitted its SYN
      return;
    }
    if (!acceptable) {
      if (!(f & TCP_RST)) {
        this.host.counters.dropped.unacceptable++;
        this.sendAck();
      }
      return;
    }

    // 2. RST (RFC 5961 §3: only an exact match resets; others in window get a challenge ACK)
    if (f & TCP_RST) {
      if (seg.seq !== this.rcvNxt) {
        this.sendAck();
        return;
      }
      this.host.counters.resets++;
      if (!this.exposed) {
        this.close(); // passive open that never reached the application
        return;
      }
      if (this.st === 'TIME-WAIT' || this.orphaned || this.st === 'LAST-ACK' || this.st === 'CLOSING') {
        this.close();
        return;
      }
      this.fail(new NetError('ECONNRESET', `connection to ${this.remoteAddress}:${this.remotePort} reset by peer`));
      return;
    }

    // 3. SYN in a synchronized state: challenge ACK (RFC 5961 §4)
    if (f & TCP_SYN) {
      this.sendAck();
      return;
    }

    // 4. ACK
    if (!(f & TCP_ACK)) return;
    if (this.st === 'SYN-RECEIVED') {
      if (seqGt(seg.ack, this.sndUna) && seqLeq(seg.ack, this.sndNxt)) {
        this.sndWnd = seg.window;
        this.sndWl1 = seg.seq;
        this.sndWl2 = seg.ack;
        this.ackAdvanced(seg.ack);
        this.setState('ESTABLISHED');
        this.exposed = true;
        this.host.accepted(this);
      } else {
        this.sendRstFor(seg);
        return;
      }
    } else if (!this.processAck(seg)) {
      return;
    }
    if (this.isClosed()) return; // the ACK completed a close (LAST-ACK)

    // 5. Segment text and FIN
    if (this.st === 'TIME-WAIT') {
      if (f & TCP_FIN) {
        this.sendAck();
        this.armTimeWait();
      }
      return;
    }
    if (!dataAllowed) {
      if (seg.payload.length > 0 || f & TCP_FIN) this.sendAck();
      return;
    }
    this.receiveText(seg, wnd);
  }

  private inWindow(seq: number, wnd: number): boolean {
    const d = seqDiff(seq, this.rcvNxt);
    return d >= 0 && d < wnd;
  }

  private handleSynSent(seg: TcpSegment): void {
    const f = seg.flags;
    if (f & TCP_ACK) {
      if (seqLeq(seg.ack, this.iss) || seqGt(seg.ack, this.sndNxt)) {
        if (!(f & TCP_RST)) this.sendRstFor(seg);
        return;
      }
    }
    if (f & TCP_RST) {
      if (f & TCP_ACK) {
        this.host.counters.resets++;
        this.fail(new NetError('ECONNREFUSED', `connect ECONNREFUSED ${this.remoteAddress}:${this.remotePort}`));
      }
      return;
    }
    if (!(f & TCP_SYN)) return;
    this.irs = seg.seq;
    this.rcvNxt = seqAdd(seg.seq, 1);
    this.rcvAdvertisedEdge = seqAdd(this.rcvNxt, Math.min(65535, this.opts.receiveWindow)); // as offered in our SYN
    this.takePeerMss(seg);
    if (f & TCP_ACK) {
      this.sndWnd = seg.window;
      this.sndWl1 = seg.seq;
      this.sndWl2 = seg.ack;
      this.ackAdvanced(seg.ack);
      this.setState('ESTABLISHED');
      this.clearTimer('connectTimer');
      this.connecting = false;
      this.ackPending = true;
      if (seg.payload.length > 0 || f & TCP_FIN) this.receiveText({ ...seg, seq: this.rcvNxt, flags: f & ~TCP_SYN }, this.opts.receiveWindow);
      this.scheduleOutput();
      this.emit('connect');
      this.emit('ready');
    } else {
      // Simultaneous open (RFC 9293 §3.5): answer with SYN-ACK.
      this.setState('SYN-RECEIVED');
      this.sendSyn();
    }
  }

  /** ACK processing for synchronized states; returns false when the segment must be dropped. */
  private processAck(seg: TcpSegment): boolean {
    const ack = seg.ack;
    if (seqGt(ack, this.sndNxt)) {
      this.sendAck(); // acknowledges something we never sent
      return false;
    }
    const windowBefore = this.sndWnd;
    if (seqGt(ack, this.sndUna)) {
      this.ackAdvanced(ack);
    } else if (ack === this.sndUna && seg.payload.length === 0 && !(seg.flags & (TCP_FIN | TCP_SYN))
      && seg.window === windowBefore && seqGt(this.sndNxt, this.sndUna) && windowBefore > 0) {
      this.dupAcks++;
      if (this.dupAcks === 3 && !this.inRecovery) {
        this.host.counters.fastRetransmits++;
        this.inRecovery = true;
        this.recover = this.sndNxt;
        this.rttSeq = undefined; // Karn: no sample from a retransmitted segment
        this.retransmitFirst();
        this.armRtx();
      }
    }
    // Window update (RFC 9293 §3.10.7.4): only from segments newer than the last update.
    if (seqLt(this.sndWl1, seg.seq) || (this.sndWl1 === seg.seq && seqLeq(this.sndWl2, ack))) {
      this.sndWnd = seg.window;
      this.sndWl1 = seg.seq;
      this.sndWl2 = ack;
      if (seg.window > 0) {
        if (this.persistTimer) this.clearTimer('persistTimer');
        this.persistBackoff = 0;
        if (seg.window > windowBefore) this.scheduleOutput();
      } else if (ack === this.sndUna) {
        this.retries = 0; // the peer answers our window probes: it is alive, only its buffer is full
      }
    }
    return true;
  }

  /** New data (or our SYN/FIN) acknowledged. */
  private ackAdvanced(ack: number): void {
    const now = performance.now();
    if (this.rttSeq !== undefined && seqGt(ack, this.rttSeq)) {
      this.rto.sample(now - this.rttStart);
      this.rttSeq = undefined;
    }
    this.sndUna = ack;
    const dataAcked = Math.min(this.sendBuf.length, Math.max(0, seqDiff(ack, this.sndBase)));
    if (dataAcked > 0) {
      this.sendBuf.consume(dataAcked);
      this.sndBase = seqAdd(this.sndBase, dataAcked);
    }
    this.retries = 0;
    this.dupAcks = 0;
    if (this.inRecovery) {
      if (seqLt(ack, this.recover)) {
        this.retransmitFirst(); // partial ACK: the next hole is lost too (NewReno-style, RFC 6582)
      } else {
        this.inRecovery = false;
      }
    }
    if (this.sndUna === this.sndNxt) this.clearTimer('rtxTimer');
    else this.armRtx();
    if (this.pendingWriteCb && this.sendBuf.length < this.opts.sendBufferSize) {
      const cb = this.pendingWriteCb;
      this.pendingWriteCb = undefined;
      cb();
    }
    const finAcked = this.finSent && ack === seqAdd(this.sndBase, 1) && this.sendBuf.length === 0;
    if (finAcked) {
      if (this.st === 'FIN-WAIT-1') {
        this.setState('FIN-WAIT-2');
        if (this.orphaned) this.armOrphanTimeout();
      } else if (this.st === 'CLOSING') this.enterTimeWait();
      else if (this.st === 'LAST-ACK') this.close();
    }
    this.scheduleOutput();
  }

  private receiveText(seg: TcpSegment, wnd: number): void {
    if (this.st !== 'ESTABLISHED' && this.st !== 'FIN-WAIT-1' && this.st !== 'FIN-WAIT-2') {
      // CLOSE-WAIT, CLOSING, LAST-ACK: the peer already sent FIN; anything new is bogus (a retransmitted FIN gets an ACK).
      if (seg.payload.length > 0 || seg.flags & TCP_FIN) this.sendAck();
      return;
    }
    let seq = seg.seq;
    let data = seg.payload;
    let fin = (seg.flags & TCP_FIN) !== 0;
    if (data.length === 0 && !fin) return;
    if (this.orphaned && data.length > 0) {
      // The application is gone: nobody will read this (RFC 9293 §3.10.7.4 "connection closed" + Linux behaviour).
      this.sendRst();
      this.close();
      return;
    }
    // Trim what we already have and what lies beyond the window.
    const dup = seqDiff(this.rcvNxt, seq);
    if (dup > 0) {
      if (dup >= data.length) {
        if (dup > data.length) fin = false; // the FIN is a duplicate too
        data = data.subarray(data.length);
      } else {
        data = data.subarray(dup);
      }
      seq = this.rcvNxt;
      if (data.length === 0 && !fin) {
        this.sendAck();
        return;
      }
    }
    const room = seqDiff(seqAdd(this.rcvNxt, wnd), seq);
    if (data.length > room) {
      data = data.subarray(0, Math.max(0, room));
      fin = false;
    }
    if (seq !== this.rcvNxt) {
      this.insertOutOfOrder({ seq, data, fin });
      this.sendAck(); // immediate duplicate ACK: drives the peer's fast retransmit
      return;
    }
    this.deliver(data, fin);
    const hadHoleFilled = this.ooo.length > 0;
    this.drainOutOfOrder();
    if (hadHoleFilled) this.sendAck(); // tell the sender at once how far the hole was filled
    else {
      this.ackPending = true;
      this.scheduleOutput();
    }
  }

  private deliver(data: Buffer, fin: boolean): void {
    if (data.length > 0) {
      this.rcvNxt = seqAdd(this.rcvNxt, data.length);
      this.totalRead += data.length;
      if (!this.destroyed) this.push(data);
    }
    if (fin && !this.finReceived) this.receiveFin();
  }

  private insertOutOfOrder(entry: OutOfOrder): void {
    if (entry.data.length === 0 && !entry.fin) return;
    // Segments are trimmed to the window, but overlapping ones could still pile up: bound the queue's memory.
    if (this.oooBytes + entry.data.length > 2 * this.opts.receiveWindow) return;
    let i = this.ooo.length;
    while (i > 0 && seqGt(this.ooo[i - 1].seq, entry.seq)) i--;
    const prev = this.ooo[i - 1];
    if (prev && prev.seq === entry.seq && prev.data.length >= entry.data.length) return; // duplicate
    this.ooo.splice(i, 0, entry);
    this.oooBytes += entry.data.length;
  }

  private drainOutOfOrder(): void {
    while (this.ooo.length > 0 && !this.finReceived) {
      const e = this.ooo[0];
      const skip = seqDiff(this.rcvNxt, e.seq);
      if (skip < 0) break; // still a hole before it
      this.ooo.shift();
      this.oooBytes -= e.data.length;
      if (skip < e.data.length) this.deliver(e.data.subarray(skip), e.fin);
      else if (skip === e.data.length && e.fin) this.deliver(e.data.subarray(0, 0), true);
    }
    if (this.finReceived) {
      this.ooo = [];
      this.oooBytes = 0;
    }
  }

  private receiveFin(): void {
    this.finReceived = true;
    this.rcvNxt = seqAdd(this.rcvNxt, 1);
    this.sendAck();
    if (!this.destroyed) this.push(null);
    switch (this.st) {
      case 'ESTABLISHED':
        this.setState('CLOSE-WAIT');
        break;
      case 'FIN-WAIT-1':
        // Our FIN is not yet acknowledged (else we would be in FIN-WAIT-2): simultaneous close.
        this.setState('CLOSING');
        break;
      case 'FIN-WAIT-2':
        this.enterTimeWait();
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- output

  private scheduleOutput(): void {
    if (this.outputScheduled) return;
    this.outputScheduled = true;
    process.nextTick(() => {
      this.outputScheduled = false;
      this.output();
    });
  }

  /** @internal Sends what the window, Nagle and the link allow, then a pure ACK if one is owed. */
  output(): void {
    let sentSomething = false;
    while (this.st === 'ESTABLISHED' || this.st === 'CLOSE-WAIT') {
      const offset = seqDiff(this.sndNxt, this.sndBase);
      const pending = this.sendBuf.length - offset;
      const finPending = this.finQueued && !this.finSent;
      if (pending <= 0 && !finPending) break;
      if (!this.host.linkReady()) break; // resumed by the stack on 'drain'
      const inFlight = seqDiff(this.sndNxt, this.sndUna);
      const usable = seqDiff(seqAdd(this.sndUna, this.sndWnd), this.sndNxt);
      const mss = this.effectiveMss;
      const len = Math.max(0, Math.min(pending, mss, usable));
      if (pending > 0 && len === 0) {
        if (inFlight === 0) this.armPersist(); // zero window and nothing outstanding to bring an update
        break;
      }
      if (len < pending) {
        // Window- or MSS-limited: a short segment only when nothing is outstanding (sender SWS avoidance).
        if (len < mss && inFlight > 0) break;
      } else if (len > 0 && len < mss && !this.noDelay && inFlight > 0 && !finPending) {
        break; // Nagle: hold a small tail until the outstanding data is acknowledged
      }
      const fin = finPending && offset + len === this.sendBuf.length;
      this.transmit(this.sndNxt, offset, len, fin);
      if (this.rttSeq === undefined) {
        this.rttSeq = this.sndNxt;
        this.rttStart = performance.now();
      }
      this.sndNxt = seqAdd(this.sndNxt, len + (fin ? 1 : 0));
      if (!this.rtxTimer) this.armRtx();
      sentSomething = true;
      if (fin) {
        this.finSent = true;
        this.setState(this.st === 'ESTABLISHED' ? 'FIN-WAIT-1' : 'LAST-ACK');
        break;
      }
    }
    if (this.ackPending && !sentSomething && this.isSynchronized()) this.sendAck();
  }

  /** Sends bytes [offset, offset+len) of the send buffer at `seq` (plus FIN), carrying our ACK and window. */
  private transmit(seq: number, offset: number, len: number, fin: boolean): void {
    const payload = len > 0 ? this.sendBuf.slices(offset, len) : [];
    let flags = TCP_ACK;
    if (len > 0) flags |= TCP_PSH;
    if (fin) flags |= TCP_FIN;
    this.sendWithAck(seq, flags, payload);
  }

  private sendWithAck(seq: number, flags: number, payload: Buffer[]): void {
    const window = this.advertiseWindow();
    this.ackPending = false;
    this.host.sendSegment({ srcPort: this.localPort, dstPort: this.remotePort, seq, ack: this.rcvNxt, flags, window }, this.remoteAddr, payload);
  }

  private sendAck(): void {
    if (this.st === 'CLOSED' || this.st === 'SYN-SENT') return;
    this.sendWithAck(this.sndNxt, TCP_ACK, []);
  }

  private sendSyn(): void {
    const passive = this.st === 'SYN-RECEIVED';
    const window = passive ? this.advertiseWindow() : Math.min(65535, this.opts.receiveWindow);
    this.host.sendSegment({
      srcPort: this.localPort, dstPort: this.remotePort, seq: this.iss, ack: passive ? this.rcvNxt : 0,
      flags: passive ? TCP_SYN | TCP_ACK : TCP_SYN, window, mss: this.host.mss,
    }, this.remoteAddr, []);
  }

  private sendRst(): void {
    this.host.counters.resets++;
    this.host.sendSegment({ srcPort: this.localPort, dstPort: this.remotePort, seq: this.sndNxt, ack: this.rcvNxt, flags: TCP_RST | TCP_ACK, window: 0 }, this.remoteAddr, []);
  }

  private sendRstFor(seg: TcpSegment): void {
    this.host.sendSegment({ srcPort: this.localPort, dstPort: this.remotePort, seq: seg.ack, ack: 0, flags: TCP_RST, window: 0 }, this.remoteAddr, []);
  }

  /** Free receive-buffer space; the window we offer (never shrinking an edge already advertised). */
  private freeReceiveSpace(): number {
    return Math.max(0, Math.min(65535, this.opts.receiveWindow - this.readableLength));
  }

  private advertiseWindow(): number {
    const free = this.freeReceiveSpace();
    const offered = seqAdd(this.rcvNxt, free);
    const current = seqDiff(this.rcvAdvertisedEdge, this.rcvNxt);
    // Receiver SWS avoidance: move the right edge only by a worthwhile amount; never move it left.
    const worthwhile = Math.min(this.opts.receiveWindow / 2, this.effectiveMss);
    if (seqGt(offered, this.rcvAdvertisedEdge) && (seqDiff(offered, this.rcvAdvertisedEdge) >= worthwhile || free >= this.opts.receiveWindow || current < 0)) {
      this.rcvAdvertisedEdge = offered;
    }
    return Math.max(0, Math.min(65535, seqDiff(this.rcvAdvertisedEdge, this.rcvNxt)));
  }

  /** Retransmits the first unacknowledged segment (SYN, data and/or FIN). */
  private retransmitFirst(): void {
    this.host.counters.retransmits++;
    if (this.st === 'SYN-SENT' || this.st === 'SYN-RECEIVED') {
      this.sendSyn();
      return;
    }
    const offset = seqDiff(this.sndUna, this.sndBase);
    const outstanding = seqDiff(this.sndNxt, this.sndUna);
    const dataLeft = Math.max(0, Math.min(this.sendBuf.length - offset, outstanding));
    const len = Math.min(this.effectiveMss, dataLeft);
    const fin = this.finSent && offset + len === this.sendBuf.length;
    if (len === 0 && !fin) return;
    this.transmit(this.sndUna, offset, len, fin);
  }

  // ---------------------------------------------------------------- timers

  private timer(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(fn, ms);
    if (!this.refed) t.unref();
    return t;
  }

  private timers(): NodeJS.Timeout[] {
    return [this.rtxTimer, this.persistTimer, this.connectTimer, this.idleTimer].filter((t): t is NodeJS.Timeout => t !== undefined);
  }

  private clearTimer(name: 'rtxTimer' | 'persistTimer' | 'closeTimer' | 'connectTimer' | 'idleTimer' | 'keepAliveTimer'): void {
    const t = this[name];
    if (t) {
      clearTimeout(t);
      this[name] = undefined;
    }
  }

  private armRtx(): void {
    this.clearTimer('rtxTimer');
    this.rtxTimer = this.timer(() => this.onRtxTimeout(), this.rto.rtoMs);
  }

  private onRtxTimeout(): void {
    this.rtxTimer = undefined;
    if (this.st === 'CLOSED' || this.st === 'TIME-WAIT') return;
    this.host.counters.timeouts++;
    this.retries++;
    const synState = this.st === 'SYN-SENT' || this.st === 'SYN-RECEIVED';
    const limit = synState ? this.opts.synRetries : this.opts.maxRetransmits;
    if (this.retries > limit) {
      const what = synState ? 'connect' : 'connection';
      this.fail(new NetError('ETIMEDOUT', `${what} ETIMEDOUT ${this.remoteAddress}:${this.remotePort} (no acknowledgement after ${limit} retransmissions)`));
      return;
    }
    this.rto.expired();
    this.rttSeq = undefined; // Karn's rule
    if (!synState) {
      // Everything sent after the lost segment may be lost as well; partial ACKs retransmit the next hole.
      this.inRecovery = true;
      this.recover = this.sndNxt;
      this.dupAcks = 0;
    }
    this.retransmitFirst();
    this.armRtx();
  }

  private armPersist(): void {
    if (this.persistTimer) return;
    const ms = Math.min(this.opts.maxRtoMs, Math.max(this.rto.rtoMs, this.opts.minRtoMs) * 2 ** this.persistBackoff);
    this.persistTimer = this.timer(() => {
      this.persistTimer = undefined;
      if (this.st !== 'ESTABLISHED' && this.st !== 'CLOSE-WAIT') return;
      const offset = seqDiff(this.sndNxt, this.sndBase);
      if (this.sndWnd > 0 || this.sendBuf.length - offset <= 0) return;
      if (seqDiff(this.sndNxt, this.sndUna) > 0) return; // something outstanding: the RTO covers it
      // Zero-window probe: one new byte beyond the window; the retransmission timer then repeats it with backoff.
      this.host.counters.windowProbes++;
      this.persistBackoff++;
      this.transmit(this.sndNxt, offset, 1, false);
      this.sndNxt = seqAdd(this.sndNxt, 1);
      this.armRtx();
    }, ms);
  }

  private armKeepAlive(ms: number): void {
    this.keepAliveTimer = setTimeout(() => this.onKeepAlive(), ms);
    this.keepAliveTimer.unref();
  }

  private onKeepAlive(): void {
    this.keepAliveTimer = undefined;
    if (this.keepAliveMs === 0) return;
    if (this.st === 'SYN-SENT' || this.st === 'SYN-RECEIVED') {
      this.armKeepAlive(this.keepAliveMs); // not open yet: the handshake has its own timers
      return;
    }
    if (this.st !== 'ESTABLISHED' && this.st !== 'CLOSE-WAIT') return;
    const quiet = performance.now() - this.lastReceived;
    const interval = Math.min(this.keepAliveMs, this.opts.keepAliveIntervalMs);
    if (this.keepAliveSent === 0 && quiet < this.keepAliveMs) {
      this.armKeepAlive(this.keepAliveMs - quiet);
      return;
    }
    if (this.keepAliveSent >= this.opts.keepAliveProbes) {
      this.fail(new NetError('ETIMEDOUT', `connection to ${this.remoteAddress}:${this.remotePort} timed out: no answer to ${this.keepAliveSent} keep-alive probes`));
      return;
    }
    // A probe is an ACK for one byte before what we have sent: old, so the peer must answer with an ACK.
    this.keepAliveSent++;
    this.host.counters.keepAliveProbes++;
    this.sendWithAck(seqAdd(this.sndNxt, -1), TCP_ACK, []);
    this.armKeepAlive(interval);
  }

  private armIdle(ms: number): void {
    this.idleTimer = this.timer(() => {
      this.idleTimer = undefined;
      if (this.idleMs === 0 || this.destroyed) return;
      const idle = performance.now() - this.lastActivity;
      if (idle + 1 >= this.idleMs) {
        this.emit('timeout');
        this.armIdle(this.idleMs);
      } else {
        this.armIdle(this.idleMs - idle);
      }
    }, ms);
  }

  private touch(): void {
    if (this.idleMs > 0) this.lastActivity = performance.now();
  }

  private armTimeWait(): void {
    this.clearTimer('closeTimer');
    this.closeTimer = setTimeout(() => this.close(), this.opts.timeWaitMs);
    this.closeTimer.unref(); // TIME-WAIT never keeps the process alive
  }

  private armOrphanTimeout(): void {
    this.clearTimer('closeTimer');
    this.closeTimer = setTimeout(() => this.close(), this.opts.finWait2TimeoutMs);
    this.closeTimer.unref();
  }

  // ---------------------------------------------------------------- state changes

  private isClosed(): boolean {
    return this.st === 'CLOSED';
  }

  private isSynchronized(): boolean {
    return this.st !== 'CLOSED' && this.st !== 'SYN-SENT';
  }

  private setState(s: TcpState): void {
    const wasOpen = this.st !== 'CLOSED' && this.st !== 'TIME-WAIT';
    const isOpen = s !== 'CLOSED' && s !== 'TIME-WAIT';
    if (!wasOpen && isOpen) this.host.counters.connectionsOpen++;
    if (wasOpen && !isOpen) this.host.counters.connectionsOpen--;
    this.st = s;
  }

  private enterTimeWait(): void {
    this.clearTimer('rtxTimer');
    this.clearTimer('persistTimer');
    this.setState('TIME-WAIT');
    this.armTimeWait();
  }

  /** Deletes the TCB: no more segments for this connection. */
  private close(): void {
    this.setState('CLOSED');
    for (const name of ['rtxTimer', 'persistTimer', 'closeTimer', 'connectTimer', 'keepAliveTimer'] as const) this.clearTimer(name);
    this.ooo = [];
    this.oooBytes = 0;
    if (!this.released) {
      this.released = true;
      this.host.release(this);
    }
    if (!this.destroyed && (!this.exposed || (this.readableEnded && this.writableFinished))) this.destroy();
  }

  /**
   * @internal A new SYN for this 4-tuple while we are in TIME-WAIT: like RFC 6191, let it start a new connection
   * when its sequence number is beyond the old one (no old duplicate can be mistaken for new data).
   */
  yieldsToNewSyn(seg: TcpSegment): boolean {
    if (this.st !== 'TIME-WAIT' || (seg.flags & (TCP_SYN | TCP_ACK | TCP_RST)) !== TCP_SYN || !seqGt(seg.seq, this.rcvNxt)) return false;
    this.close();
    return true;
  }

  /** @internal Ends the connection with an error the application sees (refused, reset, timed out, link down), or none. */
  fail(err: NetError | undefined): void {
    this.connecting = false;
    this.close();
    if (!this.destroyed) this.destroy(this.exposed ? err : undefined);
  }
}
