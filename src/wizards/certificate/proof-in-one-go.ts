// The "in one go" path: pick an IoT Hub or DPS the signed-in account can reach through ARM, then upload the CA of the
// tenant or catalog, get a verification code, fetch and check the proof and verify it on the hub (proveCaPossession), and
// read the entry back so the wizard shows what the hub now says. A hub's refusal becomes ProofRefusedError with the
// hub's own words and what to do next.
import { CloudApiError } from '../../cloud/api-error';
import { toHubRef, type ArmCertificateClient, type HubCertificate, type HubRef } from '../../cloud/arm-certificate-client';
import { CertificateError } from '../../cloud/certificates';
import type { FleetBackend, FleetScope } from '../../cloud/backend/fleet-backend';
import { proveCaPossession, type CaProofStep } from '../../cloud/ca-proof-flow';

export interface HubChoice {
  readonly ref: HubRef;
  /** e.g. "contoso-hub". */
  readonly label: string;
  /** e.g. "IoT hub · Contoso IoT / sphere-demo · westeurope". */
  readonly description: string;
}

const KIND_LABEL: Record<HubRef['kind'], string> = { iotHub: 'IoT hub', dps: 'Device Provisioning Service' };

/** Every IoT hub and DPS in every subscription the account can see, IoT hubs first. */
export async function listHubChoices(arm: ArmCertificateClient, signal?: AbortSignal): Promise<HubChoice[]> {
  const choices: HubChoice[] = [];
  for (const sub of await arm.listSubscriptions(signal)) {
    for (const kind of ['iotHub', 'dps'] as const) {
      for (const resource of await arm.listHubs(sub.subscriptionId, kind, signal)) {
        const ref = toHubRef(resource);
        const where = [`${sub.displayName} / ${ref.resourceGroup}`, resource.location].filter(Boolean).join(' · ');
        choices.push({ ref, label: ref.name, description: `${KIND_LABEL[kind]} · ${where}` });
      }
    }
  }
  return choices.sort((a, b) => (a.ref.kind === b.ref.kind ? a.label.localeCompare(b.label) : a.ref.kind === 'iotHub' ? -1 : 1));
}

/** A name for the hub's certificate entry: the tenant's or catalog's name and the CA's thumbprint start, within ARM's pattern. */
export function suggestedCertificateName(scopeName: string, thumbprint: string): string {
  const stem = scopeName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 40) || 'azure-sphere';
  return `${stem}-CA-${thumbprint.slice(0, 8)}`;
}

/** Undefined when ARM accepts `name` as a certificate name, else why not. */
export function certificateNameProblem(name: string): string | undefined {
  if (!name) return 'Give the certificate entry a name, e.g. the tenant\'s or catalog\'s name.';
  if (name.length > 64) return `The name is ${name.length} characters long; IoT Hub and DPS allow at most 64.`;
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad) return `IoT Hub and DPS allow only letters, digits, '-', '.' and '_' in certificate names; "${bad[0] === ' ' ? 'space' : bad[0]}" at position ${bad.index + 1} is not one.`;
  return undefined;
}

export const STEP_LABELS: Readonly<Record<Exclude<CaProofStep, 'done'>, string>> = {
  'download-ca': 'Download the CA certificate',
  'upload-ca': 'Upload it to the hub (unverified)',
  'generate-code': 'Ask the hub for a verification code',
  'download-proof': 'Get the proof-of-possession certificate for that code',
  'check-proof': 'Check the proof locally',
  'verify-on-hub': 'Send the proof to the hub',
};

export interface InOneGoRequest {
  /** The CA to prove: its thumbprint (tenant) or serial number (catalog). */
  readonly certificateId: string;
  readonly hub: HubRef;
  readonly certificateName: string;
  readonly onProgress?: (step: CaProofStep) => void;
  readonly signal?: AbortSignal;
}

export interface InOneGoResult {
  /** The hub's entry as read back after the flow. */
  readonly certificate: HubCertificate;
  /** True when the entry was already verified and nothing had to be done. */
  readonly alreadyVerified: boolean;
  readonly stepsRun: readonly CaProofStep[];
}

/** The hub would not accept the proof; `hubMessage` is what it said. The CA entry stays on the hub, unverified. */
export class ProofRefusedError extends Error {
  constructor(
    readonly hubMessage: string,
    readonly hubName: string,
    readonly certificateName: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${hubName} refused the proof of possession for "${certificateName}": ${hubMessage} ` +
        'This happens when a newer verification code was generated for that certificate meanwhile (in the portal or by someone else), ' +
        'or when the certificate entry was changed. Try again: the wizard asks for a fresh code.',
      options,
    );
    this.name = 'ProofRefusedError';
  }
}

export async function proveInOneGo(backend: FleetBackend, scope: FleetScope, arm: ArmCertificateClient, request: InOneGoRequest): Promise<InOneGoResult> {
  const problem = certificateNameProblem(request.certificateName);
  if (problem) throw new Error(problem);
  const stepsRun: CaProofStep[] = [];
  const certificateId = request.certificateId;
  try {
    await proveCaPossession({
      source: {
        getCaCertificate: (signal) => backend.getCaCertificate(scope, { certificateId, signal }),
        getProofOfPossessionCertificate: (code, signal) => backend.getProofOfPossessionCertificate(scope, code, { certificateId, signal }),
      },
      arm,
      hub: request.hub,
      certificateName: request.certificateName,
      signal: request.signal,
      onProgress: (step) => {
        stepsRun.push(step);
        request.onProgress?.(step);
      },
    });
  } catch (err) {
    if (isRefusal(err, stepsRun)) throw new ProofRefusedError((err as CloudApiError).serverMessage ?? (err as Error).message, request.hub.name, request.certificateName, { cause: err });
    if (err instanceof CertificateError) throw new Error(`The proof failed the local check, so it was not sent to ${request.hub.name}: ${err.message}`, { cause: err });
    throw err;
  }
  const certificate = await arm.getCertificate(request.hub, request.certificateName, request.signal);
  return { certificate, alreadyVerified: !stepsRun.includes('verify-on-hub'), stepsRun };
}

/** A 4xx from the hub's verify call (bad proof, stale code, changed etag) is a refusal; outages are not. */
function isRefusal(err: unknown, stepsRun: readonly CaProofStep[]): boolean {
  return err instanceof CloudApiError && stepsRun.at(-1) === 'verify-on-hub' && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403;
}
