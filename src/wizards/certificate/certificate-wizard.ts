// The certificate-validation wizard as a state machine without vscode: it holds the page (a CertificateView),
// acts on the person's requests (CertificateToHost) with the step modules, and reports every change through
// `render`. The panel host only translates between this and the webview, and supplies the save dialog; tests drive
// it the same way. A failure becomes an error on the page with the step's own words; nothing is half-done silently.
// It works on a legacy tenant or a catalog alike, through FleetBackend: a CA is named by its backend ID (a tenant's
// thumbprint, a catalog's serial number), and the words say "tenant" or "catalog" as the scope is.
import { CloudApiError } from '../../cloud/api-error';
import type { ArmCertificateClient, HubRef } from '../../cloud/arm-certificate-client';
import type { FleetBackend, FleetScope } from '../../cloud/backend/fleet-backend';
import type { CaProofStep } from '../../cloud/ca-proof-flow';
import { PROOF_STEPS, type CertificateStep, type CertificateToHost, type CertificateView } from './certificate-contract';
import { caRowName, defaultCaRow, listCaCertificateRows, type CaCertificateRow } from './ca-certificate-rows';
import { CA_FILE_FORMATS, downloadCaCertificate, formatOfPath, scopeNoun, suggestedCaFileName, type CaFileFormat } from './ca-download';
import { createProofByHand } from './proof-by-hand';
import { certificateNameProblem, listHubChoices, proveInOneGo, ProofRefusedError, STEP_LABELS, suggestedCertificateName } from './proof-in-one-go';
import { checkVerificationCode } from './verification-code';
import { WizardRecord } from './wizard-record';

export interface SaveFileRequest {
  readonly title: string;
  readonly suggestedName: string;
  /** e.g. { 'DER certificate': ['cer'] }. */
  readonly filters: Readonly<Record<string, string[]>>;
}

export interface CertificateWizardDeps {
  /** The tenant or catalog whose CA is validated, and the backend that holds it. */
  readonly scope: FleetScope;
  readonly backend: FleetBackend;
  /** IoT Hub / DPS certificates (the in-one-go path). */
  readonly arm: ArmCertificateClient;
  /** Asks where to save a file; undefined when the person cancelled. */
  chooseSaveFile(request: SaveFileRequest): Promise<string | undefined>;
  /** Every change of the page. */
  render(view: CertificateView): void;
  /** A line for the extension's log (never a secret: only names, paths and service messages). */
  log?(line: string): void;
}

type ProgressState = NonNullable<CertificateView['progress']>[number]['state'];

const PROOF_FILTERS = { 'Certificate (DER)': ['cer'], 'Certificate (PEM)': ['pem'] };

export class CertificateWizard {
  private view: CertificateView;
  private readonly record = new WizardRecord();
  private hubRefs = new Map<string, HubRef>();

  constructor(
    private readonly deps: CertificateWizardDeps,
    restored?: CertificateView,
  ) {
    this.view = restored && restored.scopeId === deps.scope.id ? settle(restored) : this.firstPage();
    for (const f of this.view.downloads) this.record.file(f.path, f.description);
  }

  private firstPage(keep: Partial<CertificateView> = {}): CertificateView {
    const { scope } = this.deps;
    return { step: 'certificates', scopeId: scope.id, scopeKind: scope.kind, scopeName: scope.name, certificates: [], downloads: [], ...keep };
  }

  /** "tenant" or "catalog". */
  private get noun(): string {
    return scopeNoun(this.deps.scope);
  }

  current(): CertificateView {
    return this.view;
  }

  /** Loads what the current page needs (the CA list; the hubs on the hub page). Called when the page (re)loads. */
  async start(): Promise<void> {
    this.render();
    await this.guard(`Reading the ${this.noun}’s CA certificates`, async () => {
      const rows = await listCaCertificateRows(this.deps.backend, this.deps.scope);
      const keep = rows.find((r) => r.id === this.view.certificateId && r.usable);
      this.update({ certificates: rows, certificateId: (keep ?? defaultCaRow(rows))?.id });
      if (rows.length === 0) this.fail('No CA certificate', `The ${this.noun} "${this.deps.scope.name}" has no CA certificate yet, so there is nothing to download or prove.`);
      else if (!defaultCaRow(rows)) {
        this.fail('No CA certificate that can be used', `Every CA certificate of the ${this.noun} "${this.deps.scope.name}" is ${[...new Set(rows.map((r) => r.statusLabel.toLowerCase()))].join(' or ')}: none is handed out or trusted any more.`);
      }
    });
    if (this.view.step === 'hub') await this.loadHubs();
  }

