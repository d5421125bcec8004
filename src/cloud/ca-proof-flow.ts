// The whole proof-of-possession flow for a tenant CA on an IoT Hub / DPS
// (docs/cloud-api.md#iot-hub-and-dps-certificates-arm), as one call with progress: download the tenant CA, upload it
// (unverified), generate a verification code, download the proof for that code, check the proof locally, then verify
// it on the hub. A local check failure stops before the hub sees a bad proof. proveCaPossession is the flow for any
// CA source (a legacy tenant, or a catalog through FleetBackend); proveTenantCaPossession is it over SphereApiClient.
import { CloudApiError } from './api-error';
import { ArmCertificateClient, type HubCertificate, type HubRef } from './arm-certificate-client';
import { verifyProofOfPossession, type ParsedCertificate } from './certificates';
import { CloudError } from './errors';
import type { SphereApiClient } from './sphere-api-client';

export type CaProofStep = 'download-ca' | 'upload-ca' | 'generate-code' | 'download-proof' | 'check-proof' | 'verify-on-hub' | 'done';

export interface CaProofRequest {
  readonly sphere: SphereApiClient;
  readonly arm: ArmCertificateClient;
  readonly tenantId: string;
  readonly hub: HubRef;
  /** Name of the certificate entry on the hub. */
  readonly certificateName: string;
  /** Which tenant CA (default: the active one). */
  readonly thumbprint?: string;
  readonly onProgress?: (step: CaProofStep) => void;
  readonly signal?: AbortSignal;
}

/** Where the CA and its proofs come from: the CA to upload, and the proof for a hub's verification code. */
export interface CaProofSource {
  getCaCertificate(signal?: AbortSignal): Promise<ParsedCertificate>;
  getProofOfPossessionCertificate(verificationCode: string, signal?: AbortSignal): Promise<ParsedCertificate>;
}

export interface CaPossessionRequest {
  readonly source: CaProofSource;
  readonly arm: ArmCertificateClient;
  readonly hub: HubRef;
  /** Name of the certificate entry on the hub. */
  readonly certificateName: string;
  readonly onProgress?: (step: CaProofStep) => void;
  readonly signal?: AbortSignal;
}

/** The hub already holds a different certificate under the requested name; nothing was changed. */
export class CertificateNameTakenError extends CloudError {
  constructor(name: string, hubName: string, existingThumbprint: string | undefined) {
    super(
      `The hub "${hubName}" already has a certificate named "${name}" (thumbprint ${existingThumbprint ?? 'unknown'}) that is not this CA. Choose another name, or delete that entry first.`,
      'certificate_name_taken',
    );
  }
}

/** Runs the flow; returns the hub's certificate entry, verified. An already verified entry is returned as is. */
export async function proveTenantCaPossession(request: CaProofRequest): Promise<HubCertificate> {
  const { sphere, tenantId } = request;
  let thumbprint = request.thumbprint;
  const source: CaProofSource = {
    getCaCertificate: async (signal) => {
      const ca = await sphere.getCaCertificate(tenantId, { thumbprint, signal });
      thumbprint = ca.thumbprint; // the proof must come from the CA that was uploaded, even when none was named
      return ca;
    },
    getProofOfPossessionCertificate: (code, signal) => sphere.getProofOfPossessionCertificate(tenantId, code, { thumbprint, signal }),
  };
  return proveCaPossession({ source, arm: request.arm, hub: request.hub, certificateName: request.certificateName, onProgress: request.onProgress, signal: request.signal });
}

/** The flow for any CA source; returns the hub's certificate entry, verified. An already verified entry is returned as is. */
export async function proveCaPossession(request: CaPossessionRequest): Promise<HubCertificate> {
  const { source, arm, hub, certificateName, signal } = request;
  const progress = request.onProgress ?? (() => undefined);

  progress('download-ca');
  const ca = await source.getCaCertificate(signal);

  let entry = await getIfExists(arm, hub, certificateName, signal);
  if (entry && entry.properties.thumbprint?.toUpperCase() !== ca.thumbprint) {
    throw new CertificateNameTakenError(certificateName, hub.name, entry.properties.thumbprint);
  }
  if (entry?.properties.isVerified) {
    progress('done');
    return entry;
  }
  if (!entry) {
    progress('upload-ca');
    entry = await arm.uploadCertificate(hub, certificateName, ca, { signal });
  }

  progress('generate-code');
  const withCode = await arm.generateVerificationCode(hub, certificateName, entry.etag, signal);
  const code = withCode.properties.verificationCode;

  progress('download-proof');
  const proof = await source.getProofOfPossessionCertificate(code, signal);

  progress('check-proof');
  verifyProofOfPossession(proof, ca, code);

  progress('verify-on-hub');
  const verified = await arm.verifyCertificate(hub, certificateName, withCode.etag, proof, signal);
  progress('done');
  return verified;
}

async function getIfExists(arm: ArmCertificateClient, hub: HubRef, name: string, signal?: AbortSignal): Promise<HubCertificate | undefined> {
  try {
    return await arm.getCertificate(hub, name, signal);
  } catch (err) {
    if (err instanceof CloudApiError && err.status === 404) return undefined;
    throw err;
  }
}
