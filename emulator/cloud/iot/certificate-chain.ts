// The X.509 check IoT Hub and DPS make of a device at every TLS connection
// (learn.microsoft.com/azure/iot-hub/authenticate-authorize-x509): the device presents its leaf and chain; the
// chain must lead to a CA certificate uploaded to that hub (or DPS) and verified there by proof of possession. A
// verified intermediate is a trust anchor of its own, as the real services allow, so a device whose chain stops at
// its tenant CA is accepted without the roots above it. Every certificate is checked against the emulator's clock,
// so tests can make a day pass.
//
// TLS itself is set to request a certificate without judging it (`requestCert: true, rejectUnauthorized: false`):
// OpenSSL would insist on a self-signed root and could not tell which hub's certificates to trust.
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { Store } from '../store';
import { commonName, isIssuedBy, isWithinValidity, notAfter, notBefore, sameCertificate } from './x509';

/** A CA certificate uploaded to a hub or DPS through ARM; only verified ones are trust anchors. */
export interface UploadedCa {
  name: string;
  cert: X509Certificate;
  verified: boolean;
}

export type ChainVerdict = { ok: true; anchor: UploadedCa } | { ok: false; reason: string };

/** The CA certificates uploaded to a hub or DPS through ARM, verified or not. */
export function uploadedCas(store: Store, hubKey: string): UploadedCa[] {
  const hub = store.state.hubs.get(hubKey);
  if (!hub) return [];
  return [...hub.certificates.values()].map((c) => ({ name: c.name, cert: new X509Certificate(c.certPem), verified: c.isVerified }));
}

/** Chains longer than this are refused (real chains are three or four certificates). */
const MAX_CHAIN_LENGTH = 10;

/** The leaf the peer presented, then each issuer it presented, following the links Node found. */
export function peerCertificateChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && !seen.has(current.fingerprint256) && chain.length < MAX_CHAIN_LENGTH + 1) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

function describe(cert: X509Certificate): string {
  return `'${commonName(cert) ?? cert.subject.replace(/\n/g, ', ')}'`;
}

/** Every presented certificate must be within its validity at `nowMs`. */
export function checkValidity(presented: X509Certificate[], nowMs: number): string | undefined {
  for (const cert of presented) {
    if (isWithinValidity(cert, nowMs)) continue;
    return nowMs < notBefore(cert).getTime()
      ? `certificate ${describe(cert)} is not valid before ${notBefore(cert).toISOString()}`
      : `certificate ${describe(cert)} expired at ${notAfter(cert).toISOString()}`;
  }
  return undefined;
}

/**
 * Walks from the leaf up through the presented certificates until one is an uploaded CA or is issued by one.
 * `expectedCommonName` is the device or registration ID the leaf's CN must equal.
 */
export function checkDeviceChain(presented: X509Certificate[], uploaded: UploadedCa[], nowMs: number, expectedCommonName: string): ChainVerdict {
  const leaf = presented[0];
  if (!leaf) return { ok: false, reason: 'the device presented no client certificate' };
  const cn = commonName(leaf);
  if (cn !== expectedCommonName) return { ok: false, reason: `the certificate's CN '${cn ?? ''}' is not '${expectedCommonName}'` };
  const invalid = checkValidity(presented, nowMs);
  if (invalid) return { ok: false, reason: invalid };

  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    const reached = uploaded.find((ca) => ca.cert.ca && ((depth > 0 && sameCertificate(ca.cert, current)) || isIssuedBy(current, ca.cert)));
    if (reached) {
      if (!reached.verified) return { ok: false, reason: `the chain reaches CA certificate '${reached.name}', which is uploaded but not verified (proof of possession)` };
      if (!isWithinValidity(reached.cert, nowMs)) return { ok: false, reason: `the CA certificate '${reached.name}' the chain reaches is not within its validity` };
      return { ok: true, anchor: reached };
    }
    const issuer = presented.find((p) => p.ca && !sameCertificate(p, current) && isIssuedBy(current, p));
    if (!issuer) break;
    current = issuer;
  }
  return { ok: false, reason: 'the certificate chain does not reach a CA certificate uploaded and verified here' };
}
