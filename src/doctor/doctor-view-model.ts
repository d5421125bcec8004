// The doctor's run as the panel shows it: every step from the start (pending), the running one marked, results filled
// in as they come. Plain TypeScript (no vscode), so it is tested on its own.
import { CHECK_IDS, CHECK_TITLES, mainFinding, type CheckResult, type DoctorEvent, type DoctorTarget } from '../device/diagnosis';
import { formatDuration } from '../device/diagnosis/report';
import type { DoctorStepView, DoctorView } from './doctor-contract';

/** One short line under the page's title (the report has the long form, with the full device ID). */
export function briefTarget(target: DoctorTarget): string {
  const where = target.portPath ? `${target.portPath} at ${target.baudRate} baud` : target.kind === 'os-route' ? 'the OS route' : 'no serial port';
  const trust = target.trust.kind === 'pin' ? 'certificate pinned on first use' : target.kind === 'simulator' ? "certificate checked against the simulator's CA" : 'certificate checked against the CA file';
  return `${target.name} · ${where} · ${trust}`;
}

export function initialDoctorView(boardName: string, target: string): DoctorView {
  return {
    boardName,
    target,
    running: true,
    steps: CHECK_IDS.map((id) => ({ id, title: CHECK_TITLES[id], state: 'pending', summary: 'Waiting…', details: [] })),
    finding: null,
    canForgetPin: false,
  };
}

function stepFrom(result: CheckResult): DoctorStepView {
  return {
    id: result.id,
    title: result.title,
    state: result.status,
    summary: result.summary,
    details: result.details.slice(0, 40),
    ...(result.nextAction && (result.status === 'fail' || result.status === 'warn') ? { nextAction: result.nextAction } : {}),
    // Under a millisecond means the step only read what an earlier one measured (ping reads the line's probe).
    ...(result.status !== 'skipped' && result.durationMs >= 1 ? { duration: formatDuration(result.durationMs) } : {}),
  };
}

/** The view after one more event. */
export function applyDoctorEvent(view: DoctorView, event: DoctorEvent): DoctorView {
  const id = event.type === 'started' ? event.id : event.result.id;
  const steps = view.steps.map((s) => {
    if (s.id !== id) return s;
    return event.type === 'started' ? { ...s, state: 'running' as const, summary: 'Checking…' } : stepFrom(event.result);
  });
  return { ...view, steps };
}

/** The view once the run ended: the main finding, and whether a changed pin can be forgotten. */
export function finishDoctorView(view: DoctorView, results: CheckResult[], pinCanBeForgotten: boolean): DoctorView {
  const finding = mainFinding(results);
  const tls = results.find((r) => r.id === 'tls');
  return {
    ...view,
    running: false,
    finding: finding && (finding.status === 'fail' || finding.status === 'warn')
      ? { state: finding.status, title: finding.title, summary: finding.summary, ...(finding.nextAction ? { nextAction: finding.nextAction } : {}) }
      : null,
    canForgetPin: pinCanBeForgotten && tls?.status === 'fail' && /pinned certificate changed/.test(tls.summary),
  };
}
