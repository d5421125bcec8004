// The certificate-validation wizard as a state machine without vscode: it holds the page (a CertificateView),
// acts on the person's requests (CertificateToHost) with the step modules, and reports every change through
// `render`. The panel host only translates between this and the webview, and supplies the save dialog; tests drive
// it the same way. A failure becomes an error on the page with the step's own words; nothing is half-done silently.
import { CloudApiError } from '../../cloud/api-error';
import type { ArmCertificateClient, HubRef } from '../../cloud/arm-certificate-client';
import type { CaProofStep } from '../../cloud/ca-proof-flow';
import type { SphereApiClient } from '../../cloud/sphere-api-client';
import { PROOF_STEPS, type CertificateStep, type CertificateToHost, type CertificateView } from './certificate-contract';
import { caCertificateRows, defaultCaRow } from './ca-certificate-rows';
import { CA_FILE_FORMATS, downloadCaCertificate, formatOfPath, suggestedCaFileName, type CaFileFormat } from './ca-download';
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
  readonly sphere: SphereApiClient;
  readonly arm: ArmCertificateClient;
  readonly tenant: { readonly id: string; readonly name: string };
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
    this.view = restored && restored.tenantName === deps.tenant.name ? settle(restored) : { step: 'certificates', tenantName: deps.tenant.name, certificates: [], downloads: [] };
    for (const f of this.view.downloads) this.record.file(f.path, f.description);
  }

  current(): CertificateView {
    return this.view;
  }

  /** Loads what the current page needs (the CA list; the hubs on the hub page). Called when the page (re)loads. */
  async start(): Promise<void> {
    this.render();
    await this.guard('Reading the tenant’s CA certificates', async () => {
      const rows = caCertificateRows(await this.deps.sphere.listCaCertificates(this.deps.tenant.id));
      const keep = rows.find((r) => r.thumbprint === this.view.thumbprint && r.usable);
      this.update({ certificates: rows, thumbprint: (keep ?? defaultCaRow(rows))?.thumbprint });
      if (rows.length === 0) this.fail('No CA certificate', `The tenant "${this.deps.tenant.name}" has no CA certificate yet.`);
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
        return this.selectCertificate(message.thumbprint);
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
        this.view = { step: 'certificates', tenantName: this.deps.tenant.name, certificates: this.view.certificates, thumbprint: this.view.thumbprint, downloads: this.view.downloads };
        this.render();
        return;
    }
  }

  private selectCertificate(thumbprint: string): void {
    const row = this.view.certificates.find((r) => r.thumbprint === thumbprint);
    if (!row?.usable) {
      this.fail('This CA cannot be used', row ? `The CA certificate ${thumbprint} is ${row.statusLabel.toLowerCase()}; choose an active one.` : `The tenant has no CA certificate ${thumbprint}.`);
      return;
    }
    this.update({ thumbprint, error: undefined });
  }

  private async download(format: CaFileFormat): Promise<void> {
    const thumbprint = this.requireThumbprint();
    if (!thumbprint) return;
    const { label } = CA_FILE_FORMATS[format];
    const filePath = await this.deps.chooseSaveFile({
      title: `Save the tenant CA certificate as ${label}`,
      suggestedName: suggestedCaFileName(this.deps.tenant.name, thumbprint, format),
      filters: { [label]: [format] },
    });
    if (!filePath) return;
    await this.guard(`Saving the CA certificate as ${label}`, async () => {
      // The dialog may hand back a name without the extension the format needs: add it rather than write a .cer into "ca".
      const target = formatOfPath(filePath) === format ? filePath : `${filePath}.${format}`;
      const result = await downloadCaCertificate(this.deps.sphere, { tenantId: this.deps.tenant.id, thumbprint, filePath: target });
      this.record.file(result.path, result.description);
      this.record.action(`Downloaded the tenant CA certificate ${thumbprint} as ${label}.`);
      this.deps.log?.(`certificate wizard: saved the tenant CA ${thumbprint} to ${result.path}`);
      this.update({ downloads: [...this.view.downloads.filter((f) => f.path !== result.path), { path: result.path, description: result.description }] });
    });
  }

  private async next(): Promise<void> {
    switch (this.view.step) {
      case 'certificates':
        if (this.requireThumbprint()) this.goTo('path', { path: this.view.path ?? 'inOneGo' });
        return;
      case 'path':
        if (this.view.path === 'byHand') this.goTo('byHand');
        else {
          this.goTo('hub', { certificateName: this.view.certificateName ?? suggestedCertificateName(this.deps.tenant.name, this.view.thumbprint ?? '') });
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
    const thumbprint = this.requireThumbprint();
    if (!thumbprint) return;
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
      const result = await createProofByHand(this.deps.sphere, { tenantId: this.deps.tenant.id, thumbprint, verificationCode: check.code, proofPath: target });
      this.record.file(result.proofPath, `Proof-of-possession certificate for code ${result.verificationCode} — upload this to verify the CA`);
      this.record.action(`Got the proof-of-possession certificate for verification code ${result.verificationCode} and checked it: signed by CA ${thumbprint}, CN equals the code, within validity.`);
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
    const thumbprint = this.requireThumbprint();
    if (!thumbprint) return;
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
      const result = await proveInOneGo(this.deps.sphere, this.deps.arm, { tenantId: this.deps.tenant.id, thumbprint, hub, certificateName: name, onProgress });
      const props = result.certificate.properties;
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
          thumbprint: props.thumbprint ?? thumbprint,
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

  private requireThumbprint(): string | undefined {
    const row = this.view.certificates.find((r) => r.thumbprint === this.view.thumbprint);
    if (row?.usable) return row.thumbprint;
    this.fail('Choose a CA certificate', 'Pick one of the tenant’s active CA certificates first.');
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