  async handle(message: CertificateToHost): Promise<void> {
    if (this.view.busy) {
      this.deps.log?.(`certificate wizard: ignored "${message.type}" while ${this.view.busy}`);
      return;
    }
    switch (message.type) {
      case 'selectCertificate':
        return this.selectCertificate(message.certificateId);
      case 'download':
        return this.download(message.format);
      case 'next':
        return this.next();
      case 'back':
        return this.back();
      case 'choosePath':
        this.update({ path: message.path, error: undefined });
        return;
      case 'createProof':
        return this.createProof(message.code);
      case 'selectHub':
        this.update({ hubId: this.hubRefs.has(message.hubId) ? message.hubId : undefined, error: undefined });
        return;
      case 'prove':
        return this.prove(message.hubId, message.certificateName);
      case 'retry':
        if (this.view.step !== 'progress' || !this.view.hubId || !this.view.certificateName) return this.start();
        if (this.hubRefs.size === 0) await this.loadHubs(); // restored after a reload: the hub list is not in memory yet
        return this.prove(this.view.hubId, this.view.certificateName);
      case 'finish':
        this.goTo('summary', { summary: { actions: [...this.record.summary().actions], files: [...this.record.summary().files] } });
        return;
      case 'startOver':
        this.view = this.firstPage({ certificates: this.view.certificates, downloads: this.view.downloads, ...(this.view.certificateId && { certificateId: this.view.certificateId }) });
        this.render();
        return;
    }
  }

  private selectCertificate(certificateId: string): void {
    const row = this.view.certificates.find((r) => r.id === certificateId);
    if (!row?.usable) {
      this.fail(
        'This CA cannot be used',
        row
          ? `The CA certificate ${caRowName(row)} is ${row.statusLabel.toLowerCase()}: ${row.status === 'revoked' ? 'no hub should trust it' : 'the service no longer hands it out'}. Choose an active one.`
          : `The ${this.noun} "${this.deps.scope.name}" has no CA certificate ${certificateId}.`,
      );
      return;
    }
    this.update({ certificateId, error: undefined });
  }

  private async download(format: CaFileFormat): Promise<void> {
    const ca = this.requireCertificate();
    if (!ca) return;
    const { label } = CA_FILE_FORMATS[format];
    const filePath = await this.deps.chooseSaveFile({
      title: `Save the ${this.noun} CA certificate as ${label}`,
      suggestedName: suggestedCaFileName(this.deps.scope.name, ca.thumbprint ?? ca.id, format),
      filters: { [label]: [format] },
    });
    if (!filePath) return;
    await this.guard(`Saving the CA certificate as ${label}`, async () => {
      // The dialog may hand back a name without the extension the format needs: add it rather than write a .cer into "ca".
      const target = formatOfPath(filePath) === format ? filePath : `${filePath}.${format}`;
      const result = await downloadCaCertificate(this.deps.backend, this.deps.scope, { certificateId: ca.id, filePath: target });
      this.record.file(result.path, result.description);
      this.record.action(`Downloaded the ${this.noun} CA certificate ${caRowName(ca)} as ${label}.`);
      this.deps.log?.(`certificate wizard: saved the ${this.noun} CA ${caRowName(ca)} to ${result.path}`);
      this.update({ downloads: [...this.view.downloads.filter((f) => f.path !== result.path), { path: result.path, description: result.description }] });
    });
  }

  private async next(): Promise<void> {
    switch (this.view.step) {
      case 'certificates':
        if (this.requireCertificate()) this.goTo('path', { path: this.view.path ?? 'inOneGo' });
        return;
      case 'path':
        if (this.view.path === 'byHand') this.goTo('byHand');
        else {
          const ca = this.view.certificates.find((r) => r.id === this.view.certificateId);
          this.goTo('hub', { certificateName: this.view.certificateName ?? suggestedCertificateName(this.deps.scope.name, ca?.thumbprint ?? ca?.id ?? '') });
          await this.loadHubs();
        }
        return;
      default:
        return;
    }
  }

