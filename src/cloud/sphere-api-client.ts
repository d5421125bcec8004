// Typed client of the Azure Sphere security service API (docs/cloud-api.md#security-service-api): users and roles,
// tenants, devices and claiming, products and device groups, capability images, tenant CA certificates and
// proof-of-possession. Arguments are validated before anything is sent; lists page through continuation tokens;
// claims, device moves and tenant creation wait for their Operation to finish.
import { apiErrorFrom, CloudApiError } from './api-error';
import { AuthorizedHttp, bearerAuthorization, type CloudClientOptions } from './authorized-http';
import { parseCertificate, parsePkcs7, type ParsedCertificate } from './certificates';
import { InvalidArgumentError } from './errors';
import { safeLogger } from './logger';
import { waitForOperation, type OperationWaitOptions } from './operations';
import { collectAll, iteratePages, type PageResult } from './paging';
import { retryPolicy, type RetryPolicy } from './retry-policy';
import { resolveCloudSettings } from './settings';
import {
  OperationState,
  OperationType,
  SPHERE_ROLES,
  type CaCertificateEntry,
  type Device,
  type DeviceGroup,
  type Operation,
  type Page,
  type Principal,
  type Product,
  type SphereRole,
  type Tenant,
  type TenantUsers,
} from './sphere-api-types';
import {
  requireCapabilities,
  requireDeviceId,
  requireEmail,
  requireGuid,
  requireUser,
  requireThumbprint,
  requireTenantName,
  requireVerificationCode,
} from './validate';

export interface SphereApiClientOptions extends CloudClientOptions {
  /** How often Operations are polled (default 1 s; the service's Retry-After wins when it sends one). */
  readonly operationPollMs?: number;
}

export interface ListOptions {
  /** Items per page the service is asked for (it may send fewer). */
  readonly maxPageSize?: number;
  readonly signal?: AbortSignal;
}

export interface CertificateSelector {
  /** SHA-1 thumbprint of a particular tenant CA; default: the active one. */
  readonly thumbprint?: string;
  readonly signal?: AbortSignal;
}

const CONTINUATION_HEADER = 'sphere-continuation';

export class SphereApiClient {
  private readonly http: AuthorizedHttp;
  private readonly retry: RetryPolicy;
  private readonly operationPollMs: number;

  constructor(options: SphereApiClientOptions) {
    const settings = resolveCloudSettings(options.settings);
    this.retry = retryPolicy(options.retry);
    this.operationPollMs = options.operationPollMs ?? 1000;
    this.http = new AuthorizedHttp({
      baseUrl: settings.apiEndpoint,
      authorization: bearerAuthorization(options.tokens, settings.apiScopes),
      transport: options.transport,
      retry: this.retry,
      logger: safeLogger(options.logger),
    });
  }

  // ---- users and roles -------------------------------------------------------------------------------------

  /**
   * Registers a user with the security service (needed once before any tenant work): the signed-in user, or
   * `email` (another account of the directory, as `register-user --new-user`).
   */
  async registerUser(options: { email?: string; signal?: AbortSignal } = {}): Promise<Principal> {
    const email = options.email === undefined ? undefined : requireEmail(options.email);
    return this.http.json<Principal>({
      method: 'POST',
      path: 'v2/users/register',
      json: email ? { Email: email } : undefined,
      what: email ? `Registering ${email} with Azure Sphere` : 'Registering your account with Azure Sphere',
      idempotent: true, // registering twice is harmless
      signal: options.signal,
    });
  }

  /** The role names the service knows. */
  async listAvailableRoles(signal?: AbortSignal): Promise<string[]> {
    return (await this.http.json<string[]>({ method: 'GET', path: 'v2/roles', what: 'Listing Azure Sphere roles', signal })) ?? [];
  }

  /** Users of a tenant and their roles. */
  async listUsers(tenantId: string, signal?: AbortSignal): Promise<TenantUsers> {
    const t = requireGuid('tenant ID', tenantId);
    return this.http.json<TenantUsers>({ method: 'GET', path: `v2/tenants/${t}/users`, what: `Listing users of tenant ${t}`, signal });
  }

