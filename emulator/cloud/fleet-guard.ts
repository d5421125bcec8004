// What every fleet route shares: the role check and error shape the security API lends (`ApiGuard`), who may do
// what, and the lookups that turn a path's IDs into the tenant's products, groups and images — another tenant's
// being "not found" exactly like a missing one, since its existence is not the caller's to learn.
import type { EmulatorContext } from './context';
import type { DeviceGroup, FleetImage, Product } from './fleet-model';
import { readPageRequest, type PageRequest } from './fleet-paging';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import { ErrorCode, ROLE_NAMES, type Operation, type RoleName, type Tenant, type User } from './model';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Anyone with a role in the tenant reads its fleet (Reader only reads). */
export const READ_ROLES: readonly RoleName[] = ROLE_NAMES;
/**
 * Contributors create and change products, device groups, images, deployments and devices as Administrators do
 * ("Manage users and roles", learn.microsoft.com/azure-sphere/deployment/manage-users-roles: a Contributor "can claim
 * devices, add devices and device groups, download device capabilities, and create and change deployments").
 */
export const MANAGE_ROLES: readonly RoleName[] = ['Administrator', 'Contributor'];
/** The same page: a Contributor "cannot perform any delete operations"; users, roles and the tenant are the Administrator's too. */
export const ADMIN_ROLES: readonly RoleName[] = ['Administrator'];

/** 202 with the Operation and where to poll it, as the service answers the calls it runs as Operations. */
export function operationResponse(operation: Operation, status = 202): EmuResponse {
  return jsonResponse(status, operation, { location: `/v2/tenants/${operation.TenantId}/operations/${operation.OperationId}` });
}

/** What the security API lends the fleet routes. */
export interface ApiGuard {
  /** The tenant, if the user holds one of `allowed` there; throws the service's 403 otherwise. */
  tenantFor(tenantId: string, user: User, allowed: readonly RoleName[], action: string): Tenant;
  /** The upper-case device ID if it is well-formed (else 400) and claimed into `tenant` (else 404). */
  claimedDevice(tenant: Tenant, rawDeviceId: unknown): string;
  /** Throws the service's `{Code, Message}` error. */
  fail(status: number, code: number, message: string): never;
}

/** Lookups and body parsing over the current state, failing the way the service does. */
export class FleetLookup {
  constructor(
    private readonly ctx: EmulatorContext,
    readonly guard: ApiGuard,
  ) {}

  get fleet() {
    return this.ctx.store.state.fleet;
  }

  badRequest(message: string): never {
    return this.guard.fail(400, ErrorCode.BadRequest, message);
  }

  guid(label: string, raw: string): string {
    if (!GUID.test(raw)) this.badRequest(`${label} ID '${raw.slice(0, 80)}' is not valid: it must be a GUID.`);
    return raw.toLowerCase();
  }

  productIn(tenant: Tenant, rawId: string): Product {
    const id = this.guid('Product', rawId);
    const product = this.fleet.products.get(id);
    if (!product || product.tenantId !== tenant.id) this.guard.fail(404, ErrorCode.NotFound, `Product '${id}' was not found in tenant '${tenant.name}'.`);
    return product;
  }

  productNamed(tenant: Tenant, name: string): Product {
    const product = this.fleet.productByName(tenant.id, name);
    if (!product) this.guard.fail(404, ErrorCode.NotFound, `No product named '${name.slice(0, 60)}' in tenant '${tenant.name}'.`);
    return product;
  }

  groupIn(tenant: Tenant, rawId: string): DeviceGroup {
    const id = this.guid('Device group', rawId);
    const group = this.fleet.groups.get(id);
    if (!group || group.tenantId !== tenant.id) this.guard.fail(404, ErrorCode.NotFound, `Device group '${id}' was not found in tenant '${tenant.name}'.`);
    return group;
  }

  imageIn(tenant: Tenant, rawId: string): FleetImage {
    const id = this.guid('Image', rawId);
    const image = this.fleet.image(tenant.id, id);
    if (!image) this.guard.fail(404, ErrorCode.NotFound, `Image '${id}' was not found in tenant '${tenant.name}'.`);
    return image;
  }

  page(req: EmuRequest, listKey: string): PageRequest {
    return readPageRequest(req, listKey, (message) => this.badRequest(message));
  }

  /** A JSON body of any shape; `expected` says what it should be when it is not JSON at all. */
  jsonBody(req: EmuRequest, expected: string): unknown {
    const text = req.body.toString('utf8').trim();
    if (text.length === 0) this.badRequest(`The request body is empty; ${expected} is expected.`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return this.badRequest(`The request body is not valid JSON; ${expected} is expected.`);
    }
  }

  /** A JSON object body. */
  objectBody(req: EmuRequest, expected: string): Record<string, unknown> {
    const value = this.jsonBody(req, expected);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.badRequest(`The request body must be ${expected}.`);
    return value as Record<string, unknown>;
  }
}
