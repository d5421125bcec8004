// The doctor's findings as plain text for a support request. Holds device IDs, ports, counts and versions; never a
// secret (nothing the checks read is one, and the text is scrubbed once more to be sure).
import { redactSecrets } from '../../cloud/redact';
import type { CheckResult, CheckStatus, DoctorTarget } from './types';

export interface ReportHeader {
  /** "Sphere Explorer 0.3.0 · linux x64 · Node 20.11.0" */
  product: string;
  startedAt: Date;
}

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'OK', warn: 'WARNING', fail: 'FAILED', skipped: 'SKIPPED' };

/** The first failing check, else the first warning: what the report leads with. */
export function mainFinding(results: CheckResult[]): CheckResult | undefined {
  return results.find((r) => r.status === 'fail') ?? results.find((r) => r.status === 'warn');
}

export function describeTarget(target: DoctorTarget): string {
  const where = target.portPath ? `${target.portPath} at ${target.baudRate} baud${target.rtscts ? ', RTS/CTS' : ''}` : target.kind === 'os-route' ? 'the OS route' : 'no port';
  const trust = target.trust.kind === 'pin' ? 'certificate pinned on first use' : `certificate checked against ${target.trust.caLabel}`;
  return `${target.name} (${target.kind}) on ${where}; ${trust}${target.deviceId ? `; device ID ${target.deviceId}` : ''}`;
}

export const formatDuration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

export function renderReport(target: DoctorTarget, results: CheckResult[], header: ReportHeader): string {
  const lines = [
    'Sphere Explorer connection report',
    `${header.product} · ${header.startedAt.toISOString()}`,
    `Board: ${describeTarget(target)}`,
    '',
  ];
  const finding = mainFinding(results);
  lines.push(finding
    ? `Result: ${finding.status === 'fail' ? 'fails at' : 'works, with a warning at'} "${finding.title}": ${finding.summary}`
    : 'Result: every check passed.');
  if (finding?.nextAction) lines.push(`Next: ${finding.nextAction}`);
  lines.push('');
  results.forEach((r, i) => {
    lines.push(`${i + 1}. ${r.title} — ${STATUS_WORD[r.status]}${r.status === 'skipped' || r.durationMs < 1 ? '' : ` (${formatDuration(r.durationMs)})`}`);
    lines.push(`   ${r.summary}`);
    for (const d of r.details) lines.push(`   - ${d}`);
    if (r.nextAction && (r.status === 'fail' || r.status === 'warn')) lines.push(`   Next: ${r.nextAction}`);
  });
  return redactSecrets(lines.join('\n')) + '\n';
}
