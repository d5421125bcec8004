// X.509 certificates for the simulated board, built in-process (no openssl at runtime): an EC P-256 CA shaped like the
// real "Azure Sphere Device" CA and a TLS leaf for the device REST API. Also used by tests to mint client/root certs.
import * as crypto from 'node:crypto';
import * as der from './der';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  countryName: '2.5.4.6',
  stateOrProvinceName: '2.5.4.8',
  localityName: '2.5.4.7',
  organizationName: '2.5.4.10',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

export interface DistinguishedName {
  C?: string;
  ST?: string;
  L?: string;
  O?: string;
  CN?: string;
}

/** Subject and issuer of the real device REST API CA (reference §2.1); the simulator's CA copies the name only. */
export const AZURE_SPHERE_DEVICE_CA_NAME: DistinguishedName = {
  C: 'US',
  ST: 'Washington',
  L: 'Redmond',
  O: 'Microsoft Corporation',
  CN: 'Azure Sphere Device',
};

/** The host name clients send (`Host: *.devices.sphere.azure.local`) and check the leaf against. */
export const DEVICE_REST_HOST_NAME = '*.devices.sphere.azure.local';

export interface CertificateRequest {
  subject: DistinguishedName;
  /** Public key the certificate binds. */
  publicKey: crypto.KeyObject;
  /** Issuer name and key; omit both for a self-signed certificate (then `publicKey` must match `signingKey`). */
  issuer?: DistinguishedName;
  issuerPublicKey?: crypto.KeyObject;
  signingKey: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  extendedKeyUsage?: ('serverAuth' | 'clientAuth')[];
  /** Big-endian serial number bytes; random 8 bytes when omitted. */
  serial?: Buffer;
}

function encodeName(name: DistinguishedName): Buffer {
  const parts: [string, string | undefined, boolean][] = [
    [OID.countryName, name.C, true],
    [OID.stateOrProvinceName, name.ST, false],
    [OID.localityName, name.L, false],
    [OID.organizationName, name.O, false],
    [OID.commonName, name.CN, false],
  ];
  const rdns = parts
    .filter(([, value]) => value !== undefined)
    .map(([oid, value, printable]) =>
      der.set(der.sequence(der.objectIdentifier(oid), printable ? der.printableString(value!) : der.utf8String(value!))));
  return der.sequence(...rdns);
}

/** SHA-1 over the subjectPublicKey BIT STRING contents: method (1) of RFC 5280 §4.2.1.2. */
function keyIdentifier(publicKey: crypto.KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // For P-256 the uncompressed point is the last 65 bytes of the SPKI.
  const point = spki.subarray(spki.length - 65);
  return crypto.createHash('sha1').update(point).digest();
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.sequence(der.objectIdentifier(oid), der.boolean(true), der.octetString(value))
    : der.sequence(der.objectIdentifier(oid), der.octetString(value));
}

function ipBytes(address: string): Buffer {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new Error(`Only IPv4 SANs are supported, got ${address}`);
  }
  return Buffer.from(octets);
}

/** Builds and signs an X.509 v3 certificate with ECDSA-SHA256; returns it as PEM. */
export function issueCertificate(request: CertificateRequest): string {
  const issuerName = request.issuer ?? request.subject;
  const issuerKey = request.issuerPublicKey ?? request.publicKey;
  const keyUsageBits = request.isCa
    ? Buffer.from([0x01, 0x86]) // 1 unused bit; digitalSignature, keyCertSign, cRLSign
    : Buffer.from([0x07, 0x80]); // 7 unused bits; digitalSignature
  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, request.isCa ? der.sequence(der.boolean(true)) : der.sequence()),
    extension(OID.keyUsage, true, der.tlv(0x03, keyUsageBits)),
    extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier(request.publicKey))),
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, keyIdentifier(issuerKey)))),
  ];
  const altNames = [
    ...(request.dnsNames ?? []).map((name) => der.implicitPrimitive(2, Buffer.from(name, 'ascii'))),
    ...(request.ipAddresses ?? []).map((ip) => der.implicitPrimitive(7, ipBytes(ip))),
  ];
  if (altNames.length > 0) {
    extensions.push(extension(OID.subjectAltName, false, der.sequence(...altNames)));
  }
  if (request.extendedKeyUsage && request.extendedKeyUsage.length > 0) {
    extensions.push(extension(OID.extKeyUsage, false,
      der.sequence(...request.extendedKeyUsage.map((usage) => der.objectIdentifier(OID[usage])))));
  }
  const signatureAlgorithm = der.sequence(der.objectIdentifier(OID.ecdsaWithSha256));
  const serial = request.serial ?? Buffer.concat([Buffer.from([0x40 | (crypto.randomBytes(1)[0] & 0x3f)]), crypto.randomBytes(7)]);
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serial),
    signatureAlgorithm,
    encodeName(issuerName),
    der.sequence(der.time(request.notBefore), der.time(request.notAfter)),
    encodeName(request.subject),
    request.publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = crypto.sign('sha256', tbs, request.signingKey);
  const certificate = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  const body = certificate.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export function generateP256KeyPair(): crypto.KeyPairKeyObjectResult {
  return crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}
