// X.509 helpers over node-forge: CA and leaf certificates, thumbprints, PKCS#7 chains, parsing uploads.
// RSA keys come from node:crypto (native, fast); node-forge does the certificate encoding and signing.
import { createHash, generateKeyPair, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateRsaKeyPair(): Promise<KeyPairPem> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } },
      (err, publicKeyPem, privateKeyPem) => (err ? reject(err) : resolve({ privateKeyPem, publicKeyPem })),
    );
  });
}

export interface CertificateSpec {
  subjectCommonName: string;
  subjectOrganization?: string;
  publicKeyPem: string;
  /** Issuer certificate and key; omitted for a self-signed certificate (then signingKeyPem is the subject's key). */
  issuer?: { certPem: string; privateKeyPem: string };
  signingKeyPem?: string;
  isCa: boolean;
  notBefore: Date;
  notAfter: Date;
  ipAddresses?: string[];
  dnsNames?: string[];
}

/** A positive serial number (leading 0x00..0x7f byte), as RFC 5280 asks. */
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

export function createCertificatePem(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  const subject: forge.pki.CertificateField[] = [{ name: 'commonName', value: spec.subjectCommonName }];
  if (spec.subjectOrganization) subject.push({ name: 'organizationName', value: spec.subjectOrganization });
  cert.setSubject(subject);
  const issuerCert = spec.issuer ? forge.pki.certificateFromPem(spec.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: spec.isCa, critical: true },
    spec.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (issuerCert) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
  }
  if (!spec.isCa) extensions.push({ name: 'extKeyUsage', serverAuth: true, clientAuth: true });
  const altNames = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(spec.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  const keyPem = spec.issuer?.privateKeyPem ?? spec.signingKeyPem;
  if (!keyPem) throw new Error('createCertificatePem: a self-signed certificate needs signingKeyPem');
  cert.sign(forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export function certificateDer(certPem: string): Buffer {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem))).getBytes();
  return Buffer.from(der, 'binary');
}

/** SHA-1 of the DER encoding, upper-case hex: what Azure calls the thumbprint. */
export function thumbprint(certPem: string): string {
  return createHash('sha1').update(certificateDer(certPem)).digest('hex').toUpperCase();
}

/** Degenerate PKCS#7 SignedData holding the given certificates (a .p7b), DER-encoded. */
export function pkcs7ChainDer(certPems: string[]): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  for (const pem of certPems) p7.addCertificate(forge.pki.certificateFromPem(pem));
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

/**
 * Reads a certificate uploaded as PEM text or as base64 DER (both are accepted by IoT Hub).
 * Throws an Error with a specific message when it is neither.
 */
export function parseUploadedCertificate(text: string): forge.pki.Certificate {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new Error('the certificate is empty');
  try {
    if (trimmed.includes('-----BEGIN')) return forge.pki.certificateFromPem(trimmed);
    if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) throw new Error('not base64');
    const der = Buffer.from(trimmed, 'base64').toString('binary');
    return forge.pki.certificateFromAsn1(forge.asn1.fromDer(der));
  } catch {
    throw new Error('the certificate is neither PEM text nor base64-encoded DER X.509');
  }
}

export function commonNameOf(cert: forge.pki.Certificate): string | undefined {
  const field = cert.subject.getField('CN') as { value?: unknown } | null;
  return typeof field?.value === 'string' ? field.value : undefined;
}

/** True when `child` carries a valid signature by `issuerPem`'s key and names it as issuer. */
export function isSignedBy(child: forge.pki.Certificate, issuerPem: string): boolean {
  const issuer = forge.pki.certificateFromPem(issuerPem);
  try {
    return issuer.verify(child);
  } catch {
    return false;
  }
}

export function subjectString(cert: forge.pki.Certificate): string {
  return cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
}
