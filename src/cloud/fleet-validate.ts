// Checks of fleet input before anything is sent, each with its own sentence: product and device group names as
// "Deployment basics" allows them (learn.microsoft.com/azure-sphere/deployment/deployment-concepts: alphanumerics and
// spaces, at most 50 characters), the enums of a device group, and a deployment's images — at least one, each a
// GUID once, and, where their metadata is known, only images a deployment can carry.
import { imageTypeName } from '../device/image-package/format';
import { ImageType } from '../device/image-package/types';
import { InvalidArgumentError } from './errors';
import { OsFeedType, UpdatePolicy, type ImageMetadata } from './sphere-api-types';
import { requireGuid } from './validate';

export const MAX_FLEET_NAME_LENGTH = 50;

/**
 * What a deployment carries: "your high-level and real-time capable applications and board configuration images"
 * (learn.microsoft.com/azure-sphere/deployment/device-updates). A capability file (13) is made for one device and
 * goes onto it by other means.
 */
export const DEPLOYABLE_IMAGE_TYPES: ReadonlySet<number> = new Set([ImageType.applications, ImageType.customerBoardConfig]);

export type FleetNameKind = 'product' | 'device group';

/** A product or device group name as typed (trimmed), or a specific InvalidArgumentError. */
export function requireFleetName(kind: FleetNameKind, value: string): string {
  const label = kind === 'product' ? 'The product name' : 'The device group name';
  const v = (value ?? '').trim();
  if (!v) throw new InvalidArgumentError(`${label} is empty.`);
  if (v.length > MAX_FLEET_NAME_LENGTH) throw new InvalidArgumentError(`${label} is ${v.length} characters long; at most ${MAX_FLEET_NAME_LENGTH} are allowed.`);
  const bad = [...new Set([...v].filter((ch) => !/[A-Za-z0-9 ]/.test(ch)))];
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((ch) => (/\s/.test(ch) || ch.charCodeAt(0) < 0x20 ? `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : `"${ch}"`));
    throw new InvalidArgumentError(`${label} "${v.length > 60 ? `${v.slice(0, 60)}…` : v}" contains ${shown.join(', ')}; names can only contain letters, digits and spaces.`);
  }
  return v;
}

/** An optional description: text without control characters. */
export function requireDescription(kind: FleetNameKind, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidArgumentError(`The ${kind} description must be text.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new InvalidArgumentError(`The ${kind} description contains control characters.`);
  return value;
}

export function requireOsFeedType(value: number | undefined): number | undefined {
  if (value === undefined || Object.values(OsFeedType).includes(value as 0 | 1)) return value;
  throw new InvalidArgumentError(`Unknown OS feed ${String(value)}; use ${OsFeedType.Retail} (Retail) or ${OsFeedType.RetailEval} (Retail Evaluation).`);
}

export function requireUpdatePolicy(value: number | undefined): number | undefined {
  if (value === undefined || Object.values(UpdatePolicy).includes(value as 0 | 1)) return value;
  throw new InvalidArgumentError(`Unknown update policy ${String(value)}; use ${UpdatePolicy.UpdateAll} (UpdateAll) or ${UpdatePolicy.No3rdPartyAppUpdates} (No3rdPartyAppUpdates).`);
}

/**
 * The image IDs of a deployment, lower-cased: at least one, each a GUID, none twice; and where `known` holds an
 * image's metadata, of a type a deployment can carry, one per component.
 */
export function requireDeploymentImages(imageIds: readonly string[], known: readonly ImageMetadata[] = []): string[] {
  if (!Array.isArray(imageIds)) throw new InvalidArgumentError('The images to deploy must be a list of image IDs.');
  if (imageIds.length === 0) throw new InvalidArgumentError('A deployment needs at least one image; none was chosen.');
  const ids: string[] = [];
  const components = new Map<string, string>();
  for (const raw of imageIds) {
    const id = requireGuid('image ID', raw);
    if (ids.includes(id)) throw new InvalidArgumentError(`Image ${id} is chosen twice.`);
    const meta = known.find((m) => m.Id.toLowerCase() === id);
    if (meta) {
      if (!DEPLOYABLE_IMAGE_TYPES.has(meta.Type)) {
        throw new InvalidArgumentError(
          `Image ${id} ("${meta.Name}") is of type ${meta.Type} (${imageTypeName(meta.Type)}) and cannot be deployed; a deployment holds application and board configuration images.`,
        );
      }
      const component = meta.ComponentId.toLowerCase();
      const other = components.get(component);
      if (other) throw new InvalidArgumentError(`Images ${other} and ${id} are both of component ${component}; a deployment holds one image per component.`);
      components.set(component, id);
    }
    ids.push(id);
  }
  return ids;
}
