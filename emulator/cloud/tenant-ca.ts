// Each tenant's CA (key pair and certificate, issued by the emulator's policy CA) and the proof-of-possession
// certificates it signs: subject CN = the verification code IoT Hub / DPS handed out, issuer = the tenant CA
// (docs/cloud-api.md#iot-hub-and-dps-certificates-arm).
import { X509Certificate } from 'node:crypto';
import type { TenantCa } from './model';
import { createCertificatePem, generateRsaKeyPair, thumbprint, type KeyPairPem } from './pki';
import type { SphereCas } from './sphere-ca-chain';

const DAY_MS = 24 * 3600 * 1000;

/** A tenant CA issued by the policy CA of `issuers` (sphere-ca-chain.ts); without `issuers`, a self-signed one. */
export async function createTenantCa(tenantId: string, issuers?: SphereCas): Promise<TenantCa> {
  const keys = await generateRsaKeyPair();
  const now = Date.now();
  const notBefore = new Date(now - 3600 * 1000);
  let notAfter = new Date(now + 2 * 365 * DAY_MS);
  if (issuers) {
    // A CA cannot outlive its issuer: path validation would fail once the policy CA expired.
    const issuerEnd = new Date(new X509Certificate(issuers.policyCa.certPem).validTo);
    if (issuerEnd < notAfter) notAfter = issuerEnd;
  }
  const certPem = createCertificatePem({
    subjectCommonName: `Microsoft Azure Sphere ${tenantId}`,
    publicKeyPem: keys.publicKeyPem,
    ...(issuers ? { issuer: { certPem: issuers.policyCa.certPem, privateKeyPem: issuers.policyCa.keyPem } } : { signingKeyPem: keys.privateKeyPem }),
    isCa: true,
    notBefore,
    notAfter,
  });
  return {
    certPem,
    keyPem: keys.privateKeyPem,
    thumbprint: thumbprint(certPem),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    ...(issuers && { issuerChainPems: [issuers.policyCa.certPem, issuers.root.certPem] }),
  };
}

/**
 * The chain `GET …/certchain` hands out, root first, as `azsphere ca-certificate download-chain` writes it: root,
 * policy CA, tenant CA. A self-signed tenant CA of an older state folder is its own chain.
 */
export function tenantCaChainPems(ca: TenantCa): string[] {
  return [...(ca.issuerChainPems ?? [])].reverse().concat(ca.certPem);
}

// The proof's own key pair is never used by anyone (only the CA's signature matters), so one per process will do.
let proofSubjectKey: Promise<KeyPairPem> | undefined;

export async function issueProofOfPossession(ca: TenantCa, verificationCode: string): Promise<string> {
  proofSubjectKey ??= generateRsaKeyPair();
  const subject = await proofSubjectKey;
  const now = Date.now();
  return createCertificatePem({
    subjectCommonName: verificationCode,
    publicKeyPem: subject.publicKeyPem,
    issuer: { certPem: ca.certPem, privateKeyPem: ca.keyPem },
    isCa: false,
    notBefore: new Date(now - 3600 * 1000),
    notAfter: new Date(Math.min(now + 30 * DAY_MS, Date.parse(ca.notAfter))),
  });
}
