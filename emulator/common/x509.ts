// X.509 certificates built in-process (no openssl at runtime), for both emulators: the board simulator's CA and TLS
// leaf (EC P-256, ECDSA), and the cloud emulator's daily device certificates (an EC P-256 device key signed by an RSA
// tenant CA). Tests use it to mint client and root certificates too.
//
// node-forge writes the ASN.1 (names, times, extensions, the certificate structure) but its pki layer is RSA-only:
// `cert.sign()` always picks `<md>WithRSAEncryption`, `publicKeyToAsn1()` writes only RSA keys and `pki.oids` knows
// neither ecdsa-with-SHA256 nor id-ecPublicKey. So the TBSCertificate is assembled here from forge's ASN.1 pieces, the
// SubjectPublicKeyInfo comes from Node's key export (any key type), and Node's `crypto.sign` makes the signature:
// ECDSA-SHA256 for an EC signing key, RSASSA-PKCS1-v1_5 with SHA-256 for an RSA one.
import * as crypto from 'node:crypto';
import forge from 'node-forge';

const { asn1, pki } = forge;
type Asn1 = forge.asn1.Asn1;

/** ecdsa-with-SHA256 (RFC 5758 §3.2); its AlgorithmIdentifier has no parameters. Not in forge's `pki.oids`. */
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** sha256WithRSAEncryption (RFC 4055 §5); its AlgorithmIdentifier carries a NULL parameter (RFC 5754 §3.2 ¶2). */
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/** forge's `fromDer` takes an options object at runtime; @types/node-forge declares only the boolean form. */
const fromDer = asn1.fromDer as unknown as (der: string, options: { strict: boolean; decodeBitStrings: boolean }) => Asn1;

/** `certificateExtensionsToAsn1` exists at runtime (forge's `getTBSCertificate` uses it); @types/node-forge omits it. */
const forgePki = pki as typeof pki & { certificateExtensionsToAsn1(extensions: unknown[]): Asn1 };

export interface DistinguishedName {
  C?: string;
  ST?: string;
  L?: string;
  O?: string;
  CN?: string;
}

export interface CertificateRequest {
  subject: DistinguishedName;
  /** Public key the certificate binds (any type Node can export as SubjectPublicKeyInfo). */
  publicKey: crypto.KeyObject;
  /**
   * The issuer, either by name and public key, or as its certificate (PEM): then its subject name is copied byte for
   * byte into this certificate's issuer field, so chain building matches it whatever string types the issuer used.
   * Omit all three for a self-signed certificate (then `publicKey` must match `signingKey`).
   */
  issuer?: DistinguishedName;
  issuerPublicKey?: crypto.KeyObject;
  issuerCertificatePem?: string;
  /** The issuer's private key: EC (signed with ECDSA-SHA256) or RSA (sha256WithRSAEncryption). */
  signingKey: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  dnsNames?: string[];
  /** IPv4 addresses. */
  ipAddresses?: string[];
  extendedKeyUsage?: ('serverAuth' | 'clientAuth')[];
  /** Big-endian serial number bytes; random 8 bytes when omitted. */
  serial?: Buffer;
}

const create = (type: forge.asn1.Type, constructed: boolean, value: string | Asn1[]): Asn1 =>
  asn1.create(asn1.Class.UNIVERSAL, type, constructed, value);
const sequence = (...items: Asn1[]): Asn1 => create(asn1.Type.SEQUENCE, true, items);
const binary = (bytes: Buffer): string => bytes.toString('binary');

function nameToAsn1(name: DistinguishedName): Asn1 {
  const parts: [string, string | undefined, forge.asn1.Type][] = [
    ['countryName', name.C, asn1.Type.PRINTABLESTRING],
    ['stateOrProvinceName', name.ST, asn1.Type.UTF8],
    ['localityName', name.L, asn1.Type.UTF8],
    ['organizationName', name.O, asn1.Type.UTF8],
    ['commonName', name.CN, asn1.Type.UTF8],
  ];
  const attributes = parts
    .filter(([, value]) => value !== undefined)
    .map(([attribute, value, valueType]) => ({
      type: pki.oids[attribute],
      value,
      // forge reads an ASN.1 *type* here (UTF8, PRINTABLESTRING); @types/node-forge mistypes it as a tag class.
      valueTagClass: valueType as unknown as forge.asn1.Class,
    }));
  return pki.distinguishedNameToAsn1({ attributes });
}

/** UTCTime for 1950 through 2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
function timeToAsn1(date: Date): Asn1 {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? create(asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : create(asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** A positive INTEGER from big-endian magnitude bytes: leading zeros dropped, a zero added if the top bit is set. */
function serialToAsn1(magnitude: Buffer): Asn1 {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) {
    start++;
  }
  const trimmed = magnitude.length === 0 ? Buffer.from([0]) : magnitude.subarray(start);
  const content = trimmed[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return create(asn1.Type.INTEGER, false, binary(content));
}

/** A random positive 8-byte serial whose top byte is 0x40–0x7f, so it needs no sign byte and keeps its 8 bytes. */
function randomSerial(): Buffer {
  return Buffer.concat([Buffer.from([0x40 | (crypto.randomBytes(1)[0] & 0x3f)]), crypto.randomBytes(7)]);
}

interface PublicKeyInfo {
  /** The SubjectPublicKeyInfo exactly as Node exports it. */
  asn1: Asn1;
  /** SHA-1 over the subjectPublicKey BIT STRING's value (no tag, length or unused-bits octet): RFC 5280 §4.2.1.2 (1). */
  keyIdentifier: string;
}

