// Certificate helpers for the tenant CA and IoT Hub proof-of-possession: read DER, PEM, base64 and PKCS#7 (.p7b),
// thumbprints as Azure shows them, validity, chain and proof verification with specific errors, and writing
// .cer / .pem / .p7b files.
// node-forge handles PEM armour and the ASN.1 of PKCS#7; node:crypto's X509Certificate handles certificates
// themselves, because forge cannot read EC keys and real tenant CAs may be EC.
import { createHash, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import forge from 'node-forge';
import { CloudError } from './errors';

export type CertificateProblem =
  | 'unreadable'
  | 'empty'
  | 'not_yet_valid'
  | 'expired'
  | 'issuer_mismatch'
  | 'bad_signature'
  | 'issuer_not_ca'
  | 'untrusted_root'
  | 'cn_mismatch'
  | 'unsupported_file_type';

export class CertificateError extends CloudError {
  constructor(message: string, readonly problem: CertificateProblem) {
    super(message, problem);
  }
}

export interface ParsedCertificate {
  readonly der: Buffer;
  /** SHA-1 of the DER bytes in upper-case hex without separators: Azure's "thumbprint". */
  readonly thumbprint: string;
  readonly thumbprintSha256: string;
  /** Distinguished names in OpenSSL's one-line form, e.g. `CN=Contoso CA, O=Contoso`. */
  readonly subject: string;
  readonly issuer: string;
  readonly subjectCommonName: string | undefined;
  readonly issuerCommonName: string | undefined;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCa: boolean;
  /** Node's view, for signature checks. */
  readonly x509: X509Certificate;
}

const OID_SIGNED_DATA = forge.pki.oids.signedData;
const OID_DATA = forge.pki.oids.data;

function binary(buf: Buffer): string {
  return buf.toString('binary');
}

function fromBinary(text: string): Buffer {
  return Buffer.from(text, 'binary');
}

/**
 * Parses DER into forge ASN.1 keeping BIT STRING contents raw, so re-encoding a certificate gives back its exact
 * bytes (forge's runtime takes an options object; its type declarations only know the older boolean form).
 */
const parseAsn1 = forge.asn1.fromDer as unknown as (der: string, options: { strict: boolean; decodeBitStrings: boolean }) => forge.asn1.Asn1;

function derToAsn1(der: Buffer): forge.asn1.Asn1 {
  return parseAsn1(binary(der), { strict: true, decodeBitStrings: false });
}

/** Builds the ParsedCertificate for DER bytes; CertificateError('unreadable') when they are not an X.509 certificate. */
function fromDer(der: Buffer, what: string): ParsedCertificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    throw new CertificateError(`${what} is not a readable X.509 certificate.`, 'unreadable');
  }
  const exact = x509.raw; // DER as Node re-serialises it: identical for DER input; trims trailing bytes
  return {
    der: exact,
    thumbprint: createHash('sha1').update(exact).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(exact).digest('hex').toUpperCase(),
    subject: oneLineName(x509.subject),
    issuer: oneLineName(x509.issuer),
    subjectCommonName: commonName(x509.subject),
    issuerCommonName: commonName(x509.issuer),
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    isCa: x509.ca,
    x509,
  };
}

/** Node gives names one attribute per line (`CN=x\nO=y`). */
function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

function commonName(name: string): string | undefined {
  const line = name.split('\n').find((l) => l.startsWith('CN='));
  return line?.slice(3);
}

type Blob = { kind: 'pem'; text: string } | { kind: 'der'; der: Buffer };

