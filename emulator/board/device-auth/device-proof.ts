// How the board proves to the cloud emulator that a request is its own: its time, signed by its device key over
// "<DEVICE ID in upper case>\n<timestamp>" (the device ID is the key's public half, so the service needs nothing else
// to check it). The daily certificate request sends it in its body, the update check too, and an image download in
// its query (docs/cloud-api.md#daily-device-certificate-emulator). The real protocols are private; this is the
// emulator's stand-in, and one signing for every route keeps the board and emulator/cloud/device-signature.ts in step.
import * as crypto from 'node:crypto';

export interface DeviceProof {
  /** The board's time, ISO 8601 UTC. */
  timestamp: string;
  /** Base64 DER ECDSA-SHA256. */
  signature: string;
}

export function deviceProof(deviceId: string, deviceKey: crypto.KeyObject, timestamp: string): DeviceProof {
  const signed = Buffer.from(`${deviceId.toUpperCase()}\n${timestamp}`, 'utf8');
  return { timestamp, signature: crypto.sign('sha256', signed, deviceKey).toString('base64') };
}
