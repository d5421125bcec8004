// Checks 2 and 3 share one probe: echo requests sent one after another over the open link for a while, and the
// stack's counters before and after, which say whether bytes arrived, whether they made SLIP frames, and how many
// failed their checksums.
import { performance } from 'node:perf_hooks';
import type { NetCounters } from '../net/counters';
import type { SerialLink } from '../serial-link';

export interface LineProbe {
  baudRate: number;
  echoesSent: number;
  rttsMs: number[];
  /** When the first echo reply came, from the start of the probe. */
  firstReplyMs: number | undefined;
  /**
   * Echo requests sent after the first reply came, and how many of those went unanswered. A board that was still
   * starting loses only the echoes before its first reply; a damaged line loses them all along (the board drops a
   * request whose checksum fails, so damage on the way there shows only as loss).
   */
  echoesAfterFirstReply?: number;
  lostAfterFirstReply?: number;
  waitedMs: number;
  bytesIn: number;
  framesIn: number;
  slipErrors: number;
  checksumErrors: number;
  malformed: number;
  /** Set when the port went away during the probe. */
  linkDown?: string;
}

export interface ProbeOptions {
  waitMs: number;
  wanted: number;
  /** Longest wait for one echo reply. */
  echoTimeoutMs?: number;
}

function delta(after: NetCounters, before: NetCounters): Omit<LineProbe, 'baudRate' | 'echoesSent' | 'rttsMs' | 'firstReplyMs' | 'waitedMs'> {
  return {
    bytesIn: after.bytesIn - before.bytesIn,
    framesIn: after.framesIn - before.framesIn,
    slipErrors: after.slipErrors - before.slipErrors,
    checksumErrors: after.ipChecksumErrors + after.icmpChecksumErrors + after.tcpChecksumErrors -
      (before.ipChecksumErrors + before.icmpChecksumErrors + before.tcpChecksumErrors),
    malformed: after.dropped.malformed - before.dropped.malformed,
  };
}

/** Pings the board until `wanted` replies came or `waitMs` passed. */
export async function probeLine(link: SerialLink, options: ProbeOptions): Promise<LineProbe> {
  const before = link.stack.counters;
  const started = performance.now();
  const rttsMs: number[] = [];
  let echoesSent = 0;
  let firstReplyMs: number | undefined;
  let linkDown: string | undefined;
  let echoesAfterFirstReply = 0;
  let lostAfterFirstReply = 0;
  const echoTimeoutMs = options.echoTimeoutMs ?? 500;
  while (rttsMs.length < options.wanted) {
    const left = options.waitMs - (performance.now() - started);
    if (left <= 0) break;
    echoesSent++;
    const afterFirstReply = firstReplyMs !== undefined;
    if (afterFirstReply) echoesAfterFirstReply++;
    try {
      rttsMs.push(await link.ping(Math.max(50, Math.min(echoTimeoutMs, left))));
      firstReplyMs ??= performance.now() - started;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ETIMEDOUT') {
        linkDown = (err as Error).message;
        break;
      }
      if (afterFirstReply) lostAfterFirstReply++;
    }
  }
  return {
    baudRate: link.baudRate,
    echoesSent,
    rttsMs,
    firstReplyMs,
    echoesAfterFirstReply,
    lostAfterFirstReply,
    waitedMs: performance.now() - started,
    ...delta(link.stack.counters, before),
    ...(linkDown ? { linkDown } : {}),
  };
}
