// A device ID is the device's EC P-256 public key: X‖Y of the point, 128 hex characters (`GET /device/security_state`
// on the board, docs/device-rest-api.md#device). Both directions live here: the board derives its ID from its key,
// and the cloud emulator turns a presented ID back into the key a device's signature must verify with.
import * as crypto from 'node:crypto';

const DEVICE_ID = /^[0-9a-fA-F]{128}$/;

/** X‖Y of an uncompressed P-256 public key, lower-case hex. */
export function deviceIdFromPublicKey(publicKey: crypto.KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) {
    throw new Error('The device identity key must be an EC P-256 key');
  }
  return Buffer.concat([Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]).toString('hex');
}

/**
 * The P-256 public key a device ID names (any case). Throws when the text is not 128 hex characters, or when X and Y
 * are not a point on the curve (then no device holds the private key, and nothing it signed can be checked).
 */
export function publicKeyFromDeviceId(deviceId: string): crypto.KeyObject {
  if (!DEVICE_ID.test(deviceId)) throw new Error('a device ID is 128 hexadecimal characters');
  const bytes = Buffer.from(deviceId, 'hex');
  try {
    return crypto.createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: bytes.subarray(0, 32).toString('base64url'), y: bytes.subarray(32).toString('base64url') },
      format: 'jwk',
    });
  } catch {
    throw new Error('the device ID is not a point on the P-256 curve, so it is no device public key');
  }
}
