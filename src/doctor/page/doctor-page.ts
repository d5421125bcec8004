// The Connection Doctor page: one row per check, each with its state (an icon and a word, not colour alone), what was
// found, and — for a failure or warning — the next action in a box. The main finding leads the page; "Copy report"
// and "Run again" are always at hand. Details stay folded until asked for.
import { doctorContract, type DoctorStepView, type DoctorView } from '../doctor-contract';
import { connectToHost } from '../../views/webview/lib/host';
import { actions, button, h, icon, notice, progressRing, registerComponents } from '../../views/webview/ui/components';
import { render } from '../../views/webview/ui/render';
import './doctor-page.css';

registerComponents();
const root = document.getElementById('app')!;
const host = connectToHost(doctorContract, (message) => {
  if (message.type === 'view') show(message.view);
});

const STATE_LOOK: Record<DoctorStepView['state'], { icon: string; word: string }> = {
  pending: { icon: 'circle-large-outline', word: 'Waiting' },
  running: { icon: 'loading', word: 'Checking' },
  pass: { icon: 'pass-filled', word: 'OK' },
  warn: { icon: 'warning', word: 'Warning' },
  fail: { icon: 'error', word: 'Failed' },
  skipped: { icon: 'circle-slash', word: 'Skipped' },
};

function nextAction(text: string): HTMLElement {
  return h('p', { class: 'next-action' }, h('span', { class: 'next-label' }, 'Next: '), text);
}

function stepRow(step: DoctorStepView, index: number): HTMLElement {
  const look = STATE_LOOK[step.state];
  const stateIcon = icon(look.icon);
  if (step.state === 'running') stateIcon.classList.add('codicon-modifier-spin');
  const body = h(
    'div',
    { class: 'check-body' },
    h('div', { class: 'check-head' }, h('span', { class: 'check-title' }, `${index + 1}. ${step.title}`), h('span', { class: `check-state state-${step.state}` }, look.word), step.duration ? h('span', { class: 'check-duration' }, step.duration) : null),
    h('p', { class: 'check-summary' }, step.summary),
    step.nextAction ? nextAction(step.nextAction) : null,
    step.details.length ? h('details', { class: 'check-details' }, h('summary', {}, `Details (${step.details.length})`), h('ul', {}, ...step.details.map((d) => h('li', {}, d)))) : null,
  );
  return h('li', { class: `check check-${step.state}`, 'data-check': step.id, 'aria-label': `${step.title}: ${look.word}` }, h('span', { class: `check-icon state-${step.state}` }, stateIcon), body);
}

function headline(view: DoctorView): HTMLElement {
  if (view.running) return progressRing(`Checking the connection to ${view.boardName}…`);
  if (!view.finding) return notice('success', 'Every check passed.', 'The board answers on every layer. If a command still fails, copy the report and attach it to a support request.');
  const kind = view.finding.state === 'fail' ? 'error' : 'warning';
  const title = view.finding.state === 'fail' ? `The connection fails at "${view.finding.title}".` : `The board answers, with a warning at "${view.finding.title}".`;
  return notice(kind, title, [view.finding.summary, view.finding.nextAction ? nextAction(view.finding.nextAction) : null]);
}

function show(view: DoctorView): void {
  const buttons = [
    button({ label: 'Copy report', icon: 'copy', key: 'copy', disabled: view.running, appearance: view.finding ? 'primary' : 'secondary', onClick: () => host.post({ type: 'copyReport' }) }),
    button({ label: 'Run again', icon: 'refresh', key: 'again', appearance: 'secondary', disabled: view.running, onClick: () => host.post({ type: 'runAgain' }) }),
  ];
  if (view.canForgetPin) buttons.push(button({ label: 'Forget pinned certificate', icon: 'trash', key: 'forget', appearance: 'secondary', onClick: () => host.post({ type: 'forgetPin' }) }));
  const page = h(
    'div',
    { class: 'doctor' },
    h('h1', { tabindex: '-1', 'data-autofocus': 'true' }, 'Connection Doctor'),
    h('p', { class: 'subtitle' }, view.target),
    headline(view),
    // At the top, next to what they act on; the confirmation right beside the buttons, where the click was.
    actions(...buttons),
    view.notice ? h('p', { class: 'doctor-notice', role: 'status' }, view.notice) : null,
    h('ol', { class: 'checks', 'aria-label': 'Checks' }, ...view.steps.map(stepRow)),
  );
  render(root, page, 'report');
}
