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

/** A board-style TLS identity issued by `ca`; `dnsNames` defaults to the vendor host name, the address to the board's. */
export function makeServerIdentity(ca: TestCa, dnsNames: string[] = [DEVICE_REST_HOST_NAME], ipAddresses: string[] = ['192.168.35.2']): TestServerIdentity {
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
    ipAddresses,
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

/** CA, key and certificate in PEM, as a TLS server and its client take them. */
export interface TlsFixture {
  ca: string;
  key: string;
  cert: string;
}

let tlsFixtureCache: TlsFixture | undefined;

/**
 * One board-shaped server identity per process for the network stack's TLS tests: valid for both ends of the link
 * (192.168.35.2 and .1) and the board's host name, under a CA shaped like the board's.
 */
export function tlsFixture(): TlsFixture {
  if (!tlsFixtureCache) {
    const ca = makeCa('Test Azure Sphere Device CA');
    const server = makeServerIdentity(ca, [DEVICE_REST_HOST_NAME], ['192.168.35.2', '192.168.35.1']);
    tlsFixtureCache = { ca: ca.certPem, key: server.keyPem, cert: server.certPem };
  }
  return tlsFixtureCache;
}
