// Device keys for tests, drawn from a seed (pass testSeed(), or a seed derived from it): the same seed gives the same
// EC P-256 key and so the same device ID, so a failing test replays with the same board. Also signs daily attestation
// requests the way the board simulator does (docs/cloud-api.md#daily-device-certificate-emulator).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deviceIdFromPublicKey } from '../../emulator/common/device-id';
import { seededRandom } from '../../emulator/common/seeded-random';

/** The P-256 group order n: a private scalar must lie in [1, n-1]. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

export interface DeviceKey {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  /** 128 lower-case hex characters: X‖Y of the public key. */
  deviceId: string;
}

export function seededDeviceKey(seed: number): DeviceKey {
  const random = seededRandom(seed);
  let scalar = 0n;
  for (let i = 0; i < 32; i++) scalar = (scalar << 8n) | BigInt(Math.floor(random() * 256));
  scalar = (scalar % (P256_ORDER - 1n)) + 1n;
  const d = Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex');
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 04 ‖ X ‖ Y
  const jwk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url'), d: d.toString('base64url') };
  const privateKey = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = crypto.createPublicKey(privateKey);
  return { privateKey, publicKey, deviceId: deviceIdFromPublicKey(publicKey) };
}

/** Puts `key` where the board simulator keeps its device key, so a board started on `stateDir` has that identity. */
export function installDeviceKey(stateDir: string, key: DeviceKey): void {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'device-identity-key.pem'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}

/** The body of `POST /v2/devices/{id}/dailycertificate`: `timestamp` signed with the device key. */
export function attestationBody(key: DeviceKey, timestamp: string, signedTimestamp = timestamp): { timestamp: string; signature: string } {
  const message = Buffer.from(`${key.deviceId.toUpperCase()}\n${signedTimestamp}`, 'utf8');
  return { timestamp, signature: crypto.sign('sha256', message, key.privateKey).toString('base64') };
}
