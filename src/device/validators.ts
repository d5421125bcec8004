// Input checks for values sent to a board. Each returns null when the value is acceptable, or a sentence saying exactly
// what is wrong (the UI reuses these for input boxes). The REST client runs them before anything is sent, so a bad value
// never reaches the board. Messages never echo secret values (a PSK is described, never quoted).

export type ValidationResult = string | null;

const utf8Length = (value: string): number => Buffer.byteLength(value, 'utf8');

export function validateSsid(ssid: string): ValidationResult {
  const length = utf8Length(ssid);
  if (length === 0) return 'SSID must not be empty (1–32 bytes).';
  if (length > 32) return `SSID is ${length} bytes long; the maximum is 32 bytes (UTF-8).`;
  return null;
}

/** WPA2 pre-shared key: 8–63 printable ASCII characters, or exactly 64 hexadecimal digits (a raw 256-bit key). */
export function validatePsk(psk: string): ValidationResult {
  if (psk.length === 64 && /^[0-9A-Fa-f]{64}$/.test(psk)) return null;
  if (!/^[\x20-\x7E]*$/.test(psk)) {
    return 'PSK must contain only printable ASCII characters (space to ~), or be exactly 64 hexadecimal digits.';
  }
  if (psk.length < 8) return `PSK is ${psk.length} characters long; it must be 8–63 characters (or 64 hex digits).`;
  if (psk.length > 63) return `PSK is ${psk.length} characters long; it must be 8–63 characters (or 64 hex digits).`;
  return null;
}

export function validateConfigName(name: string): ValidationResult {
  if (name.length === 0) return 'Configuration name must not be empty (1–16 characters).';
  if (name.length > 16) return `Configuration name is ${name.length} characters long; the maximum is 16.`;
  return null;
}

const CERT_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

export function validateCertificateId(id: string): ValidationResult {
  if (id.length === 0) return 'Certificate identifier must not be empty (1–16 characters).';
  if (id.length > 16) return `Certificate identifier is ${id.length} characters long; it must be 1–16 characters.`;
  if (!CERT_ID_PATTERN.test(id)) {
    return 'Certificate identifier may only contain letters, digits and . - _ characters.';
  }
  return null;
}

export const MAX_PEM_BYTES = 8192;

/** `what` names the field in the message ("Public certificate", "Private key"); the PEM itself is never quoted. */
export function validatePem(pem: string, what = 'Certificate'): ValidationResult {
  const length = utf8Length(pem);
  if (length === 0) return `${what} must not be empty.`;
  if (length > MAX_PEM_BYTES) return `${what} is ${length} bytes long; the maximum is ${MAX_PEM_BYTES} bytes.`;
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(pem) || !/-----END [A-Z0-9 ]+-----/.test(pem)) {
    return `${what} is not in PEM format (expected -----BEGIN …----- and -----END …----- lines).`;
  }
  return null;
}

export function validateKeyPassword(password: string): ValidationResult {
  if (utf8Length(password) > 256) return 'Private key password is too long; the maximum is 256 bytes.';
  return null;
}

/** EAP-TLS client identity, e.g. user@domain; the device accepts at most 254 characters. */
export function validateClientIdentity(identity: string): ValidationResult {
  if (identity.length === 0) return 'Client identity must not be empty.';
  if (identity.length > 254) return `Client identity is ${identity.length} characters long; the maximum is 254.`;
  return null;
}

export function validateHardwareAddress(address: string): ValidationResult {
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(address)) {
    return 'Hardware address must be six hexadecimal byte pairs separated by colons, e.g. aa:bb:cc:dd:ee:ff.';
  }
  return null;
}

export function validateInterfaceName(name: string): ValidationResult {
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(name)) return 'Interface name must be 1–32 letters, digits or . - _ (e.g. wlan0).';
  return null;
}

export function validateNetworkId(id: number): ValidationResult {
  if (!Number.isInteger(id) || id < 0) return `Network ID must be a whole number ≥ 0 (got ${String(id)}).`;
  return null;
}

/** Addresses the board may have on the service link: 192.168.35.2–192.168.35.254. */
export function validateDeviceIpAddress(ip: string): ValidationResult {
  if (!/^192\.168\.35\.([2-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$/.test(ip)) {
    return `Device IP address ${ip} is out of range; the range is 192.168.35.2-192.168.35.254.`;
  }
  return null;
}
