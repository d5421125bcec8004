// Real certificates for tests (EC P-256, minted in-process with the simulator's certificate builder).
import * as crypto from 'node:crypto';
import { AZURE_SPHERE_DEVICE_CA_NAME, DEVICE_REST_HOST_NAME, generateP256KeyPair, issueCertificate } from '../../emulator/board/certificates';

export interface TestCa {
  certPem: string;
  key: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

export interface TestServerIdentity {
  caPem: string;
  certPem: string;
  /** Leaf followed by the CA, as a board presents it. */
  chainPem: string;
  keyPem: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function makeCa(commonName = AZURE_SPHERE_DEVICE_CA_NAME.CN!): TestCa {
  const { privateKey, publicKey } = generateP256KeyPair();
  const certPem = issueCertificate({
    subject: { ...AZURE_SPHERE_DEVICE_CA_NAME, CN: commonName },
    publicKey,
    signingKey: privateKey,
    notBefore: new Date(Date.now() - YEAR_MS),
    notAfter: new Date(Date.now() + 10 * YEAR_MS),
    isCa: true,
  });
  return { certPem, key: privateKey, publicKey };
}

/** A board-style TLS identity issued by `ca`; `dnsNames` defaults to the vendor host name. */
export function makeServerIdentity(ca: TestCa, dnsNames: string[] = [DEVICE_REST_HOST_NAME]): TestServerIdentity {
  const { privateKey, publicKey } = generateP256KeyPair();
  const certPem = issueCertificate({
    subject: { CN: 'simulated board' },
    publicKey,
    issuer: { ...AZURE_SPHERE_DEVICE_CA_NAME, CN: extractCn(ca.certPem) },
    issuerPublicKey: ca.publicKey,
    signingKey: ca.key,
    notBefore: new Date(Date.now() - YEAR_MS),
    notAfter: new Date(Date.now() + 5 * YEAR_MS),
    isCa: false,
    dnsNames,
    ipAddresses: ['192.168.35.2'],
    extendedKeyUsage: ['serverAuth'],
  });
  return {
    caPem: ca.certPem,
    certPem,
    chainPem: certPem + ca.certPem,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function extractCn(pem: string): string {
  const subject = new crypto.X509Certificate(pem).subject;
  return /CN=([^\n]+)/.exec(subject)?.[1] ?? '';
}
