/** Counters a NetStack keeps; `NetStack.counters` returns a snapshot copy. */

export interface DroppedCounters {
  /** IPv4 datagrams for another address. */
  notOurs: number;
  /** IPv4 fragments (MF set or non-zero offset): we never fragment and do not reassemble. */
  fragmented: number;
  /** Truncated or inconsistent IPv4/TCP/ICMP headers, bad version or header length, bad TCP options. */
  malformed: number;
  /** IP protocols other than ICMP and TCP. */
  unsupportedProtocol: number;
  /** TCP segments for a port nobody listens on (answered with RST unless they were RST). */
  noSocket: number;
  /** TCP segments outside the receive window or otherwise unacceptable in the connection's state (keep-alive probes too). */
  unacceptable: number;
  /** SYNs ignored because tcp.synBacklog handshakes were already pending. */
  synBacklogFull: number;
  /** ICMP messages other than echo request/reply, or replies nobody waits for. */
  icmpIgnored: number;
}

export interface NetCounters {
  framesIn: number;
  framesOut: number;
  /** Bytes on the serial link, SLIP framing included. */
  bytesIn: number;
  bytesOut: number;
  ipChecksumErrors: number;
  tcpChecksumErrors: number;
  icmpChecksumErrors: number;
  /** SLIP frames dropped for a malformed escape or excessive length. */
  slipErrors: number;
  dropped: DroppedCounters;
  /** Segments sent again because of a retransmission timeout, a partial ACK or a fast retransmit. */
  retransmits: number;
  /** Retransmissions triggered by three duplicate ACKs. */
  fastRetransmits: number;
  /** Retransmission-timer expiries. */
  timeouts: number;
  /** Zero-window probes sent. */
  windowProbes: number;
  /** Keep-alive probes sent. */
  keepAliveProbes: number;
  connectionsOpen: number;
  /** Connections we reset or that were reset by the peer. */
  resets: number;
}

export function newCounters(): NetCounters {
  return {
    framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0,
    ipChecksumErrors: 0, tcpChecksumErrors: 0, icmpChecksumErrors: 0, slipErrors: 0,
    dropped: { notOurs: 0, fragmented: 0, malformed: 0, unsupportedProtocol: 0, noSocket: 0, unacceptable: 0, synBacklogFull: 0, icmpIgnored: 0 },
    retransmits: 0, fastRetransmits: 0, timeouts: 0, windowProbes: 0, keepAliveProbes: 0, connectionsOpen: 0, resets: 0,
  };
}

export function snapshotCounters(c: NetCounters): NetCounters {
  return { ...c, dropped: { ...c.dropped } };
}
