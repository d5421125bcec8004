// The legacy v2 fleet endpoints (docs/cloud-api.md#products-and-device-groups): list and read products and device
// groups, and move a claimed device into a device group (an Operation, as the service does). The security API routes
// the paths here and lends its role check and error shape through `ApiGuard`, so both answer alike.
import type { EmulatorContext } from './context';
import { deviceGroupV2, productV2, type DeviceGroup, type Product } from './fleet-model';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import { completedOperation, ErrorCode, OperationType, ROLE_NAMES, type RoleName, type Tenant, type User } from './model';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const READ_ROLES: readonly RoleName[] = ROLE_NAMES;
/** Moving devices is device management, which Contributors may do as well as Administrators. */
const MOVE_ROLES: readonly RoleName[] = ['Administrator', 'Contributor'];

/** What the security API lends the fleet routes. */
export interface ApiGuard {
  /** The tenant, if the user holds one of `allowed` there; throws the service's 403 otherwise. */
  tenantFor(tenantId: string, user: User, allowed: readonly RoleName[], action: string): Tenant;
  /** The upper-case device ID if it is well-formed (else 400) and claimed into `tenant` (else 404). */
  claimedDevice(tenant: Tenant, rawDeviceId: unknown): string;
  /** Throws the service's `{Code, Message}` error. */
  fail(status: number, code: number, message: string): never;
}

export class FleetApi {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly guard: ApiGuard,
  ) {}

  private get fleet() {
    return this.ctx.store.state.fleet;
  }

  /** Answers `rest` (the path after /v2/tenants/{t}/) if it is a fleet path; undefined otherwise. */
  route(req: EmuRequest, tenantId: string, rest: string[], user: User): Promise<EmuResponse> | EmuResponse | undefined {
    const m = req.method;
    // The published paths mix `deviceGroups` and `devicegroups`; accept either spelling of the fixed words.
    const [a, b, c] = rest.map((s, i) => (i === 1 ? s : s.toLowerCase()));
    if (a === 'products' && m === 'GET') {
      if (rest.length === 1) return this.listProducts(tenantId, user);
      if (rest.length === 2) return this.getProduct(tenantId, b!, user);
      if (rest.length === 3 && c === 'devicegroups') return this.listGroups(tenantId, b!, user);
    }
    if (a === 'devicegroups' && m === 'GET' && rest.length === 2) return this.getGroup(tenantId, b!, user);
    if (a === 'devices' && m === 'PUT' && rest.length === 3 && c === 'devicegroup') return this.moveDevice(req, tenantId, b!, user);
    return undefined;
  }

  private listProducts(tenantId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'list products');
    // A tenant holds a handful of products, so one page carries them all.
    return jsonResponse(200, { Items: this.fleet.productsOf(tenant.id).map(productV2), ContinuationToken: null });
  }

  private getProduct(tenantId: string, rawId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'read products');
    return jsonResponse(200, productV2(this.productIn(tenant, rawId)));
  }

  private listGroups(tenantId: string, rawProductId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'list device groups');
    const product = this.productIn(tenant, rawProductId);
    return jsonResponse(200, { Items: this.fleet.groupsOf(product.id).map(deviceGroupV2), ContinuationToken: null });
  }

  private getGroup(tenantId: string, rawId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'read device groups');
    return jsonResponse(200, deviceGroupV2(this.groupIn(tenant, rawId)));
  }

  private async moveDevice(req: EmuRequest, tenantId: string, rawDeviceId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, MOVE_ROLES, 'move devices between device groups');
    const deviceId = this.guard.claimedDevice(tenant, rawDeviceId);
    const group = this.groupIn(tenant, this.groupIdFromBody(req));
    const operation = completedOperation(OperationType.DeviceUpdateDeviceGroup, tenant.id, `/v2/tenants/${tenant.id}/devices/${deviceId}`);
    await this.ctx.store.commit({ t: 'deviceMove', tenantId: tenant.id, deviceId, groupId: group.id, operation });
    return jsonResponse(202, operation, { location: `/v2/tenants/${tenant.id}/operations/${operation.OperationId}` });
  }

  /** The move's body is a bare JSON string, the group's ID (learn.microsoft.com/rest/api/azure-sphere/devices/move). */
  private groupIdFromBody(req: EmuRequest): string {
    const text = req.body.toString('utf8').trim();
    let value: unknown;
    try {
      value = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      this.guard.fail(400, ErrorCode.BadRequest, 'the request body is not valid JSON');
    }
    if (typeof value !== 'string') {
      this.guard.fail(400, ErrorCode.BadRequest, 'The request body must be the device group ID as a JSON string, e.g. "6f52bead-700d-4289-bdc2-2f11f774270e".');
    }
    return value;
  }

  private productIn(tenant: Tenant, rawId: string): Product {
    const id = this.guidOrFail('Product', rawId);
    const product = this.fleet.products.get(id);
    // Another tenant's product is "not found" here, as a missing one: its existence is not this caller's to learn.
    if (!product || product.tenantId !== tenant.id) this.guard.fail(404, ErrorCode.NotFound, `Product '${id}' was not found in tenant '${tenant.name}'.`);
    return product;
  }

  private groupIn(tenant: Tenant, rawId: string): DeviceGroup {
    const id = this.guidOrFail('Device group', rawId);
    const group = this.fleet.groups.get(id);
    if (!group || group.tenantId !== tenant.id) this.guard.fail(404, ErrorCode.NotFound, `Device group '${id}' was not found in tenant '${tenant.name}'.`);
    return group;
  }

  private guidOrFail(label: string, raw: string): string {
    if (!GUID.test(raw)) this.guard.fail(400, ErrorCode.BadRequest, `${label} ID '${raw.slice(0, 80)}' is not valid: it must be a GUID.`);
    return raw.toLowerCase();
  }
}
