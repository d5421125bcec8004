// Each tenant's CA (key pair and self-signed certificate) and the proof-of-possession certificates it signs:
// subject CN = the verification code IoT Hub / DPS handed out, issuer = the tenant CA
// (docs/cloud-api.md#iot-hub-and-dps-certificates-arm).
import type { TenantCa } from './model';
import { createCertificatePem, generateRsaKeyPair, thumbprint, type KeyPairPem } from './pki';

const DAY_MS = 24 * 3600 * 1000;

export async function createTenantCa(tenantId: string): Promise<TenantCa> {
  const keys = await generateRsaKeyPair();
  const now = Date.now();
  const notBefore = new Date(now - 3600 * 1000);
  const notAfter = new Date(now + 2 * 365 * DAY_MS);
  const certPem = createCertificatePem({
    subjectCommonName: `Microsoft Azure Sphere ${tenantId}`,
    publicKeyPem: keys.publicKeyPem,
    signingKeyPem: keys.privateKeyPem,
    isCa: true,
    notBefore,
    notAfter,
  });
  return { certPem, keyPem: keys.privateKeyPem, thumbprint: thumbprint(certPem), notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString() };
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
