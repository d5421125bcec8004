// Argument checks shared by the API clients: bad input gets a specific message before anything is sent.
import { InvalidArgumentError } from './errors';
import { DeviceCapability } from '../device/image-package/types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID, lower-cased. */
export function requireGuid(label: string, value: string): string {
  const v = (value ?? '').trim();
  if (!GUID.test(v)) throw new InvalidArgumentError(`The ${label} must be a GUID such as 768c2cd6-059a-49ad-9f53-89f5271cea15, got "${value}".`);
  return v.toLowerCase();
}

/** An Azure Sphere device ID: 128 hexadecimal characters (docs/cloud-api.md#device-ids); upper-cased as the CLI prints it. */
export function requireDeviceId(value: string): string {
  const v = (value ?? '').trim();
  if (!/^[0-9a-f]{128}$/i.test(v)) {
    const hint = /^[0-9a-f]+$/i.test(v) ? `it has ${v.length} hexadecimal characters` : 'it contains characters that are not hexadecimal';
    throw new InvalidArgumentError(`A device ID is 128 hexadecimal characters; ${v ? hint : 'it is empty'}.`);
  }
  return v.toUpperCase();
}

export function requireTenantName(value: string): string {
  const v = (value ?? '').trim();
  if (!v) throw new InvalidArgumentError('The tenant name is empty.');
  if (v.length > 50) throw new InvalidArgumentError(`The tenant name is ${v.length} characters long; at most 50 are allowed.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new InvalidArgumentError('The tenant name contains control characters.');
  return v;
}

export function requireEmail(value: string): string {
  const v = (value ?? '').trim();
  if (!/^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/.test(v)) throw new InvalidArgumentError(`"${value}" is not an email address (user@domain).`);
  return v;
}

/** A user as the role endpoints name them: an email address or an object ID (GUID). */
export function requireUser(value: string): string {
  const v = (value ?? '').trim();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v.toLowerCase() : requireEmail(v);
}

/** IoT Hub / DPS verification codes: 1–64 letters, digits or hyphens (typically 40–64 hex characters). */
export function requireVerificationCode(value: string): string {
  const v = (value ?? '').trim();
  if (!v) throw new InvalidArgumentError('The verification code is empty; generate one in IoT Hub / DPS first.');
  if (!/^[A-Za-z0-9-]{1,64}$/.test(v)) throw new InvalidArgumentError(`The verification code "${value}" must be 1–64 letters, digits or hyphens (as IoT Hub issues it).`);
  return v;
}

/** A SHA-1 thumbprint: 40 hex characters (colons and spaces, as some tools print them, are removed). */
export function requireThumbprint(value: string): string {
  const v = (value ?? '').replace(/[:\s]/g, '');
  if (!/^[0-9a-f]{40}$/i.test(v)) throw new InvalidArgumentError(`A certificate thumbprint is 40 hexadecimal characters (SHA-1), got "${value}".`);
  return v.toUpperCase();
}

/**
 * The capabilities asked of a capability image: each one of DeviceCapability's values, none twice; empty asks for
 * an image without capabilities (what takes a capability away again).
 */
export function requireCapabilities(values: readonly number[]): number[] {
  if (!Array.isArray(values)) throw new InvalidArgumentError('The capabilities must be a list of numbers, e.g. [11] for app development.');
  const known = Object.entries(DeviceCapability);
  const seen = new Set<number>();
  for (const v of values) {
    if (!known.some(([, value]) => value === v)) {
      throw new InvalidArgumentError(`Unknown device capability ${String(v)}; use ${known.map(([name, value]) => `${value} (${name})`).join(', ')}.`);
    }
    if (seen.has(v)) throw new InvalidArgumentError(`Device capability ${v} is listed twice.`);
    seen.add(v);
  }
  return [...values];
}

/** A device ID shortened for messages: its first eight characters and an ellipsis. */
export function shortDeviceId(deviceId: string): string {
  return `${deviceId.slice(0, 8)}…`;
}