  private back(): void {
    const previous: Partial<Record<CertificateStep, CertificateStep>> = { path: 'certificates', byHand: 'path', byHandDone: 'byHand', hub: 'path', progress: 'hub' };
    const to = previous[this.view.step];
    if (to) this.goTo(to);
  }

  private async createProof(code: string): Promise<void> {
    const ca = this.requireCertificate();
    if (!ca) return;
    const check = checkVerificationCode(code);
    if (!check.ok) {
      this.update({ codeProblem: check.problem, error: undefined });
      return;
    }
    this.update({ codeProblem: undefined });
    const proofPath = await this.deps.chooseSaveFile({ title: 'Save the proof-of-possession certificate', suggestedName: `proof-${check.code.slice(0, 8)}.cer`, filters: PROOF_FILTERS });
    if (!proofPath) return;
    await this.guard('Getting the proof-of-possession certificate and checking it', async () => {
      const target = formatOfPath(proofPath) === 'cer' || formatOfPath(proofPath) === 'pem' ? proofPath : `${proofPath}.cer`;
      const result = await createProofByHand(this.deps.backend, this.deps.scope, { certificateId: ca.id, verificationCode: check.code, proofPath: target });
      this.record.file(result.proofPath, `Proof-of-possession certificate for code ${result.verificationCode} — upload this to verify the CA`);
      this.record.action(`Got the proof-of-possession certificate for verification code ${result.verificationCode} and checked it: signed by CA ${result.caThumbprint}, CN equals the code, within validity.`);
      this.deps.log?.(`certificate wizard: saved a checked proof for code ${result.verificationCode} to ${result.proofPath}`);
      this.goTo('byHandDone', {
        proof: { path: result.proofPath, verificationCode: result.verificationCode, caThumbprint: result.caThumbprint, checks: [...result.checks], upload: result.uploadSteps },
      });
    });
  }

  private async loadHubs(): Promise<void> {
    await this.guard('Finding your IoT hubs and provisioning services', async () => {
      const choices = await listHubChoices(this.deps.arm);
      this.hubRefs = new Map(choices.map((c) => [hubId(c.ref), c.ref]));
      const hubs = choices.map((c) => ({ id: hubId(c.ref), label: c.label, description: c.description }));
      const keep = hubs.find((h) => h.id === this.view.hubId);
      this.update({ hubs, hubId: (keep ?? hubs[0])?.id });
      if (hubs.length === 0) this.fail('No IoT hub or DPS found', 'The signed-in account sees no IoT hub or Device Provisioning Service in any subscription. Use the "by hand" path instead.');
    });
  }

