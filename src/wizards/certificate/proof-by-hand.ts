// The "by hand" path: the person generated a verification code in the portal (or with az), the wizard gets the
// proof-of-possession certificate for it from the tenant or catalog, saves it, then checks the file as saved — signed
// by that CA, CN equal to the code, within validity — and says exactly where to upload it. A proof that fails the
// check is not left on disk.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseCertificate, verifyProofOfPossession, writeCertificateFile } from '../../cloud/certificates';
import type { FleetBackend, FleetScope } from '../../cloud/backend/fleet-backend';
import { requireWellFormedVerificationCode } from './verification-code';

export interface ProofByHandRequest {
  /** The CA the code was generated for (the one uploaded to the hub): its thumbprint (tenant) or serial number (catalog). */
  readonly certificateId: string;
  readonly verificationCode: string;
  /** Where to save the proof: `.cer` (DER) or `.pem`. */
  readonly proofPath: string;
  readonly now?: Date;
  readonly signal?: AbortSignal;
}

export interface ProofCheck {
  readonly label: string;
  readonly detail: string;
}

export interface ProofByHandResult {
  readonly proofPath: string;
  readonly verificationCode: string;
  readonly caThumbprint: string;
  readonly caSubject: string;
  /** The checks the saved file passed, for the person to read. */
  readonly checks: readonly ProofCheck[];
  /** Where to upload it, step by step, for IoT Hub and for DPS. */
  readonly uploadSteps: UploadSteps;
}

export interface UploadSteps {
  readonly iotHubPortal: string;
  readonly dpsPortal: string;
  readonly iotHubCli: string;
  readonly dpsCli: string;
}

/** The proof failed the local check; nothing was kept on disk. */
export class ProofCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofCheckError';
  }
}

export async function createProofByHand(backend: FleetBackend, scope: FleetScope, request: ProofByHandRequest): Promise<ProofByHandResult> {
  const code = requireWellFormedVerificationCode(request.verificationCode);
  const ext = path.extname(request.proofPath).toLowerCase();
  if (ext !== '.cer' && ext !== '.pem') {
    throw new ProofCheckError(`Save the proof as .cer or .pem (what IoT Hub and DPS accept), not "${path.basename(request.proofPath)}".`);
  }
  const selector = { certificateId: request.certificateId, signal: request.signal };
  const ca = await backend.getCaCertificate(scope, selector);
  const proof = await backend.getProofOfPossessionCertificate(scope, code, selector);

  const written = await writeCertificateFile(request.proofPath, proof);
  // Check what is on disk, not what is in memory: that file is what the person uploads.
  try {
    const saved = parseCertificate(await fs.readFile(written), 'The saved proof certificate');
    verifyProofOfPossession(saved, ca, code, request.now);
    return {
      proofPath: written,
      verificationCode: code,
      caThumbprint: ca.thumbprint,
      caSubject: ca.subject,
      checks: [
        { label: `Signed by the ${scope.kind === 'catalog' ? 'catalog' : 'tenant'} CA`, detail: `issuer "${saved.issuer}", signature checked with the key of CA ${ca.thumbprint}` },
        { label: 'CN equals the verification code', detail: `CN=${saved.subjectCommonName ?? ''}` },
        { label: 'Within its validity', detail: `${saved.notBefore.toISOString()} – ${saved.notAfter.toISOString()}` },
      ],
      uploadSteps: uploadSteps(written),
    };
  } catch (err) {
    await fs.rm(written, { force: true });
    throw new ProofCheckError(`The proof certificate failed the local check and was not kept: ${(err as Error).message}`);
  }
}

/** Where the proof goes, in the words of the portal and of the Azure CLI. */
export function uploadSteps(proofPath: string): UploadSteps {
  const file = path.basename(proofPath);
  return {
    iotHubPortal: `Azure portal → your IoT hub → Security settings → Certificates → select the CA certificate you generated the code for → "Verification certificate .pem or .cer file": choose ${file} → Verify. Its status turns Verified.`,
    dpsPortal: `Azure portal → your Device Provisioning Service → Settings → Certificates → select the CA certificate → "Verification certificate .pem or .cer file": choose ${file} → Verify.`,
    iotHubCli: `az iot hub certificate verify --hub-name <hub> --name <certificate name> --path "${proofPath}" --etag <etag from "az iot hub certificate show">`,
    dpsCli: `az iot dps certificate verify --dps-name <dps> --resource-group <group> --certificate-name <certificate name> --path "${proofPath}" --etag <etag>`,
  };
}
