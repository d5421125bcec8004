// The Azure Sphere security service public API (docs/cloud-api.md#security-service-api): /v2 paths, PascalCase JSON,
// {Code, Message} errors, Operation objects for tenant creation and claims. Every request carries a verified bearer
// token; a user sees and touches only tenants where they hold a role. Products, device groups, devices in them,
// images, deployments and the error report are in fleet-api.ts, which this routes to and lends its role check and
// error shape.
import { randomUUID } from 'node:crypto';
import { DeviceCapability } from '../../src/device/image-package/types';
import { writeCapabilityImage } from '../common/image-package-writer';
import { authenticate } from './auth';
import type { EmulatorContext } from './context';
import { deviceV2 } from './device-v2';
import { FleetApi, type ApiGuard } from './fleet-api';
import { FleetOperations } from './fleet-operations';
import { jsonObjectBody, jsonResponse, JsonBodyError, pathSegments, type EmuRequest, type EmuResponse } from './http';
import { completedOperation, ErrorCode, OperationType, ROLE_NAMES, type RoleName, type Tenant, type User } from './model';
import { certificateDer, pkcs7ChainDer } from './pki';
import { SPHERE_API_AUDIENCE } from './scopes';
import { sphereCas } from './sphere-ca-chain';
import { createTenantCa, issueProofOfPossession, tenantCaChainPems } from './tenant-ca';

export { ErrorCode } from './model';

const DEVICE_ID = /^[0-9a-fA-F]{128}$/;
const VERIFICATION_CODE = /^[A-Za-z0-9-]{1,64}$/;
const MAX_PAGE_SIZE = 1000;
const READ_ROLES: RoleName[] = ['Administrator', 'Contributor', 'Reader'];
const CLAIM_ROLES: RoleName[] = ['Administrator', 'Contributor'];
const ADMIN_ROLES: RoleName[] = ['Administrator'];
/**
 * What a tenant may download for its devices: the two types `azsphere device capability download --type` offers
 * (learn.microsoft.com/azure-sphere/reference/azsphere-device); RF test mode is not among them.
 */
