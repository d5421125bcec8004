// A device identity of the hub's identity registry: the rules for IDs and bodies, and the JSON the registry answers
// with (learn.microsoft.com/azure/iot-hub/iot-hub-devguide-identity-registry#device-identity-properties,
// learn.microsoft.com/rest/api/iothub/service/devices/create-or-update-identity).
import { randomBytes, randomInt } from 'node:crypto';
import { HubError } from './hub-errors';
import type { DeviceAuthenticationType, DeviceIdentity } from './iot-state';

/** Up to 128 ASCII letters, digits and `- . + % _ # * ? ! ( ) , = @ $ '` (the registry's rule; case-sensitive). */
const DEVICE_ID = /^[A-Za-z0-9\-.+%_#*?!(),=@$']{1,128}$/;
const AUTH_TYPES: readonly DeviceAuthenticationType[] = ['sas', 'selfSigned', 'certificateAuthority', 'none'];
/** What the registry shows for a time that never happened (DateTime.MinValue). */
export const NEVER = '0001-01-01T00:00:00Z';

export function checkDeviceId(deviceId: string): void {
  if (!DEVICE_ID.test(deviceId)) {
    throw new HubError(400, 'ArgumentInvalid', `DeviceId '${deviceId.slice(0, 140)}' is invalid: up to 128 ASCII letters, digits and - . + % _ # * ? ! ( ) , = @ $ ' are allowed.`);
  }
}

/** An etag shaped like the registry's: base64 of a decimal number. */
function newDeviceEtag(): string {
  return Buffer.from(String(randomInt(100_000_000, 999_999_999))).toString('base64');
}

/** An 18-digit generation ID, new for every identity made under a device ID (so a re-created device is told apart). */
function newGenerationId(): string {
  return `63${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e7)).padStart(7, '0')}`;
}

function objectOrEmpty(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new HubError(400, 'ArgumentInvalid', `${what} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, what: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new HubError(400, 'ArgumentInvalid', `${what} must be a string.`);
  return value;
}

/** A symmetric key given by the caller: base64 of 16 to 64 bytes, as the registry accepts; none → a new 32-byte key. */
function symmetricKey(value: unknown, what: string): string {
  const given = optionalString(value, what);
  if (given === null) return randomBytes(32).toString('base64');
  const bytes = Buffer.from(given, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(given) || bytes.length < 16 || bytes.length > 64) {
    throw new HubError(400, 'ArgumentInvalid', `${what} must be base64 of 16 to 64 bytes.`);
  }
  return given;
}

function thumbprint(value: unknown, what: string): string | null {
  const given = optionalString(value, what);
  if (given === null) return null;
  if (!/^([0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/.test(given)) throw new HubError(400, 'ArgumentInvalid', `${what} must be a SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint.`);
  return given.toUpperCase();
}

/**
 * The identity a PUT body describes: `existing` is the identity being replaced (its generation ID stays), `nowIso`
 * the time of a status change. Missing `authentication.type` is `selfSigned` when a thumbprint is given and `sas`
 * otherwise, as the Azure IoT SDKs normalise it; sas keys left empty are generated.
 */
export function identityFromBody(body: Record<string, unknown>, deviceId: string, existing: DeviceIdentity | undefined, nowIso: string): DeviceIdentity {
  if (body.deviceId !== undefined && body.deviceId !== deviceId) {
    throw new HubError(400, 'ArgumentInvalid', `The deviceId in the body ('${String(body.deviceId).slice(0, 140)}') is not the one in the path ('${deviceId}').`);
  }
  const status = body.status ?? 'enabled';
  if (status !== 'enabled' && status !== 'disabled') throw new HubError(400, 'ArgumentInvalid', "status must be 'enabled' or 'disabled'.");
  const statusReason = optionalString(body.statusReason, 'statusReason');
  if (statusReason !== null && statusReason.length > 128) throw new HubError(400, 'ArgumentInvalid', 'statusReason must be at most 128 characters.');

  const auth = objectOrEmpty(body.authentication, 'authentication');
  const keys = objectOrEmpty(auth.symmetricKey, 'authentication.symmetricKey');
  const prints = objectOrEmpty(auth.x509Thumbprint, 'authentication.x509Thumbprint');
  const primaryThumbprint = thumbprint(prints.primaryThumbprint, 'x509Thumbprint.primaryThumbprint');
  const secondaryThumbprint = thumbprint(prints.secondaryThumbprint, 'x509Thumbprint.secondaryThumbprint');
  const type = (auth.type ?? (primaryThumbprint ? 'selfSigned' : 'sas')) as DeviceAuthenticationType;
  if (!AUTH_TYPES.includes(type)) throw new HubError(400, 'ArgumentInvalid', `authentication.type must be one of ${AUTH_TYPES.join(', ')}.`);
  if (type === 'selfSigned' && !primaryThumbprint) throw new HubError(400, 'ArgumentInvalid', 'A selfSigned device needs authentication.x509Thumbprint.primaryThumbprint.');

  const capabilities = objectOrEmpty(body.capabilities, 'capabilities');
  if (capabilities.iotEdge !== undefined && typeof capabilities.iotEdge !== 'boolean') throw new HubError(400, 'ArgumentInvalid', 'capabilities.iotEdge must be true or false.');

  return {
    deviceId,
    generationId: existing?.generationId ?? newGenerationId(),
    etag: newDeviceEtag(),
    status,
    statusReason,
    statusUpdatedTime: existing && existing.status !== status ? nowIso : (existing?.statusUpdatedTime ?? null),
    authentication: {
      type,
      symmetricKey:
        type === 'sas'
          ? { primaryKey: symmetricKey(keys.primaryKey, 'symmetricKey.primaryKey'), secondaryKey: symmetricKey(keys.secondaryKey, 'symmetricKey.secondaryKey') }
          : { primaryKey: null, secondaryKey: null },
      x509Thumbprint: type === 'selfSigned' ? { primaryThumbprint, secondaryThumbprint } : { primaryThumbprint: null, secondaryThumbprint: null },
    },
    capabilities: { iotEdge: capabilities.iotEdge === true },
  };
}

/** A device made by DPS for a registration: CA-signed certificate authentication, enabled. */
export function provisionedIdentity(deviceId: string, iotEdge: boolean): DeviceIdentity {
  return {
    deviceId,
    generationId: newGenerationId(),
    etag: newDeviceEtag(),
    status: 'enabled',
    statusReason: null,
    statusUpdatedTime: null,
    authentication: { type: 'certificateAuthority', symmetricKey: { primaryKey: null, secondaryKey: null }, x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null } },
    capabilities: { iotEdge },
  };
}

/** What the hub knows live about a device (never persisted). */
export interface DeviceLiveState {
  connectionState: 'Connected' | 'Disconnected';
  connectionStateUpdatedTime: string | null;
  lastActivityTime: string | null;
}

/** The registry's Device JSON. */
export function deviceJson(device: DeviceIdentity, live: DeviceLiveState): Record<string, unknown> {
  return {
    deviceId: device.deviceId,
    moduleId: null,
    generationId: device.generationId,
    etag: device.etag,
    connectionState: live.connectionState,
    status: device.status,
    statusReason: device.statusReason,
    connectionStateUpdatedTime: live.connectionStateUpdatedTime ?? NEVER,
    statusUpdatedTime: device.statusUpdatedTime ?? NEVER,
    lastActivityTime: live.lastActivityTime ?? NEVER,
    cloudToDeviceMessageCount: 0,
    authentication: structuredClone(device.authentication),
    capabilities: { ...device.capabilities },
  };
}

/** A device as `SELECT * FROM devices` returns it: its twin (learn.microsoft.com/azure/iot-hub/iot-hub-devguide-device-twins). */
export function twinJson(device: DeviceIdentity, live: DeviceLiveState, reported: { version: number; properties: Record<string, unknown> }): Record<string, unknown> {
  return {
    deviceId: device.deviceId,
    etag: 'AAAAAAAAAAE=',
    deviceEtag: device.etag,
    status: device.status,
    statusReason: device.statusReason,
    statusUpdateTime: device.statusUpdatedTime ?? NEVER,
    connectionState: live.connectionState,
    lastActivityTime: live.lastActivityTime ?? NEVER,
    cloudToDeviceMessageCount: 0,
    authenticationType: device.authentication.type,
    x509Thumbprint: { ...device.authentication.x509Thumbprint },
    modelId: '',
    version: 1 + reported.version,
    properties: { desired: { $version: 1 }, reported: { ...reported.properties, $version: reported.version } },
    capabilities: { ...device.capabilities },
  };
}
