// Names in a Microsoft.AzureSphere resource path, checked against the patterns of the 2024-04-01 spec
// (specification/sphere/resource-manager/Microsoft.AzureSphere/.../stable/2024-04-01/azuresphere.json) before
// anything is sent, each refusal with its own sentence. `.default` and `.unassigned` name "no product / no device
// group" in a device's path; they can never be created.
import { InvalidArgumentError } from '../errors';
import { requireDeviceId, requireGuid } from '../validate';

export const SYSTEM_NAMES: ReadonlySet<string> = new Set(['.default', '.unassigned']);

const CATALOG = /^[A-Za-z0-9_-]{1,50}$/;
const PRODUCT = /^[\w][\w\s]{1,48}[\w]$|^\.default$|^\.unassigned$/;
const DEVICE_GROUP = /^[A-Za-z0-9]{1,2}$|^[A-Za-z0-9][A-Za-z0-9\s]{1,48}[A-Za-z0-9]$|^\.default$|^\.unassigned$/;
/** ARM's own rule for resource group names. */
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
/** Free-string names (image, certificate serial number, deployment): one path segment of printable text. */
const SEGMENT = /^[A-Za-z0-9._-]{1,128}$/;

export function requireSubscriptionId(value: string): string {
  return requireGuid('subscription ID', value);
}

export function requireResourceGroup(value: string): string {
  const v = value ?? '';
  if (!RESOURCE_GROUP.test(v) || v.endsWith('.')) {
    throw new InvalidArgumentError(`The resource group name "${v}" must be 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.`);
  }
  return v;
}

export function requireCatalogName(value: string): string {
  const v = value ?? '';
  if (!CATALOG.test(v)) {
    throw new InvalidArgumentError(`The catalog name "${shown(v)}" must be 1–50 letters, digits, '-' or '_' (${describeProblem(v, /[A-Za-z0-9_-]/, 50)}).`);
  }
  return v;
}

/** A product name in a path; `forCreate` also refuses `.default` / `.unassigned`. */
export function requireArmProductName(value: string, options: { forCreate?: boolean } = {}): string {
  const v = value ?? '';
  if (options.forCreate && SYSTEM_NAMES.has(v)) throw new InvalidArgumentError(`"${v}" is a reserved name; a product cannot be created with it.`);
  if (!PRODUCT.test(v)) {
    throw new InvalidArgumentError(
      `The product name "${shown(v)}" must be 3–50 letters, digits, '_' or spaces, starting and ending with a letter, digit or '_' (${describeProblem(v, /[\w\s]/, 50, 3)}).`,
    );
  }
  return v;
}

/** A device group name in a path; `forCreate` also refuses `.default` / `.unassigned`. */
export function requireArmDeviceGroupName(value: string, options: { forCreate?: boolean } = {}): string {
  const v = value ?? '';
  if (options.forCreate && SYSTEM_NAMES.has(v)) throw new InvalidArgumentError(`"${v}" is a reserved name; a device group cannot be created with it.`);
  if (!DEVICE_GROUP.test(v)) {
    throw new InvalidArgumentError(
      `The device group name "${shown(v)}" must be 1–50 letters, digits or spaces, starting and ending with a letter or digit (${describeProblem(v, /[A-Za-z0-9\s]/, 50)}).`,
    );
  }
  return v;
}

/** The device resource's name: its 128-hex device ID (the spec allows `[a-zA-Z0-9-]{128}`; device IDs are hex). */
export function requireArmDeviceName(value: string): string {
  return requireDeviceId(value);
}

/** An image's name: its image ID ("Use an image GUID for GA versions of the API"). */
export function requireImageName(value: string): string {
  return requireGuid('image ID', value);
}

/** A certificate's serial number, or `.default` for the active one. */
export function requireSerialNumber(value: string): string {
  const v = (value ?? '').trim();
  if (!SEGMENT.test(v)) throw new InvalidArgumentError(`The certificate serial number "${shown(v)}" must be letters and digits (or ".default" for the active certificate).`);
  return v;
}

/** A deployment's name (`.default` names the group's current one). */
export function requireDeploymentName(value: string): string {
  const v = (value ?? '').trim();
  if (!SEGMENT.test(v)) throw new InvalidArgumentError(`The deployment name "${shown(v)}" must be 1–128 letters, digits, '.', '-' or '_'.`);
  return v;
}

function shown(v: string): string {
  return v.length > 60 ? `${v.slice(0, 60)}…` : v;
}

function describeProblem(v: string, allowed: RegExp, max: number, min = 1): string {
  if (v.length === 0) return 'it is empty';
  if (v.length > max) return `it is ${v.length} characters long`;
  if (v.length < min) return `it is ${v.length} character${v.length === 1 ? '' : 's'} long`;
  const bad = [...new Set([...v].filter((ch) => !allowed.test(ch)))];
  if (bad.length > 0) return `it contains ${bad.slice(0, 5).map((ch) => (ch === ' ' ? 'a space' : `"${ch}"`)).join(', ')}`;
  if (/^\s|\s$/.test(v)) return 'it starts or ends with a space';
  return 'it does not fit the pattern';
}
