// What every Microsoft.AzureSphere route shares: the request with its catalog, the services it calls, the Azure role
// check (Owner and Contributor write; Reader reads, which here includes the list and count actions), the lookups of
// products, device groups, devices and images by the names in the path (ResourceNotFound otherwise), and body parsing.
import type { EmulatorContext } from '../context';
import type { DeviceGroup, FleetImage, Product } from '../fleet-model';
import type { FleetImageStore } from '../fleet-image-store';
import type { EmuRequest } from '../http';
import type { User } from '../model';
import { authorizationFailed, badRequest, resourceNotFound } from './arm-errors';
import type { ArmOperations } from './arm-operations';
import { TYPES, type CatalogScope } from './arm-resources';
import { isSystemName } from './arm-names';
import type { ArmRole } from './sphere-catalogs';

export interface SphereDeps {
  ctx: EmulatorContext;
  ops: ArmOperations;
  imageStore: FleetImageStore;
}

/** A request to a catalog or below it: `rest` are the path segments after `catalogs/{name}` (decoded), `low` the same lower-cased. */
export interface SphereCall {
  req: EmuRequest;
  user: User;
  scope: CatalogScope;
  rest: string[];
  low: string[];
}

export type Access = 'read' | 'write' | 'delete' | 'action';
const ALLOWED: Record<Access, readonly ArmRole[]> = {
  read: ['Owner', 'Contributor', 'Reader'],
  write: ['Owner', 'Contributor'],
  delete: ['Owner', 'Contributor'],
  action: ['Owner', 'Contributor'],
};

/**
 * Throws ARM's AuthorizationFailed unless the user's role at `resourceId` (or above) allows `access`. `operation` is
 * the RBAC operation named in the message, e.g. `Microsoft.AzureSphere/catalogs/products/write`.
 */
export function authorize(ctx: EmulatorContext, user: User, resourceId: string, access: Access, operation: string): void {
  const role = ctx.store.state.sphere.roleAt(user.oid, resourceId);
  if (!role || !ALLOWED[access].includes(role)) throw authorizationFailed(user.email, user.oid, operation, resourceId);
}

/** The RBAC operation of `access` on a resource type: `…/products/write`, `…/catalogs/countDevices/action`. */
export function operationName(type: string, access: Access | string): string {
  return `${type}/${access === 'read' || access === 'write' || access === 'delete' ? access : `${access}/action`}`;
}

export function fleetOf(deps: SphereDeps) {
  return deps.ctx.store.state.fleet;
}

export function productNamed(deps: SphereDeps, scope: CatalogScope, name: string): Product {
  const product = fleetOf(deps).productByName(scope.tenant.id, name);
  if (!product) throw resourceNotFound(TYPES.product, `${scope.catalog.name}/${name}`, scope.catalog.resourceGroup);
  return product;
}

export function groupNamed(deps: SphereDeps, scope: CatalogScope, product: Product, name: string): DeviceGroup {
  const group = fleetOf(deps).groupByName(product.id, name);
  if (!group) throw resourceNotFound(TYPES.deviceGroup, `${scope.catalog.name}/${product.name}/${name}`, scope.catalog.resourceGroup);
  return group;
}

/** The group a `products/{p}/deviceGroups/{g}` path names; undefined for the catalog level (`.default`/`.unassigned` in both). */
export function groupOfPath(deps: SphereDeps, scope: CatalogScope, productName: string, groupName: string): DeviceGroup | undefined {
  if (isSystemName(productName) && isSystemName(groupName)) return undefined;
  if (isSystemName(productName) || isSystemName(groupName)) {
    throw badRequest(`'${productName}/${groupName}' addresses no device group: use '.unassigned' (or '.default') for both the product and the device group to mean the catalog level.`, 'deviceGroupName');
  }
  return groupNamed(deps, scope, productNamed(deps, scope, productName), groupName);
}

export function imageNamed(deps: SphereDeps, scope: CatalogScope, name: string): FleetImage {
  const image = fleetOf(deps).image(scope.tenant.id, name.toLowerCase());
  if (!image) throw resourceNotFound(TYPES.image, `${scope.catalog.name}/${name}`, scope.catalog.resourceGroup);
  return image;
}

/** The JSON object body; an empty body is `{}` when `optional`. */
export function objectBody(req: EmuRequest, optional = false): Record<string, unknown> {
  const text = req.body.toString('utf8').trim();
  if (text.length === 0) {
    if (optional) return {};
    throw badRequest('The request body is empty; a JSON object is expected.', undefined, 'InvalidRequestContent');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request content is not valid JSON.', undefined, 'InvalidRequestContent');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('The request content must be a JSON object.', undefined, 'InvalidRequestContent');
  return value as Record<string, unknown>;
}

/** `body.properties` as an object (absent = `{}`). */
export function propertiesOf(body: Record<string, unknown>): Record<string, unknown> {
  const p = body.properties;
  if (p === undefined || p === null) return {};
  if (typeof p !== 'object' || Array.isArray(p)) throw badRequest("'properties' must be a JSON object.", 'properties', 'InvalidRequestContent');
  return p as Record<string, unknown>;
}

/** An enum property: one of `values` (compared without case, answered as the spec spells it), or `fallback` when absent. */
export function enumValue<T extends string>(raw: unknown, values: readonly T[], name: string, fallback: T): T {
  if (raw === undefined || raw === null) return fallback;
  const found = typeof raw === 'string' ? values.find((v) => v.toLowerCase() === raw.toLowerCase()) : undefined;
  if (!found) throw badRequest(`'${name}' must be one of ${values.join(', ')}, not ${JSON.stringify(raw)?.slice(0, 60)}.`, `properties.${name}`, 'InvalidRequestContent');
  return found;
}