function publicKeyInfo(publicKey: crypto.KeyObject): PublicKeyInfo {
  const spki = fromDer(binary(publicKey.export({ type: 'spki', format: 'der' })), { strict: true, decodeBitStrings: false });
  const [, subjectPublicKey] = spki.value as Asn1[];
  const bits = Buffer.from(subjectPublicKey.value as string, 'binary');
  if (subjectPublicKey.type !== asn1.Type.BITSTRING || bits[0] !== 0) {
    throw new Error('Unexpected SubjectPublicKeyInfo: subjectPublicKey is not a whole-byte BIT STRING');
  }
  return { asn1: spki, keyIdentifier: binary(crypto.createHash('sha1').update(bits.subarray(1)).digest()) };
}

/** The subject Name of a certificate, as the ASN.1 it was encoded with (TBSCertificate field 6, RFC 5280 §4.1). */
function subjectNameOf(certificatePem: string): Asn1 {
  const der = new crypto.X509Certificate(certificatePem).raw;
  const certificate = fromDer(binary(der), { strict: true, decodeBitStrings: false });
  const tbs = (certificate.value as Asn1[])[0]!;
  const fields = tbs.value as Asn1[];
  // `version` is an optional [0] EXPLICIT field ahead of the serial number; v1 certificates leave it out.
  const hasVersion = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC && fields[0]!.type === 0;
  return fields[hasVersion ? 5 : 4]!;
}

function signatureAlgorithmFor(signingKey: crypto.KeyObject): Asn1 {
  switch (signingKey.asymmetricKeyType) {
    case 'ec':
      return sequence(create(asn1.Type.OID, false, asn1.oidToDer(ECDSA_WITH_SHA256).getBytes()));
    case 'rsa':
      return sequence(create(asn1.Type.OID, false, asn1.oidToDer(SHA256_WITH_RSA).getBytes()), create(asn1.Type.NULL, false, ''));
    default:
      throw new Error(`The signing key must be an EC or RSA key, got ${signingKey.asymmetricKeyType}`);
  }
}

function assertIpv4(address: string): void {
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) {
    throw new Error(`Only IPv4 SANs are supported, got ${address}`);
  }
}

/**
 * The v3 extensions, encoded by forge's own extension writer (`setExtensions` fills each value from its fields, the
 * same spec objects emulator/cloud/pki.ts passes), then wrapped as `[3] EXPLICIT Extensions`.
 */
function extensionsToAsn1(request: CertificateRequest, subjectKeyId: string, authorityKeyId: string): Asn1 {
  const extensions: Record<string, unknown>[] = [
    { name: 'basicConstraints', critical: true, cA: request.isCa },
    request.isCa
      ? { name: 'keyUsage', critical: true, digitalSignature: true, keyCertSign: true, cRLSign: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true },
    { name: 'subjectKeyIdentifier', value: create(asn1.Type.OCTETSTRING, false, subjectKeyId) },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId },
  ];
  (request.ipAddresses ?? []).forEach(assertIpv4);
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) {
    extensions.push({ name: 'subjectAltName', altNames });
  }
  if (request.extendedKeyUsage && request.extendedKeyUsage.length > 0) {
    extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(request.extendedKeyUsage.map((usage) => [usage, true])) });
  }
  const holder = pki.createCertificate();
  holder.setExtensions(extensions);
  return forgePki.certificateExtensionsToAsn1(holder.extensions);
}

/** Builds and signs an X.509 v3 certificate with the issuer's EC or RSA key; returns it as PEM. */
export function issueCertificate(request: CertificateRequest): string {
  if (request.issuerCertificatePem && (request.issuer || request.issuerPublicKey)) {
    throw new Error('Name the issuer either by its certificate or by its name and public key, not both');
  }
  const signatureAlgorithm = signatureAlgorithmFor(request.signingKey);
  const subjectKey = publicKeyInfo(request.publicKey);
  let issuerName: Asn1;
  let issuerKeyId: string;
  if (request.issuerCertificatePem) {
    issuerName = subjectNameOf(request.issuerCertificatePem);
    issuerKeyId = publicKeyInfo(new crypto.X509Certificate(request.issuerCertificatePem).publicKey).keyIdentifier;
  } else {
    issuerName = nameToAsn1(request.issuer ?? request.subject);
    issuerKeyId = request.issuerPublicKey ? publicKeyInfo(request.issuerPublicKey).keyIdentifier : subjectKey.keyIdentifier;
  }
  const tbs = sequence(
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [create(asn1.Type.INTEGER, false, asn1.integerToDer(2).getBytes())]),
    serialToAsn1(request.serial ?? randomSerial()),
    signatureAlgorithm,
    issuerName,
    sequence(timeToAsn1(request.notBefore), timeToAsn1(request.notAfter)),
    nameToAsn1(request.subject),
    subjectKey.asn1,
    extensionsToAsn1(request, subjectKey.keyIdentifier, issuerKeyId),
  );
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  // EC: a DER ECDSA-Sig-Value; RSA: PKCS#1 v1.5 padding, Node's default for RSA keys.
  const signature = crypto.sign('sha256', tbsDer, request.signingKey);
  const certificate = sequence(tbs, signatureAlgorithm, create(asn1.Type.BITSTRING, false, `\0${binary(signature)}`));
  const body = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary').toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export function generateP256KeyPair(): crypto.KeyPairKeyObjectResult {
  return crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}