  /** One user (by email or object ID) with the roles they hold in a tenant. */
  async getUserRoles(tenantId: string, user: string, signal?: AbortSignal): Promise<Principal> {
    const t = requireGuid('tenant ID', tenantId);
    const u = requireUser(user);
    return this.http.json<Principal>({ method: 'GET', path: `v2/tenants/${t}/users/${encodeURIComponent(u)}/role`, what: `Reading roles of ${u} in tenant ${t}`, signal });
  }

  /** Gives a user a role in a tenant (Administrators only); returns the user's roles afterwards. */
  async addRole(tenantId: string, user: string, role: SphereRole, signal?: AbortSignal): Promise<Principal> {
    const t = requireGuid('tenant ID', tenantId);
    const u = requireUser(user);
    requireRole(role);
    return this.http.json<Principal>({
      method: 'PUT',
      path: `v2/tenants/${t}/users/${encodeURIComponent(u)}/role`,
      json: { Role: role },
      what: `Giving ${u} the ${role} role in tenant ${t}`,
      signal,
    });
  }

  /** Takes a role away from a user (Administrators only; the last Administrator stays); returns the roles left. */
  async removeRole(tenantId: string, user: string, role: SphereRole, signal?: AbortSignal): Promise<Principal> {
    const t = requireGuid('tenant ID', tenantId);
    const u = requireUser(user);
    requireRole(role);
    return this.http.json<Principal>({
      method: 'DELETE',
      path: `v2/tenants/${t}/users/${encodeURIComponent(u)}/role/${role}`,
      what: `Removing the ${role} role from ${u} in tenant ${t}`,
      signal,
    });
  }

  // ---- tenants ---------------------------------------------------------------------------------------------

  /** Tenants the signed-in user has a role in (the service sends a bare array, not a page). */
  async listTenants(signal?: AbortSignal): Promise<Tenant[]> {
    return (await this.http.json<Tenant[]>({ method: 'GET', path: 'v2/tenants', what: 'Listing your Azure Sphere tenants', signal })) ?? [];
  }

  async getTenant(tenantId: string, signal?: AbortSignal): Promise<Tenant> {
    const t = requireGuid('tenant ID', tenantId);
    return this.http.json<Tenant>({ method: 'GET', path: `v2/tenants/${t}`, what: `Reading tenant ${t}`, signal });
  }

  /**
   * Creates a tenant from an attached, unclaimed device and waits until it exists. The service refuses a second
   * tenant for a user who already has one unless `force` is set (the CLI's `--force-additional`).
   * Tenants can never be deleted or renamed-from-scratch, so the caller confirms first.
   */
  async createTenant(request: { deviceId: string; name: string; force?: boolean } & OperationWaitOptions): Promise<Tenant> {
    const deviceId = requireDeviceId(request.deviceId);
    const name = requireTenantName(request.name);
    const what = `Creating tenant "${name}"`;
    const operation = await this.http.json<Operation>({
      method: 'POST',
      path: 'v2/tenants/create',
      json: { DeviceId: deviceId, TenantFriendlyName: name, ...(request.force ? { ForceAdditional: true } : {}) },
      what,
      signal: request.signal,
    });
    // The new tenant's Operation is read through the new tenant, where the creator is now Administrator.
    const done = await this.waitFor(operation, operation?.TenantId ?? undefined, OperationType.TenantCreation, what, request);
    const tenantId = done.TenantId ?? tenantIdFromLocation(done.ResourceLocation);
    if (!tenantId) throw new CloudApiError(`${what} failed: the service finished without saying which tenant it created.`, 'invalid_response', 0, undefined, undefined);
    return this.getTenant(tenantId, request.signal);
  }

  // ---- devices ---------------------------------------------------------------------------------------------