const GRANTABLE_CAPABILITIES: Readonly<Record<number, string>> = {
  [DeviceCapability.enableAppDevelopment]: 'AppDevelopment',
  [DeviceCapability.enableFieldServicing]: 'FieldServicing',
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function apiError(status: number, code: number, message: string): EmuResponse {
  return jsonResponse(status, { Code: code, Message: message });
}

function deviceIdOrThrow(raw: unknown): string {
  if (typeof raw !== 'string' || !DEVICE_ID.test(raw)) {
    throw new ApiError(400, ErrorCode.BadRequest, `Device ID '${String(raw).slice(0, 140)}' is not valid: a device ID is 128 hexadecimal characters.`);
  }
  return raw.toUpperCase();
}

function capabilitiesOrThrow(raw: unknown): number[] {
  const allowed = Object.entries(GRANTABLE_CAPABILITIES).map(([value, name]) => `${value} (${name})`).join(', ');
  if (!Array.isArray(raw)) throw new ApiError(400, ErrorCode.BadRequest, `Capabilities must be a list of capability numbers: ${allowed}, or none.`);
  const seen = new Set<number>();
  for (const c of raw) {
    if (typeof c !== 'number' || GRANTABLE_CAPABILITIES[c] === undefined) {
      throw new ApiError(400, ErrorCode.BadRequest, `Capability '${String(JSON.stringify(c)).slice(0, 40)}' cannot be granted; use ${allowed}.`);
    }
    if (seen.has(c)) throw new ApiError(400, ErrorCode.BadRequest, `Capability ${c} is listed twice.`);
    seen.add(c);
  }
  return [...seen];
}

function principalOf(user: User, roles: Iterable<RoleName>): Record<string, unknown> {
  return { PrincipalId: user.oid, DisplayName: user.displayName, Mail: user.email, Roles: sortRoles(roles) };
}

function sortRoles(roles: Iterable<RoleName>): RoleName[] {
  return [...roles].sort((a, b) => ROLE_NAMES.indexOf(a) - ROLE_NAMES.indexOf(b));
}

/** Why `raw` cannot be a tenant's name (created or renamed); undefined when it can. */
function tenantNameProblem(raw: unknown, field: string): string | undefined {
  if (typeof raw !== 'string' || raw.trim().length === 0 || raw.trim().length > 50 || [...raw].some((ch) => ch.charCodeAt(0) < 0x20)) {
    return `${field} must be 1 to 50 printable characters.`;
  }
  return undefined;
}

export interface SecurityApiOptions {
  /** How long fleet Operations stay InProgress (fleet-operations.ts); 0 ends them within their request. */
  operationDelayMs?: number;
  log?: (line: string) => void;
}

export class SecurityApi implements ApiGuard {
  private readonly fleet: FleetApi;
  /** The fleet's running Operations: their delay is a test hook, and they stop with the emulator. */
  readonly fleetOperations: FleetOperations;

  constructor(
    private readonly ctx: EmulatorContext,
    options: SecurityApiOptions = {},
  ) {
    this.fleetOperations = new FleetOperations(ctx, options.operationDelayMs, options.log);
    this.fleet = new FleetApi(ctx, this, this.fleetOperations);
  }

  close(): void {
    this.fleetOperations.close();
  }

  private get state() {
    return this.ctx.store.state;
  }

  async handle(req: EmuRequest): Promise<EmuResponse | undefined> {
    const s = pathSegments(req.path);
    if (!s || s[0] !== 'v2') return undefined;
    const auth = authenticate(this.ctx, req, SPHERE_API_AUDIENCE);
    if (!auth.ok) {
      return jsonResponse(
        401,
        { Code: ErrorCode.Forbidden, Message: `Authentication failed: ${auth.reason}.` },
        { 'www-authenticate': auth.missing ? 'Bearer' : 'Bearer error="invalid_token"' },
      );
    }
    try {
      return await this.route(req, s.slice(1), auth.user);
    } catch (err) {
      if (err instanceof ApiError) return apiError(err.status, err.code, err.message);
      if (err instanceof JsonBodyError) return apiError(400, ErrorCode.BadRequest, err.message);
      throw err;
    }
  }

  private async route(req: EmuRequest, s: string[], user: User): Promise<EmuResponse | undefined> {
    const m = req.method;
    if (s.length === 2 && s[0] === 'users' && s[1] === 'register' && m === 'POST') return this.registerUser(req, user);
    if (s.length === 1 && s[0] === 'roles' && m === 'GET') return jsonResponse(200, [...ROLE_NAMES]);
    if (s[0] !== 'tenants') return undefined;
    if (s.length === 1 && m === 'GET') return this.listTenants(user);
    if (s.length === 2 && s[1] === 'create' && m === 'POST') return this.createTenant(req, user);
    if (s.length < 2) return undefined;
    const tenantId = s[1]!.toLowerCase();
    const rest = s.slice(2);
    if (rest.length === 0 && m === 'GET') return this.getTenant(tenantId, user);
    if (rest.length === 0 && m === 'PATCH') return this.renameTenant(req, tenantId, user);
    const [a, b, c, d] = rest;
    if (m === 'GET' && rest.length === 2 && a === 'operations') return this.getOperation(tenantId, b!, user);
    if (m === 'GET' && rest.length === 1 && a === 'users') return this.listUsers(tenantId, user);
    if (rest.length >= 3 && a === 'users' && c === 'role') {
      if (m === 'GET' && rest.length === 3) return this.userRoles(tenantId, b!, user);
      if (m === 'PUT' && rest.length === 3) return this.assignRole(tenantId, b!, jsonObjectBody(req).Role, user);
      if (m === 'DELETE' && rest.length === 4) return this.unassignRole(tenantId, b!, d!, user);
      // The published paths (learn.microsoft.com/rest/api/azure-sphere/access-control/assign-role, …/unassign-role).
      const verb = rest[4]?.toLowerCase();
      if (m === 'POST' && rest.length === 5 && verb === 'assign') return this.assignRole(tenantId, b!, d, user);
      if (m === 'POST' && rest.length === 5 && verb === 'unassign') return this.unassignRole(tenantId, b!, d!, user);
    }
    // `devices/count` is the fleet's (a count, not a device called "count").
    if (a === 'devices' && !(rest.length === 2 && b?.toLowerCase() === 'count')) {
      if (m === 'GET' && rest.length === 1) return this.listDevices(req, tenantId, user);
      if (m === 'GET' && rest.length === 2) return this.getDevice(tenantId, b!, user);
      if (m === 'PUT' && rest.length === 3 && c === 'claim') return this.claim(tenantId, b!, user);
    }
    if (m === 'POST' && rest.length === 1 && a?.toLowerCase() === 'devicecapabilityimage') return this.capabilityImage(req, tenantId, user);
    if (m === 'GET' && rest.length === 1 && a === 'certificates') return this.listCertificates(tenantId, user);
    if (m === 'GET' && rest.length === 1 && a === 'cert') return this.downloadCertificate(req, tenantId, user);
    if (m === 'GET' && rest.length === 1 && a === 'certchain') return this.downloadChain(req, tenantId, user);
    if (m === 'GET' && rest.length === 2 && a === 'verification') return this.proofOfPossession(req, tenantId, b!, user);
    return this.fleet.route(req, tenantId, rest, user);
  }

  /** The tenant, if the user holds one of `allowed` there; 403 otherwise (also for tenants that do not exist). */
  tenantFor(tenantId: string, user: User, allowed: readonly RoleName[], action: string): Tenant {
    const tenant = this.state.tenants.get(tenantId);
    const roles = tenant?.roles.get(user.oid);
    if (!tenant || !roles || roles.size === 0) {
      throw new ApiError(403, ErrorCode.Forbidden, `The user does not have access to tenant '${tenantId}'.`);
    }
    if (![...roles].some((r) => allowed.includes(r))) {
      throw new ApiError(403, ErrorCode.Forbidden, `The ${sortRoles(roles).join('/')} role cannot ${action} in tenant '${tenant.name}'; it needs ${allowed.join(' or ')}.`);
    }
    return tenant;
  }

  claimedDevice(tenant: Tenant, rawDeviceId: unknown): string {
    const deviceId = deviceIdOrThrow(rawDeviceId);
    if (this.state.claims.get(deviceId) !== tenant.id) {
      throw new ApiError(404, ErrorCode.NotFound, `Device '${deviceId}' is not claimed to tenant '${tenant.name}'.`);
    }
    return deviceId;
  }

  fail(status: number, code: number, message: string): never {
    throw new ApiError(status, code, message);
  }

  private requireRegistered(user: User): void {
    if (!user.registered) {
      throw new ApiError(403, ErrorCode.Forbidden, `The user '${user.email}' is not registered with Azure Sphere. Register it first (azsphere register-user).`);
    }
  }

  private async registerUser(req: EmuRequest, caller: User): Promise<EmuResponse> {
    let target = caller;
    if (req.body.length > 0) {
      const email = jsonObjectBody(req).Email;
      if (email !== undefined) {
        if (typeof email !== 'string') throw new ApiError(400, ErrorCode.BadRequest, 'Email must be a string.');
        const found = this.state.usersByEmail.get(email.trim().toLowerCase());
        if (!found) throw new ApiError(404, ErrorCode.NotFound, `No account '${email}' exists in the identity directory.`);
        target = found;
      }
    }
    if (!target.registered) await this.ctx.store.commit({ t: 'registered', oid: target.oid });
    return jsonResponse(200, { PrincipalId: target.oid, DisplayName: target.displayName, Mail: target.email });
  }

  private tenantIdentity(tenant: Tenant, user: User): Record<string, unknown> {
    return { Id: tenant.id, Name: tenant.name, Roles: sortRoles(tenant.roles.get(user.oid) ?? []) };
  }

  private listTenants(user: User): EmuResponse {
    this.requireRegistered(user);
    const visible = [...this.state.tenants.values()].filter((t) => (t.roles.get(user.oid)?.size ?? 0) > 0);
    return jsonResponse(200, visible.map((t) => this.tenantIdentity(t, user)));
  }

  private getTenant(tenantId: string, user: User): EmuResponse {
    return jsonResponse(200, this.tenantIdentity(this.tenantFor(tenantId, user, READ_ROLES, 'read the tenant'), user));
  }

  private async createTenant(req: EmuRequest, user: User): Promise<EmuResponse> {
    this.requireRegistered(user);
    const body = jsonObjectBody(req);
    const deviceId = deviceIdOrThrow(body.DeviceId);
    const rawName = body.TenantFriendlyName;
    const nameProblem = tenantNameProblem(rawName, 'TenantFriendlyName');
    if (nameProblem) throw new ApiError(400, ErrorCode.BadRequest, nameProblem);
    const name = (rawName as string).trim();
    if (body.ForceAdditional !== undefined && typeof body.ForceAdditional !== 'boolean') {
      throw new ApiError(400, ErrorCode.BadRequest, 'ForceAdditional must be true or false.');
    }
    const force = body.ForceAdditional === true;
    const check = (): void => {
      if (this.state.claims.has(deviceId)) {
        throw new ApiError(409, ErrorCode.Conflict, `Device '${deviceId}' is already claimed; a tenant can only be created with an unclaimed device.`);
      }
      if (this.state.tenantCreationDevices.has(deviceId)) {
        throw new ApiError(409, ErrorCode.Conflict, `Device '${deviceId}' has already been used to create a tenant; each device can create one tenant.`);
      }
      const inDirectory = [...this.state.tenants.values()].filter((t) => t.directoryId === user.directoryId);
      if (inDirectory.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
        throw new ApiError(409, ErrorCode.Conflict, `A tenant named '${name}' already exists in this directory.`);
      }
      if (inDirectory.length > 0 && !force) {
        throw new ApiError(409, ErrorCode.Conflict, `This directory already has an Azure Sphere tenant ('${inDirectory[0]!.name}'). Set ForceAdditional to create another (azsphere tenant create --force-additional).`);
      }
    };
    check();
    const tenantId = randomUUID();
    const ca = await createTenantCa(tenantId, await sphereCas(this.ctx.store));
    check(); // again: another request may have used the device while the key was generated
    const operation = completedOperation(OperationType.TenantCreation, tenantId, `/v2/tenants/${tenantId}`);
    await this.ctx.store.commit({
      t: 'tenant',
      id: tenantId,
      name,
      directoryId: user.directoryId,
      createdByOid: user.oid,
      createdFromDeviceId: deviceId,
      createdUtc: operation.CreatedDateUTC,
      ca,
      operation,
    });
    return jsonResponse(200, operation);
  }

  /**
   * `PATCH /v2/tenants/{t}` `{"Name"}` → 200 `{Id, Name, Roles}` (learn.microsoft.com/rest/api/azure-sphere/tenants/patch):
   * Administrators only; the same name rules as a new tenant's, unique in the directory.
   */
  private async renameTenant(req: EmuRequest, tenantId: string, user: User): Promise<EmuResponse> {
    const tenant = this.tenantFor(tenantId, user, ADMIN_ROLES, 'rename the tenant');
    const raw = jsonObjectBody(req).Name;
    const problem = tenantNameProblem(raw, 'Name');
    if (problem) throw new ApiError(400, ErrorCode.BadRequest, problem);
    const name = (raw as string).trim();
    const taken = [...this.state.tenants.values()].find((t) => t.id !== tenant.id && t.directoryId === tenant.directoryId && t.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new ApiError(409, ErrorCode.Conflict, `A tenant named '${taken.name}' already exists in this directory.`);
    if (name !== tenant.name) await this.ctx.store.commit({ t: 'tenantRename', tenantId: tenant.id, name });
    return jsonResponse(200, this.tenantIdentity(tenant, user));
  }

  private getOperation(tenantId: string, operationId: string, user: User): EmuResponse {
    this.tenantFor(tenantId, user, READ_ROLES, 'read operations');
    const op = this.state.operations.get(operationId.toLowerCase());
    if (!op || op.TenantId !== tenantId) throw new ApiError(404, ErrorCode.NotFound, `Operation '${operationId}' was not found.`);
    return jsonResponse(200, op);
  }

  private listUsers(tenantId: string, user: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, user, READ_ROLES, 'list users');
    const principals = [...tenant.roles.entries()].flatMap(([oid, roles]) => {
      const u = this.state.users.get(oid);
      return u ? [principalOf(u, roles)] : [];
    });
    return jsonResponse(200, { TenantId: tenant.id, Principals: principals });
  }

  private userByNameOrId(nameOrId: string): User {
    const user = this.state.usersByEmail.get(nameOrId.toLowerCase()) ?? this.state.users.get(nameOrId.toLowerCase());
    if (!user) throw new ApiError(404, ErrorCode.NotFound, `User '${nameOrId}' was not found.`);
    return user;
  }

  private userRoles(tenantId: string, nameOrId: string, caller: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, caller, READ_ROLES, 'read roles');
    const target = this.userByNameOrId(nameOrId);
    return jsonResponse(200, principalOf(target, tenant.roles.get(target.oid) ?? []));
  }

  private roleOrThrow(raw: unknown): RoleName {
    const found = ROLE_NAMES.find((r) => typeof raw === 'string' && r.toLowerCase() === raw.toLowerCase());
    if (!found) throw new ApiError(400, ErrorCode.BadRequest, `Role '${String(raw)}' is not valid; use ${ROLE_NAMES.join(', ')}.`);
    return found;
  }

  private async assignRole(tenantId: string, nameOrId: string, rawRole: unknown, caller: User): Promise<EmuResponse> {
    const tenant = this.tenantFor(tenantId, caller, ADMIN_ROLES, 'assign roles');
    const role = this.roleOrThrow(rawRole);
    const target = this.userByNameOrId(nameOrId);
    if (target.directoryId !== tenant.directoryId) {
      throw new ApiError(400, ErrorCode.BadRequest, `User '${target.email}' belongs to another directory than tenant '${tenant.name}'.`);
    }
    if (!target.registered) {
      throw new ApiError(400, ErrorCode.BadRequest, `User '${target.email}' is not registered with Azure Sphere (azsphere register-user --new-user ${target.email}).`);
    }
    if (!tenant.roles.get(target.oid)?.has(role)) await this.ctx.store.commit({ t: 'role', tenantId, oid: target.oid, role, grant: true });
    return jsonResponse(200, principalOf(target, tenant.roles.get(target.oid) ?? []));
  }

  private async unassignRole(tenantId: string, nameOrId: string, roleName: string, caller: User): Promise<EmuResponse> {
    const tenant = this.tenantFor(tenantId, caller, ADMIN_ROLES, 'remove roles');
    const role = this.roleOrThrow(roleName);
    const target = this.userByNameOrId(nameOrId);
    if (!tenant.roles.get(target.oid)?.has(role)) {
      throw new ApiError(404, ErrorCode.NotFound, `User '${target.email}' does not hold the ${role} role in tenant '${tenant.name}'.`);
    }
    if (role === 'Administrator') {
      const admins = [...tenant.roles.values()].filter((r) => r.has('Administrator')).length;
      if (admins <= 1) throw new ApiError(409, ErrorCode.Conflict, `Tenant '${tenant.name}' must keep at least one Administrator.`);
    }
    await this.ctx.store.commit({ t: 'role', tenantId, oid: target.oid, role, grant: false });
    return jsonResponse(200, principalOf(target, tenant.roles.get(target.oid) ?? []));
  }

  private listDevices(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, user, READ_ROLES, 'list devices');
    const sizeParam = req.url.searchParams.get('maxPageSize');
    let pageSize = MAX_PAGE_SIZE;
    if (sizeParam !== null) {
      pageSize = Number(sizeParam);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw new ApiError(400, ErrorCode.BadRequest, `maxPageSize must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
      }
    }
    // The device list only grows at its end (claims are forever), so an offset is a stable continuation point.
    let offset = 0;
    const continuation = req.headers['sphere-continuation'];
    if (typeof continuation === 'string' && continuation.length > 0) {
      let decoded: { t?: unknown; o?: unknown } = {};
      try {
        decoded = JSON.parse(Buffer.from(continuation, 'base64url').toString('utf8')) as typeof decoded;
      } catch {
        /* reported below */
      }
      if (decoded.t !== tenant.id || typeof decoded.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0 || decoded.o > tenant.deviceOrder.length) {
        throw new ApiError(400, ErrorCode.BadRequest, 'The Sphere-Continuation token is not valid for this list.');
      }
      offset = decoded.o;
    }
    const end = Math.min(offset + pageSize, tenant.deviceOrder.length);
    const items = tenant.deviceOrder.slice(offset, end).map((id) => deviceV2(this.state, id, tenant.id));
    const next = end < tenant.deviceOrder.length ? Buffer.from(JSON.stringify({ t: tenant.id, o: end })).toString('base64url') : null;
    return jsonResponse(200, { Items: items, ContinuationToken: next });
  }

  private getDevice(tenantId: string, rawId: string, user: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, user, READ_ROLES, 'read devices');
    const deviceId = this.claimedDevice(tenant, rawId);
    return jsonResponse(200, deviceV2(this.state, deviceId, tenant.id));
  }

  private async claim(tenantId: string, rawId: string, user: User): Promise<EmuResponse> {
    const tenant = this.tenantFor(tenantId, user, CLAIM_ROLES, 'claim devices');
    const deviceId = deviceIdOrThrow(rawId);
    const owner = this.state.claims.get(deviceId);
    if (owner !== undefined && owner !== tenant.id) {
      throw new ApiError(409, ErrorCode.Conflict, `Device '${deviceId}' is already claimed to another tenant. A claimed device can never be moved to another tenant.`);
    }
    const operation = completedOperation(OperationType.DeviceClaim, tenant.id, `/v2/tenants/${tenant.id}/devices/${deviceId}`);
    await this.ctx.store.commit({ t: 'claim', tenantId: tenant.id, deviceId, operation });
    return jsonResponse(202, operation, { location: `/v2/tenants/${tenant.id}/operations/${operation.OperationId}` });
  }

  /** A capability file for one claimed device, as the service signs it (here with the emulator's test key). */
  private capabilityImage(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, user, CLAIM_ROLES, 'download device capabilities');
    const body = jsonObjectBody(req);
    const capabilities = capabilitiesOrThrow(body.Capabilities);
    const deviceId = this.claimedDevice(tenant, body.DeviceId);
    const image = writeCapabilityImage({ deviceId, capabilities });
    return jsonResponse(200, { SignedDeviceCapabilityImageBytes: image.toString('base64') });
  }

  private caFor(req: EmuRequest, tenant: Tenant) {
    const wanted = req.url.searchParams.get('thumbprint');
    const now = Date.now();
    const ca = wanted
      ? tenant.cas.find((c) => c.thumbprint === wanted.toUpperCase())
      : tenant.cas.find((c) => Date.parse(c.notBefore) <= now && now < Date.parse(c.notAfter));
    if (!ca) throw new ApiError(404, ErrorCode.NotFound, wanted ? `No CA certificate with thumbprint '${wanted}' in this tenant.` : 'The tenant has no active CA certificate.');
    if (Date.parse(ca.notAfter) <= now) throw new ApiError(404, ErrorCode.NotFound, `CA certificate '${ca.thumbprint}' has expired and cannot be downloaded.`);
    return ca;
  }

  private listCertificates(tenantId: string, user: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, user, READ_ROLES, 'list certificates');
    const now = Date.now();
    return jsonResponse(
      200,
      tenant.cas.map((c) => ({
        Certificate: certificateDer(c.certPem).toString('base64'),
        IsActive: Date.parse(c.notBefore) <= now && now < Date.parse(c.notAfter),
        IsRevoked: false,
        Thumbprint: c.thumbprint,
        StartDate: c.notBefore,
        EndDate: c.notAfter,
      })),
    );
  }

  private downloadCertificate(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, user, READ_ROLES, 'download certificates');
    return jsonResponse(200, certificateDer(this.caFor(req, tenant).certPem).toString('base64'));
  }

  private downloadChain(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.tenantFor(tenantId, user, READ_ROLES, 'download certificates');
    return jsonResponse(200, pkcs7ChainDer(tenantCaChainPems(this.caFor(req, tenant))).toString('base64'));
  }

  private async proofOfPossession(req: EmuRequest, tenantId: string, code: string, user: User): Promise<EmuResponse> {
    const tenant = this.tenantFor(tenantId, user, READ_ROLES, 'download a proof-of-possession certificate');
    if (!VERIFICATION_CODE.test(code)) {
      throw new ApiError(400, ErrorCode.BadRequest, 'The verification code must be 1 to 64 letters, digits or hyphens.');
    }
    const proofPem = await issueProofOfPossession(this.caFor(req, tenant), code);
    return jsonResponse(200, certificateDer(proofPem).toString('base64'));
  }
}
