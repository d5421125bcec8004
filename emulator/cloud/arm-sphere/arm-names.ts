// The path-name patterns of the 2024-04-01 Microsoft.AzureSphere API (specification/sphere/resource-manager/
// Microsoft.AzureSphere/.../stable/2024-04-01/azuresphere.json, the `pattern` of each path parameter). A name that
// does not match is refused with a 400 that names the pattern. `.default` and `.unassigned` are system names: they
// address a device that belongs to no product or group (and the current deployment / active certificate) but cannot
// be used to create a product or device group.
import { badRequest } from './arm-errors';

export const NAME_PATTERNS = {
  catalogName: /^[A-Za-z0-9_-]{1,50}$/,
  productName: /^[\w][\w\s]{1,48}[\w]$|^\.default$|^\.unassigned$/,
  deviceGroupName: /^[A-Za-z0-9]{1,2}$|^[A-Za-z0-9][A-Za-z0-9\s]{1,48}[A-Za-z0-9]$|^\.default$|^\.unassigned$/,
  deviceName: /^[a-zA-Z0-9-]{128}$/,
} as const;

export type NamedParameter = keyof typeof NAME_PATTERNS;

export function checkName(parameter: NamedParameter, value: string): string {
  const pattern = NAME_PATTERNS[parameter];
  if (!pattern.test(value)) {
    throw badRequest(`The ${parameter} '${value.slice(0, 140)}' is not valid: it must match the pattern ${pattern.source}.`, parameter, 'InvalidResourceName');
  }
  return value;
}

export function isSystemName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === '.default' || lower === '.unassigned';
}

/** A product or device group is created with an ordinary name, never a system one. */
export function checkCreatableName(parameter: 'productName' | 'deviceGroupName', value: string): void {
  if (isSystemName(value)) throw badRequest(`The ${parameter} '${value}' is reserved: '.default' and '.unassigned' address devices in no product or device group and cannot be created.`, parameter, 'InvalidResourceName');
}