/** Classifies input: PEM text, base64 text (what the security service returns), or raw DER bytes. */
function classify(input: Buffer | string, what: string): Blob {
  const text = typeof input === 'string' ? input : looksLikeText(input) ? input.toString('latin1') : undefined;
  if (text === undefined) return { kind: 'der', der: input as Buffer };
  const trimmed = text.trim().replace(/^"|"$/g, ''); // the API returns a JSON string; tolerate its quotes
  if (!trimmed) throw new CertificateError(`${what} is empty.`, 'empty');
  if (trimmed.includes('-----BEGIN')) return { kind: 'pem', text: trimmed };
  if (/^[A-Za-z0-9+/=\s\\rn]+$/.test(trimmed)) {
    const der = Buffer.from(trimmed.replace(/\\r|\\n|\s/g, ''), 'base64');
    if (der.length > 0 && der[0] === 0x30) return { kind: 'der', der };
  }
  throw new CertificateError(`${what} is neither PEM, base64 nor DER.`, 'unreadable');
}

function looksLikeText(buf: Buffer): boolean {
  if (buf.length === 0) return true;
  if (buf[0] === 0x30) return false; // DER SEQUENCE
  return buf.subarray(0, Math.min(buf.length, 512)).every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
}

function pemMessages(text: string, what: string): forge.pem.ObjectPEM[] {
  try {
    return forge.pem.decode(text);
  } catch {
    throw new CertificateError(`${what} has damaged PEM armour.`, 'unreadable');
  }
}

/** One certificate from PEM text, base64 DER or DER bytes (a .cer in either encoding). */
export function parseCertificate(input: Buffer | string, what = 'The certificate'): ParsedCertificate {
  const blob = classify(input, what);
  if (blob.kind === 'der') return fromDer(blob.der, what);
  const certs = pemMessages(blob.text, what).filter((m) => m.type === 'CERTIFICATE' || m.type === 'X509 CERTIFICATE' || m.type === 'TRUSTED CERTIFICATE');
  if (certs.length === 0) throw new CertificateError(`${what} holds no PEM "CERTIFICATE" block.`, 'unreadable');
  if (certs.length > 1) throw new CertificateError(`${what} holds ${certs.length} certificates where one was expected.`, 'unreadable');
  return fromDer(fromBinary(certs[0]!.body), what);
}

