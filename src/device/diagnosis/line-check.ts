// Check 2: the serial line. Reads the probe: nothing arriving (a silent board — or one at another baud rate, which
// answers nothing we send either), bytes that never form a valid frame (garbage: a baud-rate mismatch or the wrong
// port), or frames of which too many fail their checksums or echo requests that keep getting lost once the board has
// answered (a bad cable: the board drops what arrives damaged). When the board is silent or sends garbage,
// the common rates are tried so the report can name the one the board uses.
import type { LineProbe } from './line-probe';
import { formatDuration } from './report';

export type LineVerdict = 'ok' | 'silent' | 'garbage' | 'corrupted' | 'gone';

/** Share of damaged frames above which the line counts as corrupted. */
export const CORRUPTION_WARN_RATE = 0.02;
/** Above this (or with no echo answered at all) it fails instead of warning. */
export const CORRUPTION_FAIL_RATE = 0.3;
/** Share of echo requests lost after the board first answered above which the line counts as damaged. */
export const LOSS_WARN_RATE = 0.2;

export interface LineReading {
  verdict: LineVerdict;
  /** Damaged frames / frames seen (0 when none came). */
  errorRate: number;
  validFrames: number;
  /** Echo requests lost once the board had answered / echo requests sent after that (0 when none were). */
  lossRate: number;
}

export function readLine(probe: LineProbe): LineReading {
  const damaged = probe.slipErrors + probe.checksumErrors + probe.malformed;
  const seen = probe.framesIn + probe.slipErrors;
  const validFrames = Math.max(0, probe.framesIn - probe.checksumErrors - probe.malformed);
  const errorRate = seen === 0 ? 0 : damaged / seen;
  const lost = probe.lostAfterFirstReply ?? 0;
  const lossRate = lost === 0 ? 0 : lost / (probe.echoesAfterFirstReply ?? lost);
  const reading = (verdict: LineVerdict): LineReading => ({ verdict, errorRate, validFrames, lossRate });
  if (probe.linkDown) return reading('gone');
  if (probe.bytesIn === 0) return reading('silent');
  // No frame arrived intact. Garbage (a wrong baud rate, another device) breaks the framing itself: malformed SLIP and
  // unreadable packets. A damaged line keeps the framing and spoils the content: packets that parse but fail their
  // checksum. Only the first is garbage.
  if (validFrames === 0) return reading(probe.checksumErrors > probe.slipErrors + probe.malformed ? 'corrupted' : 'garbage');
  // Two lost echoes at least, so one unlucky timeout on a healthy line is not called damage.
  if (errorRate >= CORRUPTION_WARN_RATE || (lost >= 2 && lossRate >= LOSS_WARN_RATE)) return reading('corrupted');
  return reading('ok');
}

const percent = (rate: number): string => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;

export function lineFacts(probe: LineProbe): string[] {
  return [
    `At ${probe.baudRate} baud over ${formatDuration(probe.waitedMs)}: ${probe.bytesIn} bytes arrived, ${probe.framesIn} SLIP frames decoded, ` +
      `${probe.slipErrors} malformed SLIP frames, ${probe.checksumErrors} checksum errors, ${probe.malformed} unreadable IP packets.`,
  ];
}

export interface LineConclusion {
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  nextAction?: string;
}

export interface ConclusionContext {
  /** The rate the board answered at when others were tried (undefined: none answered, or not tried). */
  answeringBaud: number | undefined;
  triedRates: number[];
  simulated: boolean;
}

export function concludeLine(probe: LineProbe, reading: LineReading, context: ConclusionContext): LineConclusion {
  const configured = probe.baudRate;
  if (reading.verdict === 'gone') {
    return { status: 'fail', summary: `The port went away during the check: ${probe.linkDown}`, nextAction: 'Plug the board\'s USB cable in again, wait a few seconds, then run this again.' };
  }
  if (context.answeringBaud !== undefined) {
    const what = reading.verdict === 'garbage' ? 'only garbage arrives' : 'nothing arrives';
    return {
      status: 'fail',
      summary: `Baud-rate mismatch: at ${configured} baud ${what}, but the board answers at ${context.answeringBaud} baud.`,
      nextAction: context.simulated
        ? `The simulated board's UART runs at ${context.answeringBaud} baud but announces ${configured}: start it again with --baud ${context.answeringBaud} (or clear its wrong-baud fault).`
        : `Set "Sphere Explorer › Device: Baud Rate" (sphereExplorer.device.baudRate) to ${context.answeringBaud}.`,
    };
  }
  if (reading.verdict === 'silent') {
    return {
      status: 'fail',
      summary: `The port opens but nothing comes back from the board (${probe.echoesSent} echo requests, 0 bytes in ${formatDuration(probe.waitedMs)}${context.triedRates.length ? `; also tried ${context.triedRates.join(', ')} baud` : ''}).`,
      nextAction: 'If the board is restarting or installing an OS update, wait a minute and run this again; otherwise press its Reset button (or unplug and reconnect the USB cable).',
    };
  }
  if (reading.verdict === 'garbage') {
    return {
      status: 'fail',
      summary: `Bytes arrive but none forms a valid frame: a baud-rate mismatch or not the service UART (no rate of ${[configured, ...context.triedRates].join(', ')} worked).`,
      nextAction: 'Make sure this port is the board\'s service UART (interface C of the FT4232H) and that nothing else writes to it; then unplug and reconnect the board.',
    };
  }
  if (reading.verdict === 'corrupted') {
    const fail = reading.errorRate >= CORRUPTION_FAIL_RATE || reading.lossRate >= CORRUPTION_FAIL_RATE || probe.rttsMs.length === 0;
    const loss = reading.lossRate > 0 ? `; ${probe.lostAfterFirstReply} of ${probe.echoesAfterFirstReply} echo requests went unanswered once the board had answered` : '';
    return {
      status: fail ? 'fail' : 'warn',
      summary: `The line corrupts data: ${percent(reading.errorRate)} of frames arrive damaged (${reading.validFrames} good)${loss}.`,
      nextAction: 'Use another USB cable and plug it straight into the computer (no hub, no extension), then run this again.',
    };
  }
  return { status: 'pass', summary: `Bytes arrive and form valid SLIP frames (${reading.validFrames} frames, ${percent(reading.errorRate)} damaged).` };
}