  private async prove(id: string, certificateName: string): Promise<void> {
    const ca = this.requireCertificate();
    if (!ca) return;
    const hub = this.hubRefs.get(id);
    if (!hub) {
      this.fail('Choose a hub', 'Pick the IoT hub or DPS to upload the CA certificate to.');
      return;
    }
    const name = certificateName.trim();
    const nameProblem = certificateNameProblem(name);
    this.update({ hubId: id, certificateName: name, nameProblem, error: undefined });
    if (nameProblem) return;

    const progress = PROOF_STEPS.map((step) => ({ id: step, label: STEP_LABELS[step], state: 'pending' as ProgressState }));
    let running: CaProofStep | undefined;
    const onProgress = (step: CaProofStep) => {
      for (const p of progress) {
        if (p.id === running) p.state = 'done';
        if (p.id === step) p.state = 'running';
      }
      running = step;
      this.update({ progress: progress.map((p) => ({ ...p })) });
    };
    this.goTo('progress', { progress: progress.map((p) => ({ ...p })), hubResult: undefined, busy: `Proving possession of the CA to ${hub.name}` });
    try {
      const result = await proveInOneGo(this.deps.backend, this.deps.scope, this.deps.arm, { certificateId: ca.id, hub, certificateName: name, onProgress });
      const props = result.certificate.properties;
      const thumbprint = props.thumbprint ?? ca.thumbprint ?? ca.id;
      const kind = hub.kind === 'iotHub' ? 'IoT hub' : 'Device Provisioning Service';
      this.record.action(
        result.alreadyVerified
          ? `${kind} ${hub.name} already had CA ${thumbprint} as "${name}", verified; nothing to do.`
          : `Uploaded CA ${thumbprint} to ${kind} ${hub.name} as "${name}", proved possession with a fresh verification code; the hub shows it ${props.isVerified ? 'Verified' : 'Unverified'}.`,
      );
      this.deps.log?.(`certificate wizard: ${hub.name} certificate "${name}" isVerified=${props.isVerified}`);
      this.update({
        busy: undefined,
        // Steps the hub's state made unnecessary (the CA was already there, or already verified) show as skipped.
        progress: progress.map((p) => ({ ...p, state: result.stepsRun.includes(p.id) ? 'done' : 'skipped' })),
        hubResult: {
          hubName: hub.name,
          hubKind: kind,
          certificateName: result.certificate.name,
          verified: props.isVerified,
          alreadyVerified: result.alreadyVerified,
          thumbprint,
          subject: props.subject ?? '',
          expiry: props.expiry ?? '',
        },
      });
    } catch (err) {
      for (const p of progress) if (p.state === 'running') p.state = 'failed';
      this.deps.log?.(`certificate wizard: proving possession to ${hub.name} failed: ${(err as Error).message}`);
      const title = err instanceof ProofRefusedError ? `${hub.name} refused the proof` : `Could not finish with ${hub.name}`;
      this.update({ busy: undefined, progress: progress.map((p) => ({ ...p })), error: { title, message: messageOf(err), canRetry: true } });
    }
  }

  /** The chosen CA, when it can be used; otherwise the page says why and nothing is sent. */
  private requireCertificate(): CaCertificateRow | undefined {
    const row = this.view.certificates.find((r) => r.id === this.view.certificateId);
    if (row?.usable) return row;
    this.fail(
      'Choose a CA certificate',
      row
        ? `The CA certificate ${caRowName(row)} is ${row.statusLabel.toLowerCase()}; pick one of the ${this.noun}’s active CA certificates.`
        : this.view.certificates.length === 0
          ? `The ${this.noun} "${this.deps.scope.name}" has no CA certificate to use.`
          : `Pick one of the ${this.noun}’s active CA certificates first.`,
    );
    return undefined;
  }

  /** Runs one step with the page marked busy; a failure is shown on the page (and logged), never thrown. */
  private async guard(busy: string, work: () => Promise<void>): Promise<void> {
    this.update({ busy, error: undefined });
    try {
      await work();
      this.update({ busy: undefined });
    } catch (err) {
      this.deps.log?.(`certificate wizard: ${busy} failed: ${(err as Error).message}`);
      this.update({ busy: undefined, error: { title: `${busy} failed`, message: messageOf(err), canRetry: false } });
    }
  }

  private fail(title: string, message: string): void {
    this.update({ error: { title, message, canRetry: false } });
  }

  private goTo(step: CertificateStep, patch: Partial<CertificateView> = {}): void {
    this.update({ step, error: undefined, codeProblem: undefined, nameProblem: undefined, ...patch });
  }

  private update(patch: Partial<CertificateView>): void {
    const next: Record<string, unknown> = { ...this.view, ...patch };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    this.view = next as CertificateView;
    this.render();
  }

  private render(): void {
    this.deps.render(this.view);
  }
}

/** The ARM resource ID: unique, and turns back into a HubRef. */
function hubId(ref: HubRef): string {
  const type = ref.kind === 'iotHub' ? 'IotHubs' : 'provisioningServices';
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Devices/${type}/${ref.name}`;
}

/** A page restored after a reload: whatever was under way then is over now. */
function settle(view: CertificateView): CertificateView {
  if (!view.busy) return view;
  const { busy, ...rest } = view;
  return { ...rest, error: { title: 'Interrupted', message: `"${busy}" was interrupted when the window reloaded. Try again.`, canRetry: view.step === 'progress' } };
}

function messageOf(err: unknown): string {
  if (err instanceof CloudApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
