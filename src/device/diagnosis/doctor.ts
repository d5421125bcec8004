// The connection doctor: runs the checks in order, layer by layer, and yields each one's result as soon as it is known.
// A failed layer makes the ones above it "skipped"; the OS-route check stands apart and always runs.
import { performance } from 'node:perf_hooks';
import { loadSerialPort, SerialLink } from '../serial-link';
import { checkOsRoute } from './os-route-check';
import { checkSerialPort } from './port-check';
import { concludeLine, lineFacts, readLine } from './line-check';
import { probeLine, type LineProbe } from './line-probe';
import { checkRest } from './rest-check';
import { checkTls } from './tls-check';
import type { StreamConnector } from '../transport';
import { CHECK_TITLES, type CheckId, type CheckResult, type DoctorEvent, type DoctorOptions, type DoctorTarget } from './types';

export const COMMON_BAUD_RATES = [115200, 230400, 460800, 921600];

type Outcome = Omit<CheckResult, 'id' | 'title' | 'durationMs'>;

const defaultOpenLink = (path: string, baudRate: number, rtscts: boolean): Promise<SerialLink> => SerialLink.open({ path, baudRate, rtscts });

function rttFacts(probe: LineProbe): string {
  const rtts = probe.rttsMs;
  const min = Math.min(...rtts);
  const max = Math.max(...rtts);
  const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
  return `round trip min/avg/max ${min.toFixed(1)}/${avg.toFixed(1)}/${max.toFixed(1)} ms`;
}

/** Runs every check; the generator's return value is the full list of results. */
export async function* runConnectionDoctor(target: DoctorTarget, options: DoctorOptions = {}): AsyncGenerator<DoctorEvent, CheckResult[]> {
  const results: CheckResult[] = [];
  const openLink = options.openLink ?? defaultOpenLink;
  const timeoutMs = options.timeoutMs ?? 8_000;
  let blockedBy: CheckResult | undefined;
  let link: SerialLink | undefined;
  let probe: LineProbe | undefined;
  let deviceId: string | undefined;
  let restartSuspected = false;

  async function* step(id: CheckId, run: () => Promise<Outcome>, layered = true): AsyncGenerator<DoctorEvent> {
    const title = CHECK_TITLES[id];
    yield { type: 'started', id, title };
    const started = performance.now();
    let outcome: Outcome;
    if (layered && blockedBy) {
      outcome = { status: 'skipped', summary: `Skipped: "${blockedBy.title}" failed.`, details: [] };
    } else {
      try {
        outcome = await run();
      } catch (err) {
        outcome = { status: 'fail', summary: `The check itself failed: ${(err as Error).message}`, details: [], nextAction: 'Run this again; if it fails the same way, copy this report into a support request.' };
      }
    }
    const result: CheckResult = { id, title, durationMs: performance.now() - started, ...outcome };
    if (layered && result.status === 'fail') blockedBy = result;
    results.push(result);
    yield { type: 'finished', result };
  }

  const aborted = (): boolean => options.signal?.aborted === true;
  const route = (): StreamConnector | undefined => (target.kind === 'os-route' ? target.osRoute : link);
  try {
    yield* step('port', async () => {
      const listPorts = options.listPorts ?? (() => loadSerialPort().SerialPort.list());
      const outcome = await checkSerialPort(target, { ...options, listPorts }, openLink);
      link = outcome.link;
      const { link: _ignored, ...rest } = outcome;
      return rest;
    });
    if (aborted()) return results;

    yield* step('line', async () => {
      if (target.kind === 'os-route') return { status: 'skipped', summary: 'Not used: no serial line on the OS route.', details: [] };
      const opened = link!;
      probe = await probeLine(opened, { waitMs: options.lineWaitMs ?? 4_000, wanted: options.pingsWanted ?? 5 });
      const reading = readLine(probe);
      const details = lineFacts(probe);
      const tried: number[] = [];
      let answeringBaud: number | undefined;
      if (reading.verdict === 'silent' || reading.verdict === 'garbage') {
        await opened.close();
        link = undefined;
        for (const rate of options.candidateBaudRates ?? COMMON_BAUD_RATES) {
          if (rate === target.baudRate || aborted()) continue;
          tried.push(rate);
          const other = await openLink(target.portPath!, rate, target.rtscts);
          try {
            const trial = await probeLine(other, { waitMs: 1_200, wanted: 1, echoTimeoutMs: 400 });
            details.push(`Tried ${rate} baud: ${trial.rttsMs.length ? 'the board answers' : `${trial.bytesIn} bytes, no answer`}.`);
            if (trial.rttsMs.length) answeringBaud = rate;
          } finally {
            await other.close();
          }
          if (answeringBaud) break;
        }
      }
      const conclusion = concludeLine(probe, reading, { answeringBaud, triedRates: tried, simulated: target.kind === 'simulator' });
      return { ...conclusion, details };
    });
    if (aborted()) return results;

    yield* step('ping', async () => {
      if (target.kind === 'os-route') return { status: 'skipped', summary: 'Not sent: ICMP through the OS route would need raw sockets.', details: [] };
      const p = probe!;
      const details = [`${p.echoesSent} echo requests of 56 bytes to 192.168.35.2, ${p.rttsMs.length} replies.`];
      if (p.rttsMs.length === 0) {
        return { status: 'fail', summary: 'The board sends frames but does not answer ping.', details, nextAction: 'Press the board\'s Reset button, wait half a minute, then run this again.' };
      }
      if (p.firstReplyMs !== undefined && p.firstReplyMs > 1_000) {
        restartSuspected = true;
        details.push(`The first reply came only after ${(p.firstReplyMs / 1000).toFixed(1)} s: the board was probably starting up.`);
      }
      return { status: 'pass', summary: `${p.rttsMs.length} of ${p.echoesSent} echo requests answered; ${rttFacts(p)}.`, details };
    });
    if (aborted()) return results;

    yield* step('tls', async () => {
      const r = route();
      if (!r) return { status: 'skipped', summary: 'No route to the board to connect over.', details: [] };
      const outcome = await checkTls(r, target, timeoutMs);
      deviceId = outcome.deviceId;
      const { deviceId: _ignored, ...rest } = outcome;
      return rest;
    });
    if (aborted()) return results;

    yield* step('rest', async () => {
      return checkRest(route()!, target, deviceId, timeoutMs, restartSuspected);
    });
    if (aborted()) return results;

    // The OS route stands apart from the serial layers: it is looked at whatever happened above.
    yield* step('osRoute', () => checkOsRoute(target, options), false);
    return results;
  } finally {
    await link?.close();
  }
}

/** Runs the doctor to the end and returns every result (for the CLI and tests). */
export async function diagnoseConnection(target: DoctorTarget, options: DoctorOptions = {}, onEvent?: (event: DoctorEvent) => void): Promise<CheckResult[]> {
  const run = runConnectionDoctor(target, options);
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
    onEvent?.(next.value);
  }
}