/** The certificates of a PKCS#7 SignedData (.p7b), DER, base64 or PEM (`PKCS7` / `CMS`), in file order. */
export function parsePkcs7(input: Buffer | string, what = 'The certificate chain'): ParsedCertificate[] {
  const blob = classify(input, what);
  let der: Buffer;
  if (blob.kind === 'der') {
    der = blob.der;
  } else {
    const msg = pemMessages(blob.text, what).find((m) => m.type === 'PKCS7' || m.type === 'CMS');
    if (!msg) throw new CertificateError(`${what} holds no PEM "PKCS7" block.`, 'unreadable');
    der = fromBinary(msg.body);
  }
  let contentInfo: forge.asn1.Asn1;
  try {
    contentInfo = derToAsn1(der);
  } catch {
    throw new CertificateError(`${what} is not DER-encoded PKCS#7.`, 'unreadable');
  }
  const parts = contentInfo.value as forge.asn1.Asn1[];
  const oid = Array.isArray(parts) && parts[0] && typeof parts[0].value === 'string' ? forge.asn1.derToOid(parts[0].value) : '';
  if (oid !== OID_SIGNED_DATA) throw new CertificateError(`${what} is not a PKCS#7 SignedData (a .p7b).`, 'unreadable');
  const signedData = ((parts[1]?.value as forge.asn1.Asn1[] | undefined) ?? [])[0];
  const fields = (signedData?.value as forge.asn1.Asn1[] | undefined) ?? [];
  // certificates [0] IMPLICIT SET OF Certificate: the only context-specific [0] directly inside SignedData.
  const certSet = fields.find((f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && f.type === 0);
  const certs = (certSet?.value as forge.asn1.Asn1[] | undefined) ?? [];
  if (certs.length === 0) throw new CertificateError(`${what} contains no certificates.`, 'empty');
  return certs.map((c, i) => fromDer(fromBinary(forge.asn1.toDer(c).getBytes()), `${what} (certificate ${i + 1})`));
}

/** Reads a file or buffer holding certificates in any supported form: one or more PEM blocks, PKCS#7, or one DER. */
export function parseCertificates(input: Buffer | string, what = 'The certificate file'): ParsedCertificate[] {
  const blob = classify(input, what);
  if (blob.kind === 'pem') {
    const messages = pemMessages(blob.text, what);
    if (messages.some((m) => m.type === 'PKCS7' || m.type === 'CMS')) return parsePkcs7(blob.text, what);
    const certs = messages.filter((m) => m.type.endsWith('CERTIFICATE'));
    if (certs.length === 0) throw new CertificateError(`${what} holds no certificates.`, 'empty');
    return certs.map((m, i) => fromDer(fromBinary(m.body), `${what} (certificate ${i + 1})`));
  }
  try {
    return [fromDer(blob.der, what)];
  } catch (err) {
    if (err instanceof CertificateError) return parsePkcs7(blob.der, what);
    throw err;
  }
}

export type Validity = 'valid' | 'not_yet_valid' | 'expired';

export function validityAt(cert: ParsedCertificate, now: Date = new Date()): Validity {
  if (now.getTime() < cert.notBefore.getTime()) return 'not_yet_valid';
  if (now.getTime() > cert.notAfter.getTime()) return 'expired';
  return 'valid';
}

function requireValid(cert: ParsedCertificate, label: string, now: Date): void {
  const state = validityAt(cert, now);
  if (state === 'not_yet_valid') {
    throw new CertificateError(`${label} "${cert.subject}" is not valid until ${cert.notBefore.toISOString()}.`, 'not_yet_valid');
  }
  if (state === 'expired') {
    throw new CertificateError(`${label} "${cert.subject}" expired on ${cert.notAfter.toISOString()}.`, 'expired');
  }
}

/** Throws the specific reason why `issuer` did not issue `child`: name mismatch, not a CA, or a bad signature. */
function requireIssuedBy(child: ParsedCertificate, issuer: ParsedCertificate, childLabel: string): void {
  if (child.issuer !== issuer.subject) {
    throw new CertificateError(`${childLabel} was issued by "${child.issuer}", not by "${issuer.subject}".`, 'issuer_mismatch');
  }
  if (!issuer.isCa) {
    throw new CertificateError(`"${issuer.subject}" is not a CA certificate, so it cannot have issued ${childLabel.toLowerCase()}.`, 'issuer_not_ca');
  }
  if (!child.x509.verify(issuer.x509.publicKey)) {
    throw new CertificateError(`${childLabel} names "${issuer.subject}" as issuer, but its signature was not made with that CA's key.`, 'bad_signature');
  }
}

/**
 * Verifies that `leaf` chains to one of `trustedRoots` through `intermediates`, each link signed by its issuer and
 * every certificate valid at `now`. Returns the path leaf → root. Throws CertificateError naming the broken link.
 */
export function verifyChain(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  trustedRoots: readonly ParsedCertificate[],
  now: Date = new Date(),
): ParsedCertificate[] {
  if (trustedRoots.length === 0) throw new CertificateError('No trusted CA certificate was given to verify against.', 'empty');
  const pathOut: ParsedCertificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    requireValid(current, depth === 0 ? 'The certificate' : 'The intermediate certificate', now);
    const root = trustedRoots.find((r) => r.thumbprint === current.thumbprint);
    if (root) return pathOut;
    const rootIssuer = trustedRoots.find((r) => r.subject === current.issuer);
    if (rootIssuer) {
      requireIssuedBy(current, rootIssuer, depth === 0 ? 'The certificate' : `The intermediate certificate "${current.subject}"`);
      requireValid(rootIssuer, 'The CA certificate', now);
      pathOut.push(rootIssuer);
      return pathOut;
    }
    const next = intermediates.find((c) => c.subject === current.issuer && c.thumbprint !== current.thumbprint);
    if (!next) {
      throw new CertificateError(`"${current.subject}" was issued by "${current.issuer}", which is not one of the trusted CA certificates.`, 'untrusted_root');
    }
    requireIssuedBy(current, next, depth === 0 ? 'The certificate' : `The intermediate certificate "${current.subject}"`);
    pathOut.push(next);
    current = next;
  }
  throw new CertificateError('The certificate chain is longer than 10 certificates.', 'untrusted_root');
}

