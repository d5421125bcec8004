// X.509 certificates read with node:crypto, which handles EC and RSA keys alike. node-forge (pki.ts) reads RSA only,
// and the certificates devices and their CAs present are usually EC P-256 (Azure Sphere's real tenant CAs and device
// certificates are), so everything the IoT hub and DPS check goes through here.
import { X509Certificate } from 'node:crypto';
import type { X509CertificateInfo } from './iot-state';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * One certificate uploaded as PEM text (the first, when the text holds several) or as base64 DER (IoT Hub and DPS
 * accept both). Throws an Error with a specific message when it is neither.
 */
export function parseCertificateText(text: string): X509Certificate {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new Error('the certificate is empty');
  const pem = trimmed.match(PEM_BLOCK);
  try {
    if (pem) return new X509Certificate(pem[0]!);
    if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) throw new Error('not base64');
    return new X509Certificate(Buffer.from(trimmed, 'base64'));
  } catch {
    throw new Error('the certificate is neither PEM text nor base64-encoded DER X.509');
  }
}

/** SHA-1 of the DER encoding, upper-case hex without separators: what Azure calls the thumbprint. */
export function sha1Thumbprint(cert: X509Certificate): string {
  return cert.fingerprint.replace(/:/g, '').toUpperCase();
}

export function sha256Thumbprint(cert: X509Certificate): string {
  return cert.fingerprint256.replace(/:/g, '').toUpperCase();
}

/** The subject's (last) common name, or undefined when it has none. */
export function commonName(cert: X509Certificate): string | undefined {
  const names = [...cert.subject.matchAll(/^CN=(.*)$/gm)];
  return names.length > 0 ? names[names.length - 1]![1] : undefined;
}

/** A distinguished name as one line, `CN=…, O=…`, in the order the certificate lists it. */
export function nameLine(name: string): string {
  return name.split('\n').join(', ');
}

export function notBefore(cert: X509Certificate): Date {
  return new Date(cert.validFrom);
}

export function notAfter(cert: X509Certificate): Date {
  return new Date(cert.validTo);
}

export function isWithinValidity(cert: X509Certificate, nowMs: number): boolean {
  return notBefore(cert).getTime() <= nowMs && nowMs <= notAfter(cert).getTime();
}

/** True when `issuer` names `child`'s issuer and its key made `child`'s signature. */
export function isIssuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return a.raw.equals(b.raw);
}

/** X509CertificateInfo as the DPS REST API describes a certificate. */
export function certificateInfo(cert: X509Certificate): X509CertificateInfo {
  return {
    subjectName: nameLine(cert.subject),
    sha1Thumbprint: sha1Thumbprint(cert),
    sha256Thumbprint: sha256Thumbprint(cert),
    issuerName: nameLine(cert.issuer),
    notBeforeUtc: notBefore(cert).toISOString(),
    notAfterUtc: notAfter(cert).toISOString(),
    serialNumber: cert.serialNumber.toUpperCase(),
    version: 3,
  };
}
