// The connection doctor's panel: runs the checks for one board and redraws the page after every step, so each result
// shows as soon as it is known. "Copy report" puts the plain-text report on the clipboard; "Run again" checks the same
// board (also after it vanished: then the report says its port is gone); "Forget pinned certificate" appears when the
// board's certificate changed since it was pinned.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { runConnectionDoctor, renderReport, type CheckResult, type DoctorOptions, type DoctorTarget } from '../device/diagnosis';
import { SerialLink } from '../device';
import { classifyOpenError } from '../device/diagnosis/open-errors';
import { GlobalStatePinStore } from '../boards/global-state-pin-store';
import type { AttachedBoard } from '../boards';
import type { Services } from '../services';
import { CONNECTION_DOCTOR_VIEW_TYPE, doctorContract, type DoctorState, type DoctorToHost, type DoctorToWebview, type DoctorView } from './doctor-contract';
import { toDisposable } from '../common/lifecycle';
import { WebviewPanelHost, type PanelContext } from '../views/webview-panel-host';
import type { PanelKind } from '../views/webview-panel-manager';
import { doctorTargetFor } from './doctor-target';
import { applyDoctorEvent, briefTarget, finishDoctorView, initialDoctorView } from './doctor-view-model';

/** Attempts at opening a port our own views keep reopening (see openLink). */
const OPEN_ATTEMPTS = 5;

export class DoctorPanel extends WebviewPanelHost<DoctorToWebview, DoctorToHost, DoctorState> {
  private lastView: DoctorView | undefined;
  private target: DoctorTarget | undefined;
  private boardKey: string | undefined;
  private results: CheckResult[] = [];
  private startedAt = new Date();
  private abort: AbortController | undefined;
  private running: Promise<CheckResult[]> | undefined;
  private readonly pinStore: GlobalStatePinStore;

  constructor(panel: vscode.WebviewPanel, private readonly services: Services, context: PanelContext) {
    super(panel, doctorContract, context, { entry: 'doctor' });
    panel.iconPath = new vscode.ThemeIcon('pulse');
    this.pinStore = new GlobalStatePinStore(services.context.globalState);
    this._register(toDisposable(() => this.abort?.abort()));
  }

  get view(): DoctorView | undefined {
    return this.lastView;
  }

  /** The plain-text report of the last run (what "Copy report" copies). */
  get reportText(): string {
    return this.target ? renderReport(this.target, this.results, { product: productLine(this.services), startedAt: this.startedAt }) : '';
  }

  /** Resolves with the results when the current run ends. */
  whenDone(): Promise<CheckResult[]> {
    return this.running ?? Promise.resolve(this.results);
  }

  /** Checks `board` (undefined: no board attached); a run under way is stopped first. */
  diagnose(board: AttachedBoard | undefined): Promise<CheckResult[]> {
    this.boardKey = board?.key;
    // Set at once, so whenDone() right after the command waits for this run.
    const run = doctorTargetFor(board, this.pinStore).then((target) => {
      this.target = target;
      return this.start();
    });
    this.running = run;
    return run;
  }

  private start(): Promise<CheckResult[]> {
    const target = this.target!;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.results = [];
    this.startedAt = new Date();
    this.panel.title = `Connection Doctor: ${target.name}`;
    this.show(initialDoctorView(target.name, briefTarget(target)));
    const run = this.run(target, abort.signal);
    this.running = run;
    return run;
  }

  private async run(target: DoctorTarget, signal: AbortSignal): Promise<CheckResult[]> {
    const model = this.services.devices.model;
    const key = this.boardKey;
    const options: DoctorOptions = {
      signal,
      // The extension's own link to this port would hold its lock: close it first; it reopens on the next request.
      // A view reading the board (its facts, Wi-Fi, apps) may reopen it in between, so a lock refusal is retried,
      // a little later each time so those reads can finish (a program that really holds the port still refuses the
      // last attempt, about 1.5 s on, and the report says so).
      openLink: async (path, baudRate, rtscts) => {
        for (let attempt = 1; ; attempt++) {
          if (key) await model.releaseLink(key);
          try {
            return await SerialLink.open({ path, baudRate, rtscts });
          } catch (err) {
            if (!key || attempt >= OPEN_ATTEMPTS || classifyOpenError(err) !== 'busy') throw err;
            await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
          }
        }
      },
    };
    let view = this.lastView!;
    const generator = runConnectionDoctor(target, options);
    for (;;) {
      const next = await generator.next();
      if (signal.aborted) return next.done ? next.value : this.results;
      if (next.done) {
        this.results = next.value;
        break;
      }
      if (next.value.type === 'finished') this.results.push(next.value.result);
      view = applyDoctorEvent(view, next.value);
      this.show(view);
    }
    this.show(finishDoctorView(view, this.results, target.trust.kind === 'pin'));
    this.services.log.info(`Connection doctor for ${target.name}: ${this.results.map((r) => `${r.id} ${r.status}`).join(', ')}.`);
    // Views that tried the board while the doctor held its port showed an error: let them read it again now.
    if (key) {
      void model.reloadFacts(key);
      this.services.devices.wifi.refreshNetworks();
    }
    return this.results;
  }

  private show(view: DoctorView): void {
    this.lastView = view;
    this.post({ type: 'view', view });
    this.persist(view);
  }

  protected onReady(state: DoctorState | undefined): void {
    // A reload brings the last report back as it was (a run cut short by the reload says so).
    const view = this.lastView ?? state;
    if (view) this.show(this.running || !view.running ? view : { ...view, running: false, notice: 'This run was interrupted; run it again.' });
  }

  protected async onMessage(message: DoctorToHost): Promise<void> {
    switch (message.type) {
      case 'copyReport':
        await vscode.env.clipboard.writeText(this.reportText);
        if (this.lastView) this.show({ ...this.lastView, notice: 'Report copied to the clipboard. It has no Wi-Fi keys or tokens in it; the device ID is included.' });
        return;
      case 'runAgain':
        if (!this.target) return;
        // The board may be attached again under the same key (replugged): pick up its current descriptor then.
        if (this.boardKey) {
          const board = this.services.devices.model.board(this.boardKey);
          if (board) this.target = await doctorTargetFor(board, this.pinStore);
        }
        await this.start();
        return;
      case 'forgetPin': {
        const id = this.results.find((r) => r.id === 'tls')?.details.map((d) => /^Device ID reported by the board: ([0-9a-f]{128})\.$/i.exec(d)?.[1]).find(Boolean);
        if (!id) return;
        await this.pinStore.delete(id);
        this.services.log.info(`Forgot the pinned certificate of device ${id}; the next connection pins the one it presents.`);
        await this.start();
        return;
      }
    }
  }
}

function productLine(services: Services): string {
  const version = (services.context.extension.packageJSON as { version?: string }).version ?? '?';
  return `Sphere Explorer ${version} · ${os.platform()} ${os.arch()} · VS Code ${vscode.version} · Node ${process.versions.node}`;
}

export const doctorPanelKind: PanelKind<Services, DoctorPanel> = {
  viewType: CONNECTION_DOCTOR_VIEW_TYPE,
  title: 'Connection Doctor',
  create: (panel, services, context) => new DoctorPanel(panel, services, context),
};
