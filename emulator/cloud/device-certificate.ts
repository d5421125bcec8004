// The daily device certificate the security service issues a claimed device (what apps get from
// DeviceAuth_GetCertificatePath and present to IoT Hub): the device's own EC P-256 key, subject CN = the device ID in
// lower case, issued by its tenant's CA, valid 24 hours ("The certificate is valid for 24 hours",
// learn.microsoft.com/azure-sphere/app-development/applibs-reference/tlsutils/function-deviceauth-getcertificatepath).
// The tenant CA is RSA, so the certificate is built with the shared builder (emulator/common/x509.ts): node-forge's
// pki layer cannot write an EC public key.
import * as crypto from 'node:crypto';
import { publicKeyFromDeviceId } from '../common/device-id';
import { issueCertificate } from '../common/x509';
import type { TenantCa } from './model';

export const DEVICE_CERTIFICATE_LIFETIME_MS = 24 * 3600 * 1000;
/** notBefore lies this far back, so a verifier whose clock is a little behind the emulator's accepts it at once. */
export const DEVICE_CERTIFICATE_BACKDATE_MS = 5 * 60 * 1000;

export interface DeviceCertificate {
  tenantId: string;
  /** The leaf alone. */
  certificatePem: string;
  /** Leaf then tenant CA: the chain a device presents in its TLS handshake, as IoT Hub asks for the full chain. */
  chainPem: string;
  notBefore: string;
  notAfter: string;
}

/** The tenant CA valid at `now` (the newest, if several are), or undefined. */
export function activeTenantCa(cas: readonly TenantCa[], now: number): TenantCa | undefined {
  return cas.filter((c) => Date.parse(c.notBefore) <= now && now < Date.parse(c.notAfter)).at(-1);
}

/**
 * Issues the certificate for `deviceId` (128 hex characters, any case) with `ca` at `now` (the emulator's clock).
 * Throws when the ID is no P-256 public key.
 */
export function issueDeviceCertificate(opts: { tenantId: string; ca: TenantCa; deviceId: string; now: number }): DeviceCertificate {
  const devicePublicKey = publicKeyFromDeviceId(opts.deviceId);
  const notBefore = new Date(opts.now - DEVICE_CERTIFICATE_BACKDATE_MS);
  const notAfter = new Date(Math.min(opts.now + DEVICE_CERTIFICATE_LIFETIME_MS, Date.parse(opts.ca.notAfter)));
  const certificatePem = issueCertificate({
    // RFC 5280's upper bound for a commonName is 64 characters (ub-common-name, Appendix A.1) and OpenSSL's CLI refuses
    // to write a longer one, but IoT Hub takes the device ID from the CN of a CA-signed device certificate and Azure
    // Sphere's device IDs are 128 characters, lower case in the hub. The DER encoding has no such limit; node-forge's
    // ASN.1 writer, Node's TLS and `openssl verify` all handle the 128-character CN.
    subject: { CN: opts.deviceId.toLowerCase() },
    publicKey: devicePublicKey,
    issuerCertificatePem: opts.ca.certPem,
    signingKey: crypto.createPrivateKey(opts.ca.keyPem),
    notBefore,
    notAfter,
    isCa: false,
    extendedKeyUsage: ['clientAuth'],
  });
  return {
    tenantId: opts.tenantId,
    certificatePem,
    chainPem: certificatePem + opts.ca.certPem.replace(/\r\n/g, '\n').replace(/\n*$/, '\n'),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  };
}