  /** Devices claimed into a tenant, one page at a time. */
  listDevicePages(tenantId: string, options: ListOptions = {}): AsyncGenerator<PageResult<Device>, void, undefined> {
    const t = requireGuid('tenant ID', tenantId);
    const pageSize = requirePageSize(options.maxPageSize);
    return this.pages<Device>(`v2/tenants/${t}/devices`, `Listing devices of tenant ${t}`, pageSize, options.signal);
  }

  /** The pages of a list endpoint, following `ContinuationToken` through the `Sphere-Continuation` header. */
  private pages<T>(path: string, what: string, maxPageSize: number | undefined, signal: AbortSignal | undefined): AsyncGenerator<PageResult<T>, void, undefined> {
    return iteratePages<T>(
      async (token, pageSignal) => {
        const page = await this.http.json<Page<T>>({
          method: 'GET',
          path,
          query: { maxPageSize },
          headers: token ? { [CONTINUATION_HEADER]: token } : undefined,
          what,
          signal: pageSignal,
        });
        return { items: page?.Items ?? [], continuationToken: page?.ContinuationToken || undefined };
      },
      what,
      signal,
    );
  }

  /** Every device of a tenant (all pages). */
  async listDevices(tenantId: string, options: ListOptions = {}): Promise<Device[]> {
    return collectAll(this.listDevicePages(tenantId, options));
  }

  async getDevice(tenantId: string, deviceId: string, signal?: AbortSignal): Promise<Device> {
    const t = requireGuid('tenant ID', tenantId);
    const d = requireDeviceId(deviceId);
    return this.http.json<Device>({ method: 'GET', path: `v2/tenants/${t}/devices/${d}`, what: `Reading device ${shortId(d)} in tenant ${t}`, signal });
  }

