// The panel's view of a run: all steps from the start, the running one marked, results as they come, the finding.
import { strict as assert } from 'node:assert';
import type { CheckResult } from '../../../src/device/diagnosis';
import { applyDoctorEvent, finishDoctorView, initialDoctorView } from '../../../src/doctor/doctor-view-model';
import { doctorContract } from '../../../src/doctor/doctor-contract';

const result = (id: CheckResult['id'], status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult =>
  ({ id, title: id, status, summary: `${id} ${status}`, details: [], durationMs: 12, ...extra });

describe('doctor: the panel view', () => {
  it('shows every step pending first, then running, then its result; the finding leads once done', () => {
    let view = initialDoctorView('sim-1', 'sim-1 on /tmp/tty');
    assert.deepEqual(view.steps.map((s) => s.state), ['pending', 'pending', 'pending', 'pending', 'pending', 'pending']);
    view = applyDoctorEvent(view, { type: 'started', id: 'port', title: 'Serial port' });
    assert.equal(view.steps[0]!.state, 'running');
    view = applyDoctorEvent(view, { type: 'finished', result: result('port', 'pass') });
    view = applyDoctorEvent(view, { type: 'finished', result: result('line', 'fail', { nextAction: 'Use another cable.' }) });
    assert.deepEqual(view.steps.slice(0, 2).map((s) => [s.state, s.duration, s.nextAction]), [['pass', '12 ms', undefined], ['fail', '12 ms', 'Use another cable.']]);
    const done = finishDoctorView(view, [result('port', 'pass'), result('line', 'fail', { nextAction: 'Use another cable.' })], true);
    assert.deepEqual(done.finding, { state: 'fail', title: 'line', summary: 'line fail', nextAction: 'Use another cable.' });
    assert.equal(done.running, false);
    // Whatever the view holds passes the contract the page validates against.
    doctorContract.toWebview.parse({ type: 'view', view: done });
  });

  it('offers "Forget pinned certificate" only for a changed pin on a pinned board', () => {
    const changed = [result('tls', 'fail', { summary: 'The certificate of device AB… changed since it was first trusted (pinned certificate changed).' })];
    const view = initialDoctorView('b', 't');
    assert.equal(finishDoctorView(view, changed, true).canForgetPin, true);
    assert.equal(finishDoctorView(view, changed, false).canForgetPin, false);
    assert.equal(finishDoctorView(view, [result('tls', 'fail')], true).canForgetPin, false);
  });
});
