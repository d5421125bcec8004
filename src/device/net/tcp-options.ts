/** Tunables of the TCP implementation, with defaults chosen for a point-to-point serial link. */

export interface TcpOptions {
  /** Receive buffer, and so the largest window we advertise. At most 65535: we do not use window scaling. */
  receiveWindow: number;
  /** Bytes written and not yet acknowledged before `write()` callbacks are held back (backpressure). */
  sendBufferSize: number;
  /**
   * Lower bound of the retransmission timeout. RFC 6298 asks for 1 s, written for the Internet's queues; a serial
   * link to one board has no queue but our own (we stop sending while the link is back-pressured), so the RTT we
   * measure is wire time plus the peer's processing and SRTT + 4·RTTVAR already covers it. 200 ms (Linux's value)
   * recovers a lost frame fast without firing spuriously on the ~130 ms wire time of a full frame at 115200 baud.
   */
  minRtoMs: number;
  maxRtoMs: number;
  /** RTO before the first RTT sample (RFC 6298 §2.1: 1 s). */
  initialRtoMs: number;
  /** SYN (or SYN-ACK) retransmissions before the connection attempt fails with ETIMEDOUT. */
  synRetries: number;
  /** Consecutive retransmission timeouts before an established connection fails with ETIMEDOUT. */
  maxRetransmits: number;
  /** TIME-WAIT duration. 2·MSL is meant for the Internet; on a private serial link old duplicates die in milliseconds. */
  timeWaitMs: number;
  /** How long a socket the application already closed waits in FIN-WAIT-2 for the peer's FIN. */
  finWait2TimeoutMs: number;
  /** Quiet time before the first keep-alive probe when `setKeepAlive(true)` gives no delay. */
  keepAliveDelayMs: number;
  /** Time between unanswered keep-alive probes. */
  keepAliveIntervalMs: number;
  /** Unanswered probes before the connection fails with ETIMEDOUT. */
  keepAliveProbes: number;
  /** Connections still in the handshake (SYN-RECEIVED) a stack holds at once; further SYNs are ignored. */
  synBacklog: number;
  /** Default for `setNoDelay`: false means Nagle-style coalescing of small writes while data is unacknowledged. */
  noDelay: boolean;
  /** Initial sequence number source (tests use values near 2^32 to exercise wrap-around). */
  initialSequenceNumber: () => number;
}

export const DEFAULT_TCP_OPTIONS: TcpOptions = {
  receiveWindow: 65535,
  sendBufferSize: 256 * 1024,
  minRtoMs: 200,
  maxRtoMs: 10_000,
  initialRtoMs: 1000,
  synRetries: 5,
  maxRetransmits: 10,
  timeWaitMs: 500,
  finWait2TimeoutMs: 10_000,
  keepAliveDelayMs: 30_000,
  keepAliveIntervalMs: 5_000,
  keepAliveProbes: 4,
  synBacklog: 64,
  noDelay: false,
  initialSequenceNumber: () => (Math.random() * 0x100000000) >>> 0,
};

export function resolveTcpOptions(partial: Partial<TcpOptions> | undefined): TcpOptions {
  const o = { ...DEFAULT_TCP_OPTIONS, ...partial };
  const positive = ['receiveWindow', 'sendBufferSize', 'minRtoMs', 'maxRtoMs', 'initialRtoMs'] as const;
  for (const k of positive) {
    if (!Number.isFinite(o[k]) || o[k] <= 0) throw new RangeError(`tcp.${k} must be a positive number, got ${o[k]}`);
  }
  if (o.receiveWindow > 65535) throw new RangeError(`tcp.receiveWindow must be at most 65535 (no window scaling), got ${o.receiveWindow}`);
  if (o.minRtoMs > o.maxRtoMs) throw new RangeError(`tcp.minRtoMs (${o.minRtoMs}) exceeds tcp.maxRtoMs (${o.maxRtoMs})`);
  return o;
}
