// The emulator's stand-in for daily device attestation: `POST /v2/devices/{deviceId}/dailycertificate`.
//
// A real board attests to the Azure Sphere security service once a day over a private protocol (its Pluton subsystem
// proves it holds the device key and runs genuine software) and receives, among others, the certificate apps use to
// reach IoT Hub (learn.microsoft.com/azure-sphere/deployment/certificate-use-with-azure-sphere). That protocol is not
// public, so the emulator offers this route instead: no bearer token, the device proves itself by signing
// "<DEVICE ID, upper case>\n<timestamp>" with its device key (whose public half *is* the device ID), and the timestamp
// must be within five minutes of the emulator's clock — a board whose clock is not synced cannot attest, as on real
// hardware. Contract: docs/cloud-api.md#daily-device-certificate-emulator.
import * as crypto from 'node:crypto';
import { publicKeyFromDeviceId } from '../common/device-id';
import type { EmulatorContext } from './context';
import { activeTenantCa, issueDeviceCertificate } from './device-certificate';
import { jsonObjectBody, jsonResponse, JsonBodyError, pathSegments, type EmuRequest, type EmuResponse } from './http';
import { ErrorCode } from './model';

/** How far the board's timestamp may be from the emulator's clock, either way. */
export const ATTESTATION_CLOCK_SKEW_MS = 5 * 60 * 1000;

const DEVICE_ID = /^[0-9a-fA-F]{128}$/;
/** ISO 8601 in UTC, as `Date.prototype.toISOString` writes it (fractional seconds optional). */
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** What the device signs: its ID in upper case, a line feed, the timestamp exactly as sent. */
export function attestationMessage(deviceId: string, timestamp: string): Buffer {
  return Buffer.from(`${deviceId.toUpperCase()}\n${timestamp}`, 'utf8');
}

/** False also when the ID is no curve point or the signature no DER ECDSA-Sig-Value: either way nothing was proven. */
function verifiesWithDeviceKey(deviceId: string, timestamp: string, signatureBase64: string): boolean {
  try {
    const key = publicKeyFromDeviceId(deviceId);
    return crypto.verify('sha256', attestationMessage(deviceId, timestamp), { key, dsaEncoding: 'der' }, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

const fail = (status: number, code: number, message: string): EmuResponse => jsonResponse(status, { Code: code, Message: message });

export class DailyCertificateApi {
  constructor(private readonly ctx: EmulatorContext) {}

  async handle(req: EmuRequest): Promise<EmuResponse | undefined> {
    const s = pathSegments(req.path);
    if (!s || s.length !== 4 || s[0] !== 'v2' || s[1] !== 'devices' || s[3]!.toLowerCase() !== 'dailycertificate') return undefined;
    if (req.method !== 'POST') return { ...fail(405, ErrorCode.BadRequest, `Use POST on ${req.path}.`), headers: { 'content-type': 'application/json; charset=utf-8', allow: 'POST' } };
    return this.issue(req, s[2]!);
  }

  private issue(req: EmuRequest, rawDeviceId: string): EmuResponse {
    if (!DEVICE_ID.test(rawDeviceId)) {
      return fail(400, ErrorCode.BadRequest, 'The device ID in the path is not valid: a device ID is 128 hexadecimal characters.');
    }
    const deviceId = rawDeviceId.toUpperCase();
    let body: Record<string, unknown>;
    try {
      body = jsonObjectBody(req);
    } catch (err) {
      if (err instanceof JsonBodyError) return fail(400, ErrorCode.BadRequest, `${err.message}: {"timestamp", "signature"}.`);
      throw err;
    }
    const { timestamp, signature } = body;
    if (typeof timestamp !== 'string' || !UTC_TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
      return fail(400, ErrorCode.BadRequest, 'timestamp must be an ISO 8601 time in UTC, e.g. 2025-01-31T08:00:00.000Z.');
    }
    if (typeof signature !== 'string' || !BASE64.test(signature) || signature.length > 200) {
      return fail(400, ErrorCode.BadRequest, 'signature must be the base64 DER ECDSA-SHA256 signature of "<device ID>\\n<timestamp>" by the device key.');
    }
    if (!verifiesWithDeviceKey(deviceId, timestamp, signature)) return fail(401, ErrorCode.Forbidden, `The signature does not verify with the public key of device '${deviceId}'.`);
    const now = this.ctx.clock.now();
    const skewSec = Math.round((Date.parse(timestamp) - now) / 1000);
    if (Math.abs(Date.parse(timestamp) - now) > ATTESTATION_CLOCK_SKEW_MS) {
      return fail(401, ErrorCode.Forbidden, `The board's clock is not synced: its timestamp is ${skewSec} s off the service's time (at most ${ATTESTATION_CLOCK_SKEW_MS / 1000} s either way).`);
    }
    const tenantId = this.ctx.store.state.claims.get(deviceId);
    const tenant = tenantId === undefined ? undefined : this.ctx.store.state.tenants.get(tenantId);
    if (!tenant) return fail(404, ErrorCode.NotFound, `Device '${deviceId}' is not claimed; claim it into a tenant first.`);
    const ca = activeTenantCa(tenant.cas, now);
    if (!ca) return fail(404, ErrorCode.NotFound, `Tenant '${tenant.name}' has no CA certificate valid now to issue device certificates with.`);
    return jsonResponse(200, issueDeviceCertificate({ tenantId: tenant.id, ca, deviceId, now }));
  }
}
