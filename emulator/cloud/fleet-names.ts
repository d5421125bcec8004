// The naming rules of products and device groups as "Deployment basics" states them
// (learn.microsoft.com/azure-sphere/deployment/deployment-concepts, and `azsphere product|device-group create --name`):
// letters, digits and spaces only, at most 50 characters, compared without case — unique in the tenant for a product,
// in the product for a device group (the uniqueness is checked by the routes, which know the neighbours).

export const MAX_FLEET_NAME_LENGTH = 50;
/** The emulator's own bound on descriptions: the service documents none, and an unbounded one would bloat every list. */
export const MAX_DESCRIPTION_LENGTH = 100;

const NAME = /^[A-Za-z0-9 ]+$/;
/** The rule in the words of "Deployment basics". */
const RULE = 'names for products and device groups can only contain alphanumeric characters and spaces, and cannot exceed 50 characters';

export type FleetKind = 'Product' | 'Device group';

/** Why `raw` cannot be a product or device group name, in the service's words; undefined when it can. */
export function fleetNameProblem(kind: FleetKind, raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.trim().length === 0) return `${kind} name is required: ${RULE}.`;
  const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
  if (raw.length > MAX_FLEET_NAME_LENGTH) return `${kind} name '${shown}' is ${raw.length} characters long: ${RULE}.`;
  if (!NAME.test(raw)) return `${kind} name '${shown}' is not valid: ${RULE}.`;
  // Names are compared as typed; edge spaces would make two names look alike in every list.
  if (raw !== raw.trim()) return `${kind} name '${shown}' is not valid: it cannot start or end with a space.`;
  return undefined;
}

/** Why `raw` cannot be a description; undefined when it can (absent is fine: it becomes ''). */
export function descriptionProblem(kind: FleetKind, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return `${kind} description must be a string.`;
  if (raw.length > MAX_DESCRIPTION_LENGTH) return `${kind} description is ${raw.length} characters long; it can have at most ${MAX_DESCRIPTION_LENGTH}.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return `${kind} description cannot contain control characters.`;
  return undefined;
}
