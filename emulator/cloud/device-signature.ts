// How a board proves who it is to the emulator's device-facing routes (the daily certificate, the update check and
// image downloads), with no bearer token: it signs "<DEVICE ID, upper case>\n<timestamp>" with its device key — whose
// public half *is* the device ID — and the timestamp must be within five minutes of the emulator's clock, so a board
// whose clock is not synced is refused, as on real hardware. Contract: docs/cloud-api.md#daily-device-certificate-emulator.
import * as crypto from 'node:crypto';
import { publicKeyFromDeviceId } from '../common/device-id';
import type { EmulatorContext } from './context';
import { jsonResponse, type EmuResponse } from './http';
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

export const deviceFailure = (status: number, code: number, message: string): EmuResponse => jsonResponse(status, { Code: code, Message: message });

/**
 * The device ID (upper case) when `signature` proves the device at `rawDeviceId` signed `timestamp` just now;
 * otherwise the service's answer: 400 for a malformed ID, timestamp or signature, 401 for a signature that does not
 * verify or a clock more than five minutes off.
 */
export function authenticateDevice(ctx: EmulatorContext, rawDeviceId: string, timestamp: unknown, signature: unknown): { deviceId: string } | { failure: EmuResponse } {
  if (!DEVICE_ID.test(rawDeviceId)) {
    return { failure: deviceFailure(400, ErrorCode.BadRequest, 'The device ID in the path is not valid: a device ID is 128 hexadecimal characters.') };
  }
  const deviceId = rawDeviceId.toUpperCase();
  if (typeof timestamp !== 'string' || !UTC_TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return { failure: deviceFailure(400, ErrorCode.BadRequest, 'timestamp must be an ISO 8601 time in UTC, e.g. 2025-01-31T08:00:00.000Z.') };
  }
  if (typeof signature !== 'string' || !BASE64.test(signature) || signature.length > 200) {
    return { failure: deviceFailure(400, ErrorCode.BadRequest, 'signature must be the base64 DER ECDSA-SHA256 signature of "<device ID>\\n<timestamp>" by the device key.') };
  }
  if (!verifiesWithDeviceKey(deviceId, timestamp, signature)) {
    return { failure: deviceFailure(401, ErrorCode.Forbidden, `The signature does not verify with the public key of device '${deviceId}'.`) };
  }
  const now = ctx.clock.now();
  const skewSec = Math.round((Date.parse(timestamp) - now) / 1000);
  if (Math.abs(Date.parse(timestamp) - now) > ATTESTATION_CLOCK_SKEW_MS) {
    return { failure: deviceFailure(401, ErrorCode.Forbidden, `The board's clock is not synced: its timestamp is ${skewSec} s off the service's time (at most ${ATTESTATION_CLOCK_SKEW_MS / 1000} s either way).`) };
  }
  return { deviceId };
}
