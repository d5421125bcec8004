// One daily attestation request from the board to the cloud emulator: `POST {cloud}/v2/devices/{id}/dailycertificate`
// with the board's time signed by its device key (the emulator's stand-in for the real, private attestation
// protocol: docs/cloud-api.md#daily-device-certificate-emulator). The answer is checked before the board keeps it: a
// certificate for another key or another ID would leave the board unable to authenticate all day.
import * as crypto from 'node:crypto';
import { cloudEndpoint, DEFAULT_CLOUD_TIMEOUT_MS, postJson, serviceMessage, type CloudAnswer } from './cloud-request';
import { deviceProof } from './device-proof';

export interface DeviceCertificateRecord {
  tenantId: string;
  /** The leaf alone. */
  certificatePem: string;
  /** Leaf then tenant CA: what the board presents in TLS handshakes. */
  chainPem: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
}

export type AttestationOutcome =
  | { ok: true; certificate: DeviceCertificateRecord }
  /**
   * `notClaimed`: 404, the device is in no tenant; `refused`: 401, a signature or clock the service did not accept;
   * `unreachable`: no answer (network, TLS, timeout); `failed`: any other answer, or one the board cannot use.
   */
  | { ok: false; kind: 'notClaimed' | 'refused' | 'unreachable' | 'failed'; message: string };

export interface AttestationRequest {
  /** The cloud emulator's base URL, e.g. https://127.0.0.1:48443. */
  cloudUrl: string;
  /** The CA that cloud's TLS certificate chains to (the emulator's `tls/ca.pem`); undefined: Node's built-in roots. */
  cloudCaPem: string | undefined;
  /** 128 hex characters. */
  deviceId: string;
  deviceKey: crypto.KeyObject;
  /** The board's time now (ISO 8601 UTC). */
  timestamp: string;
  timeoutMs?: number;
}

/** Why the board cannot use this certificate, or undefined when it can. */
function unusable(record: DeviceCertificateRecord, deviceId: string, devicePublicKey: crypto.KeyObject): string | undefined {
  let leaf: crypto.X509Certificate;
  try {
    leaf = new crypto.X509Certificate(record.certificatePem);
  } catch {
    return 'certificatePem is not an X.509 certificate';
  }
  if (leaf.subject !== `CN=${deviceId.toLowerCase()}`) return `the certificate is for '${leaf.subject.slice(0, 140)}', not this device`;
  const theirs = leaf.publicKey.export({ type: 'spki', format: 'der' });
  if (!theirs.equals(devicePublicKey.export({ type: 'spki', format: 'der' }))) return 'the certificate binds another public key than the device key';
  if (!record.chainPem.startsWith(record.certificatePem.trim())) return 'chainPem does not start with the certificate';
  if (Number.isNaN(Date.parse(record.notBefore)) || Number.isNaN(Date.parse(record.notAfter))) return 'notBefore / notAfter are not times';
  return undefined;
}

function recordFrom(text: string): DeviceCertificateRecord | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const fields = ['tenantId', 'certificatePem', 'chainPem', 'notBefore', 'notAfter'] as const;
    if (!fields.every((f) => typeof value[f] === 'string')) return undefined;
    return Object.fromEntries(fields.map((f) => [f, value[f]])) as unknown as DeviceCertificateRecord;
  } catch {
    return undefined;
  }
}

export async function requestDailyCertificate(request: AttestationRequest): Promise<AttestationOutcome> {
  const deviceId = request.deviceId.toUpperCase();
  const url = cloudEndpoint(request.cloudUrl, `v2/devices/${deviceId}/dailycertificate`);
  let answer: CloudAnswer;
  try {
    answer = await postJson(url, request.cloudCaPem, JSON.stringify(deviceProof(deviceId, request.deviceKey, request.timestamp)), request.timeoutMs ?? DEFAULT_CLOUD_TIMEOUT_MS);
  } catch (error) {
    return { ok: false, kind: 'unreachable', message: `${url.origin} did not answer: ${(error as Error).message}` };
  }
  if (answer.status === 404) return { ok: false, kind: 'notClaimed', message: serviceMessage(answer.status, answer.text) };
  if (answer.status === 401) return { ok: false, kind: 'refused', message: serviceMessage(answer.status, answer.text) };
  if (answer.status !== 200) return { ok: false, kind: 'failed', message: serviceMessage(answer.status, answer.text) };
  const record = recordFrom(answer.text);
  if (!record) return { ok: false, kind: 'failed', message: 'the answer is not {tenantId, certificatePem, chainPem, notBefore, notAfter}' };
  const why = unusable(record, deviceId, crypto.createPublicKey(request.deviceKey));
  return why ? { ok: false, kind: 'failed', message: why } : { ok: true, certificate: record };
}
