/**
 * The simulated board's certificates (`npx tsx bench/board-certificates.ts`; a few seconds). All figures measured in
 * this run:
 *  - minting the board's CA + TLS leaf with emulator/board/certificates.ts (node-forge ASN.1, Node's ECDSA) against
 *    the two bare `crypto.sign` calls that sign the same TBSCertificate sizes — the cost of building the structure;
 *  - loading node-forge, which the board simulator now needs at start, against starting a bare Node process.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import {
  AZURE_SPHERE_DEVICE_CA_NAME, DEVICE_REST_HOST_NAME, generateP256KeyPair, issueCertificate,
} from '../emulator/board/certificates';

const ROUNDS = 300;
const PROCESS_RUNS = 7;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const ca = generateP256KeyPair();
const leaf = generateP256KeyPair();

function mintCaAndLeaf(): [string, string] {
  const caPem = issueCertificate({
    subject: AZURE_SPHERE_DEVICE_CA_NAME,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore: new Date('2018-05-22T00:00:00Z'),
    notAfter: new Date('2038-05-17T00:00:00Z'),
    isCa: true,
  });
  const leafPem = issueCertificate({
    subject: { CN: DEVICE_REST_HOST_NAME },
    publicKey: leaf.publicKey,
    issuer: AZURE_SPHERE_DEVICE_CA_NAME,
    issuerPublicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date('2038-05-17T00:00:00Z'),
    isCa: false,
    dnsNames: [DEVICE_REST_HOST_NAME],
    ipAddresses: ['192.168.35.2'],
    extendedKeyUsage: ['serverAuth'],
  });
  return [caPem, leafPem];
}

/** Length of the TBSCertificate, the bytes the signature covers. */
function tbsLength(pem: string): number {
  const der = new crypto.X509Certificate(pem).raw;
  const at = 2 + (der[1]! & 0x7f); // outer SEQUENCE header (long form)
  const first = der[at + 1]!;
  return first < 0x80 ? 2 + first : 2 + (first & 0x7f) + der.readUIntBE(at + 2, first & 0x7f);
}

function timeRounds(fn: () => void): number {
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) fn();
  return (performance.now() - start) / ROUNDS;
}

const [caPem, leafPem] = mintCaAndLeaf();
const caTbs = crypto.randomBytes(tbsLength(caPem));
const leafTbs = crypto.randomBytes(tbsLength(leafPem));
const bareSign = (): void => {
  crypto.sign('sha256', caTbs, ca.privateKey);
  crypto.sign('sha256', leafTbs, ca.privateKey);
};
// Warm up both, then alternate so drift on the shared cores hits both alike.
timeRounds(mintCaAndLeaf);
timeRounds(bareSign);
const mintMs: number[] = [];
const signMs: number[] = [];
for (let i = 0; i < 5; i++) {
  mintMs.push(timeRounds(mintCaAndLeaf));
  signMs.push(timeRounds(bareSign));
}

function processMs(args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < PROCESS_RUNS; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
    runs.push(performance.now() - start);
  }
  return median(runs);
}
const bareNodeMs = processMs(['-e', '']);
const withForgeMs = processMs(['-e', "require('node-forge')"]);

const mint = median(mintMs);
const sign = median(signMs);
console.log('| figure | measured | ratio |');
console.log('|---|---|---|');
console.log(`| mint CA + leaf (issueCertificate ×2, median of 5×${ROUNDS}) | ${(mint * 1000).toFixed(0)} µs | ${(mint / sign).toFixed(2)}× two bare crypto.sign over the same TBS sizes (${(sign * 1000).toFixed(0)} µs) |`);
console.log(`| node process that loads node-forge (median of ${PROCESS_RUNS}) | ${withForgeMs.toFixed(0)} ms | ${(withForgeMs / bareNodeMs).toFixed(2)}× a bare node process (${bareNodeMs.toFixed(0)} ms); +${(withForgeMs - bareNodeMs).toFixed(0)} ms at board start |`);