  /** Whether the tenant holds the device: getDevice's 404 means no; any other failure is thrown. */
  async isDeviceInTenant(tenantId: string, deviceId: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.getDevice(tenantId, deviceId, signal);
      return true;
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 404) return false;
      throw err;
    }
  }

  /**
   * Claims a device into a tenant — one way, forever — and waits for the claim Operation to complete.
   * Claiming into the tenant that already owns it succeeds; another tenant's device fails with Conflict.
   */
  async claimDevice(tenantId: string, deviceId: string, options: OperationWaitOptions = {}): Promise<Operation> {
    const t = requireGuid('tenant ID', tenantId);
    const d = requireDeviceId(deviceId);
    const what = `Claiming device ${shortId(d)} into tenant ${t}`;
    const operation = await this.http.json<Operation | undefined>({ method: 'PUT', path: `v2/tenants/${t}/devices/${d}/claim`, what, signal: options.signal });
    if (operation === undefined) return completedWithoutOperation(t, OperationType.DeviceClaim); // a bare 200/202: done
    return this.waitFor(operation, t, OperationType.DeviceClaim, what, options);
  }

  // ---- products, device groups, capabilities ---------------------------------------------------------------

  /** The tenant's products (all pages). */
  async listProducts(tenantId: string, signal?: AbortSignal): Promise<Product[]> {
    const t = requireGuid('tenant ID', tenantId);
    return collectAll(this.pages<Product>(`v2/tenants/${t}/products`, `Listing products of tenant ${t}`, undefined, signal));
  }

  /** The device groups of one product (all pages). */
  async listDeviceGroups(tenantId: string, productId: string, signal?: AbortSignal): Promise<DeviceGroup[]> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    return collectAll(this.pages<DeviceGroup>(`v2/tenants/${t}/products/${p}/deviceGroups`, `Listing device groups of product ${p}`, undefined, signal));
  }

  async getDeviceGroup(tenantId: string, groupId: string, signal?: AbortSignal): Promise<DeviceGroup> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    return this.http.json<DeviceGroup>({ method: 'GET', path: `v2/tenants/${t}/devicegroups/${g}`, what: `Reading device group ${g}`, signal });
  }

  /**
   * Moves a claimed device into a device group of its tenant (which also sets its product) and waits for the
   * Operation. The group decides what the cloud sends the device: Development takes no app deployments.
   */
  async moveDeviceToGroup(tenantId: string, deviceId: string, groupId: string, options: OperationWaitOptions = {}): Promise<Operation> {
    const t = requireGuid('tenant ID', tenantId);
    const d = requireDeviceId(deviceId);
    const g = requireGuid('device group ID', groupId);
    const what = `Moving device ${shortId(d)} to device group ${g}`;
    // The body is the group ID as a bare JSON string (docs/cloud-api.md#products-and-device-groups).
    const operation = await this.http.json<Operation | undefined>({ method: 'PUT', path: `v2/tenants/${t}/devices/${d}/devicegroup`, json: g, what, signal: options.signal });
    if (operation === undefined) return completedWithoutOperation(t, OperationType.DeviceUpdateDeviceGroup);
    return this.waitFor(operation, t, OperationType.DeviceUpdateDeviceGroup, what, options);
  }

  /**
   * A capability image for a claimed device: the file that, installed on the board, grants it `capabilities`
   * (values of DeviceCapability in src/device/image-package; [] = none). Returns the file's bytes.
   */
  async createCapabilityImage(tenantId: string, deviceId: string, capabilities: readonly number[], signal?: AbortSignal): Promise<Buffer> {
    const t = requireGuid('tenant ID', tenantId);
    const d = requireDeviceId(deviceId);
    const caps = requireCapabilities(capabilities);
    const what = `Downloading the capability image for device ${shortId(d)}`;
    const body = await this.http.json<{ SignedDeviceCapabilityImageBytes?: unknown } | undefined>({
      method: 'POST',
      path: `v2/tenants/${t}/deviceCapabilityImage`,
      json: { DeviceId: d, Capabilities: caps },
      what,
      idempotent: true, // it only makes a file; asking twice is harmless
      signal,
    });
    const b64 = body?.SignedDeviceCapabilityImageBytes;
    if (typeof b64 !== 'string' || b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      throw new CloudApiError(`${what} failed: the service did not return the image as base64.`, 'invalid_response', 0, undefined, undefined);
    }
    return Buffer.from(b64, 'base64');
  }

  // ---- operations ------------------------------------------------------------------------------------------

  async getOperation(tenantId: string, operationId: string, signal?: AbortSignal): Promise<Operation> {
    const t = requireGuid('tenant ID', tenantId);
    const o = requireGuid('operation ID', operationId);
    return this.http.json<Operation>({ method: 'GET', path: `v2/tenants/${t}/operations/${o}`, what: `Reading operation ${o}`, signal });
  }

  private async waitFor(operation: Operation, tenantId: string | undefined, expectedType: number, what: string, options: OperationWaitOptions): Promise<Operation> {
    if (!operation || typeof operation.OperationId !== 'string') {
      throw new CloudApiError(`${what} failed: the service did not return an Operation.`, 'invalid_response', 0, undefined, undefined);
    }
    if (!tenantId && operation.State !== OperationState.Complete) {
      throw new CloudApiError(`${what}: the service returned an unfinished Operation without a tenant to follow it in.`, 'invalid_response', 0, undefined, undefined);
    }
    if (operation.OperationType !== expectedType) {
      throw new CloudApiError(`${what} failed: the service returned an Operation of type ${operation.OperationType}, expected ${expectedType}.`, 'invalid_response', 0, undefined, undefined);
    }
    return waitForOperation(operation, (id, signal) => this.getOperation(tenantId ?? '', id, signal), what, {
      sleep: this.retry.sleep,
      pollIntervalMs: this.operationPollMs,
      ...options,
    });
  }

  // ---- tenant CA certificates ------------------------------------------------------------------------------

  /** The tenant's CA certificates (active, inactive and revoked) with thumbprints. */
  async listCaCertificates(tenantId: string, signal?: AbortSignal): Promise<CaCertificateEntry[]> {
    const t = requireGuid('tenant ID', tenantId);
    const body = await this.http.json<CaCertificateEntry[] | Page<CaCertificateEntry>>({
      method: 'GET',
      path: `v2/tenants/${t}/certificates`,
      what: `Listing CA certificates of tenant ${t}`,
      signal,
    });
    return Array.isArray(body) ? body : [...(body?.Items ?? [])];
  }

  /** The tenant CA certificate (what `ca-certificate download` saves as .cer). */
  async getCaCertificate(tenantId: string, selector: CertificateSelector = {}): Promise<ParsedCertificate> {
    const t = requireGuid('tenant ID', tenantId);
    const what = `Downloading the CA certificate of tenant ${t}`;
    const text = await this.certificateText(`v2/tenants/${t}/cert`, selector, what);
    return parseCertificate(text, 'The tenant CA certificate');
  }

  /** The tenant CA chain as a PKCS#7 (.p7b). */
  async getCaCertificateChain(tenantId: string, selector: CertificateSelector = {}): Promise<ParsedCertificate[]> {
    const t = requireGuid('tenant ID', tenantId);
    const what = `Downloading the CA certificate chain of tenant ${t}`;
    const text = await this.certificateText(`v2/tenants/${t}/certchain`, selector, what);
    return parsePkcs7(text, 'The tenant CA certificate chain');
  }

  /** A proof-of-possession certificate: subject CN = the verification code, signed by the tenant CA. */
  async getProofOfPossessionCertificate(tenantId: string, verificationCode: string, selector: CertificateSelector = {}): Promise<ParsedCertificate> {
    const t = requireGuid('tenant ID', tenantId);
    const code = requireVerificationCode(verificationCode);
    const what = `Downloading the proof-of-possession certificate for code ${code}`;
    const text = await this.certificateText(`v2/tenants/${t}/verification/${encodeURIComponent(code)}`, selector, what);
    return parseCertificate(text, 'The proof-of-possession certificate');
  }

  /** The service returns certificates as a (JSON) string of base64 DER. */
  private async certificateText(path: string, selector: CertificateSelector, what: string): Promise<string> {
    const thumbprint = selector.thumbprint === undefined ? undefined : requireThumbprint(selector.thumbprint);
    const response = await this.http.send({ method: 'GET', path, query: { thumbprint }, what, signal: selector.signal });
    const raw = response.body.toString('utf8').trim();
    let text: unknown = raw;
    if (raw.startsWith('"')) {
      try {
        text = JSON.parse(raw);
      } catch {
        text = undefined;
      }
    }
    if (typeof text !== 'string' || !text || text === 'null') {
      throw apiErrorFrom(what, 404, response.headers, Buffer.from(JSON.stringify({ Message: 'no certificate was returned (an expired CA certificate cannot be downloaded)' })));
    }
    return text;
  }
}

function requireRole(role: string): void {
  if (!(SPHERE_ROLES as readonly string[]).includes(role)) {
    throw new InvalidArgumentError(`Unknown role "${role}"; use one of ${SPHERE_ROLES.join(', ')}.`);
  }
}

function requirePageSize(size: number | undefined): number | undefined {
  if (size === undefined) return undefined;
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw new InvalidArgumentError(`Page size must be a whole number from 1 to 1000, got ${size}.`);
  return size;
}

function tenantIdFromLocation(location: string | null): string | undefined {
  const match = location?.match(/tenants\/([0-9a-f-]{36})/i);
  return match?.[1];
}

/** Device IDs are 128 hex characters; messages show the start, as the CLI's tables do. */
function shortId(deviceId: string): string {
  return `${deviceId.slice(0, 8)}…`;
}

function completedWithoutOperation(tenantId: string, type: number): Operation {
  const now = new Date().toISOString();
  return {
    OperationId: '',
    OperationType: type,
    State: 2,
    TenantId: tenantId,
    CreatedDateUTC: now,
    StartedDateUTC: now,
    CompletedDateUTC: now,
    DetailsLocation: null,
    ResourceLocation: null,
    Error: null,
  };
}