/**
 * Checks a proof-of-possession certificate before it is uploaded to IoT Hub / DPS: its subject CN must equal the
 * verification code, it must be signed by the tenant CA's key, and both must be valid at `now`.
 */
export function verifyProofOfPossession(proof: ParsedCertificate, caCertificate: ParsedCertificate, verificationCode: string, now: Date = new Date()): void {
  if (proof.subjectCommonName !== verificationCode) {
    throw new CertificateError(
      `The proof certificate's subject CN is "${proof.subjectCommonName ?? '(none)'}", but the verification code is "${verificationCode}".`,
      'cn_mismatch',
    );
  }
  requireValid(caCertificate, 'The CA certificate', now);
  requireIssuedBy(proof, caCertificate, 'The proof certificate');
  requireValid(proof, 'The proof certificate', now);
}

/** PEM text of one or more certificates. */
export function toPem(certs: ParsedCertificate | readonly ParsedCertificate[]): string {
  const list = Array.isArray(certs) ? certs : [certs as ParsedCertificate];
  return list.map((c) => forge.pem.encode({ type: 'CERTIFICATE', body: binary(c.der) }, { maxline: 64 }).replace(/\r\n/g, '\n')).join('');
}

/** A certs-only PKCS#7 SignedData (what a .p7b holds), DER-encoded. */
export function toPkcs7Der(certs: readonly ParsedCertificate[]): Buffer {
  if (certs.length === 0) throw new CertificateError('A .p7b needs at least one certificate.', 'empty');
  const { asn1 } = forge;
  const seq = (value: forge.asn1.Asn1[]): forge.asn1.Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
  const set = (value: forge.asn1.Asn1[]): forge.asn1.Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, value);
  const oid = (id: string): forge.asn1.Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
  const signedData = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(1)),
    set([]), // digestAlgorithms: none, nothing is signed
    seq([oid(OID_DATA)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certs.map((c) => derToAsn1(c.der))),
    set([]), // signerInfos
  ]);
  const contentInfo = seq([oid(OID_SIGNED_DATA), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]);
  return fromBinary(asn1.toDer(contentInfo).getBytes());
}

/**
 * Writes certificates in the format the extension implies: `.cer`/`.der`/`.crt` → one DER certificate,
 * `.pem` → PEM text (one or more), `.p7b`/`.p7c` → PKCS#7. Written to a temporary file and renamed, so a reader
 * never sees half a file. Returns the absolute path written.
 */
export async function writeCertificateFile(filePath: string, certs: ParsedCertificate | readonly ParsedCertificate[]): Promise<string> {
  const list = Array.isArray(certs) ? (certs as readonly ParsedCertificate[]) : [certs as ParsedCertificate];
  if (list.length === 0) throw new CertificateError('There is no certificate to write.', 'empty');
  const ext = path.extname(filePath).toLowerCase();
  let bytes: Buffer;
  switch (ext) {
    case '.cer':
    case '.der':
    case '.crt':
      if (list.length !== 1) {
        throw new CertificateError(`A ${ext} file holds one certificate; use .p7b or .pem to save ${list.length}.`, 'unsupported_file_type');
      }
      bytes = list[0]!.der;
      break;
    case '.pem':
      bytes = Buffer.from(toPem(list), 'ascii');
      break;
    case '.p7b':
    case '.p7c':
      bytes = toPkcs7Der(list);
      break;
    default:
      throw new CertificateError(`Cannot tell the certificate format from "${path.basename(filePath)}"; use .cer, .pem or .p7b.`, 'unsupported_file_type');
  }
  const absolute = path.resolve(filePath);
  const temp = `${absolute}.${process.pid}.tmp`;
  await fs.writeFile(temp, bytes, { mode: 0o644 });
  try {
    await fs.rename(temp, absolute);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  return absolute;
}
