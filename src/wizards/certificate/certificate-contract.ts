// The certificate-validation wizard's host ↔ webview contract. The host owns the wizard (src/wizards/certificate)
// and sends the whole page as one `view` each time something changes; the webview draws it and sends back the
// person's choices. The view is also the state the webview keeps, so hiding, reopening or reloading the window
// brings the same page back. Nothing here carries a token or a key: only names, IDs, thumbprints, paths and messages.
// The wizard works on a legacy tenant or an Azure Sphere (Integrated) catalog: `scopeKind` says which, so the page
// says "tenant" or "catalog"; a CA is selected by its backend ID (a tenant's thumbprint, a catalog's serial number).
import { defineContract, type StateOf, type ToHostOf, type ToWebviewOf } from '../../views/shared/contract';
import { array, boolean, object, oneOf, optional, string, type Infer } from '../../views/shared/schema';

export const CERTIFICATE_WIZARD_VIEW_TYPE = 'sphereExplorer.certificateWizard';

export const CERTIFICATE_STEPS = ['certificates', 'path', 'byHand', 'byHandDone', 'hub', 'progress', 'summary'] as const;
export type CertificateStep = (typeof CERTIFICATE_STEPS)[number];

export const PROOF_STEPS = ['download-ca', 'upload-ca', 'generate-code', 'download-proof', 'check-proof', 'verify-on-hub'] as const;
export const CA_FORMATS = ['cer', 'pem', 'p7b'] as const;

const text = string({ max: 2048 });
const filePath = string({ max: 4096 });
const thumbprint = string({ pattern: /^[0-9A-F]{40}$/ });
/** A tenant CA's thumbprint or a catalog CA's serial number (hex; ARM names the certificate resource by it). */
const certificateId = string({ pattern: /^[0-9A-Za-z]{1,128}$/ });
export const SCOPE_KINDS = ['legacy', 'catalog'] as const;

const caRow = object({
  id: certificateId,
  thumbprint: optional(thumbprint),
  subject: text,
  notBefore: text,
  notAfter: text,
  status: oneOf(['active', 'inactive', 'revoked', 'expired', 'not-yet-valid']),
  statusLabel: text,
  usable: boolean(),
});

const writtenFile = object({ path: filePath, description: text });

const proofResult = object({
  path: filePath,
  verificationCode: text,
  caThumbprint: thumbprint,
  checks: array(object({ label: text, detail: text }), { max: 10 }),
  upload: object({ iotHubPortal: text, dpsPortal: text, iotHubCli: text, dpsCli: text }),
});

const hubChoice = object({ id: text, label: text, description: text });

const hubResult = object({
  hubName: text,
  hubKind: text,
  certificateName: text,
  verified: boolean(),
  alreadyVerified: boolean(),
  thumbprint: text,
  subject: text,
  expiry: text,
});

export const certificateView = object({
  step: oneOf(CERTIFICATE_STEPS),
  /** The tenant or catalog: its ID (a tenant GUID or the catalog's ARM resource ID), kind and name. */
  scopeId: text,
  scopeKind: oneOf(SCOPE_KINDS),
  scopeName: text,
  /** Something is under way: the page says what and disables its buttons. */
  busy: optional(text),
  error: optional(object({ title: text, message: text, canRetry: boolean() })),
  certificates: array(caRow, { max: 50 }),
  /** The CA chosen: a row's id. */
  certificateId: optional(certificateId),
  downloads: array(writtenFile, { max: 50 }),
  path: optional(oneOf(['byHand', 'inOneGo'])),
  codeProblem: optional(text),
  proof: optional(proofResult),
  hubs: optional(array(hubChoice, { max: 500 })),
  hubId: optional(text),
  certificateName: optional(text),
  nameProblem: optional(text),
  progress: optional(array(object({ id: oneOf(PROOF_STEPS), label: text, state: oneOf(['pending', 'running', 'done', 'skipped', 'failed']) }), { max: 10 })),
  hubResult: optional(hubResult),
  summary: optional(object({ actions: array(text, { max: 50 }), files: array(writtenFile, { max: 50 }) })),
});

export type CertificateView = Infer<typeof certificateView>;
export type CaRowView = CertificateView['certificates'][number];

export const certificateContract = defineContract({
  viewType: CERTIFICATE_WIZARD_VIEW_TYPE,
  toWebview: {
    view: { view: certificateView },
  },
  toHost: {
    selectCertificate: { certificateId },
    download: { format: oneOf(CA_FORMATS) },
    next: {},
    back: {},
    choosePath: { path: oneOf(['byHand', 'inOneGo']) },
    createProof: { code: string({ max: 200 }) },
    selectHub: { hubId: text },
    prove: { hubId: text, certificateName: string({ max: 200 }) },
    retry: {},
    finish: {},
    startOver: {},
  },
  state: certificateView,
});

export type CertificateToWebview = ToWebviewOf<typeof certificateContract>;
export type CertificateToHost = ToHostOf<typeof certificateContract>;
export type CertificateState = StateOf<typeof certificateContract>;
