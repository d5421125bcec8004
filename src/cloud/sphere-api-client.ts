// Typed client of the Azure Sphere security service API (docs/cloud-api.md#security-service-api): users and roles,
// tenants, devices and claiming, the fleet (products, device groups, the devices in them, images, deployments, the
// error report), capability images, tenant CA certificates and proof-of-possession. Arguments are validated before
// anything is sent; lists page through continuation tokens; what the service runs as an Operation is waited for
// (with its progress), and a create whose answer was lost is looked for before it is sent again (create-once.ts).
import { apiErrorFrom, CloudApiError } from './api-error';
import { AuthorizedHttp, bearerAuthorization, type CloudClientOptions } from './authorized-http';
import { parseCertificate, parsePkcs7, type ParsedCertificate } from './certificates';
import { createOnce } from './create-once';
import { InvalidArgumentError } from './errors';
import { requireDeploymentImages, requireDescription, requireFleetName, requireOsFeedType, requireUpdatePolicy } from './fleet-validate';
import { uploadSourceOf, type ImagePackageInput } from './image-upload-source';
import type { Logger } from '../common/logger';
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
  type Deployment,
  type Device,
  type DeviceGroup,
  type DeviceInsight,
  type ImageMetadata,
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
  shortDeviceId,
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

export interface CreateProductRequest extends OperationWaitOptions {
  readonly name: string;
  readonly description?: string;
  /** The five default device groups with the product, as `azsphere product create` does unless told not to (default true). */
  readonly createDefaultGroups?: boolean;
}

export interface CreateDeviceGroupRequest {
  readonly productId: string;
  readonly name: string;
  readonly description?: string;
  /** OsFeedType: 0 Retail (default), 1 Retail Evaluation. */
  readonly osFeedType?: number;
  /** UpdatePolicy: 0 UpdateAll (default), 1 No3rdPartyAppUpdates. */
  readonly updatePolicy?: number;
  readonly signal?: AbortSignal;
}

export interface DeviceGroupChanges {
  readonly name?: string;
  readonly description?: string;
  readonly osFeedType?: number;
  readonly updatePolicy?: number;
  readonly allowCrashDumpsCollection?: boolean;
}

export interface UploadImageOptions extends OperationWaitOptions {
  /** Bytes of the package handed to the connection so far, of `total`; from 0 again if the upload is sent again. */
  readonly onUploadProgress?: (bytesSent: number, total: number) => void;
}

export interface CreateDeploymentOptions extends OperationWaitOptions {
  /** Metadata of the images already at hand (e.g. from listImages): their types are checked before sending. */
  readonly knownImages?: readonly ImageMetadata[];
}

export interface MoveDeviceOptions extends OperationWaitOptions {
  /**
   * Refuse, before sending, a group of another product than the one the device is in (a move between the groups of
   * one product, as the fleet tree offers it); a device in no product may go anywhere.
   */
  readonly withinProduct?: boolean;
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
  private readonly log: Logger;

  constructor(options: SphereApiClientOptions) {
    const settings = resolveCloudSettings(options.settings);
    this.retry = retryPolicy(options.retry);
    this.operationPollMs = options.operationPollMs ?? 1000;
    this.log = safeLogger(options.logger);
    this.http = new AuthorizedHttp({
      baseUrl: settings.apiEndpoint,
      authorization: bearerAuthorization(options.tokens, settings.apiScopes),
      transport: options.transport,
      retry: this.retry,
      logger: this.log,
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

  /**
   * Gives a user a role in a tenant (Administrators only; learn.microsoft.com/rest/api/azure-sphere/access-control/assign-role);
   * returns the user's roles afterwards.
   */
  async addRole(tenantId: string, user: string, role: SphereRole, signal?: AbortSignal): Promise<Principal> {
    const t = requireGuid('tenant ID', tenantId);
    const u = requireUser(user);
    requireRole(role);
    return this.http.json<Principal>({
      method: 'POST',
      path: `v2/tenants/${t}/users/${encodeURIComponent(u)}/role/${role}/assign`,
      what: `Giving ${u} the ${role} role in tenant ${t}`,
      idempotent: true, // holding a role twice is holding it once
      signal,
    });
  }

  /**
   * Takes a role away from a user (Administrators only; the last Administrator stays;
   * learn.microsoft.com/rest/api/azure-sphere/access-control/unassign-role); returns the roles left.
   */
  async removeRole(tenantId: string, user: string, role: SphereRole, signal?: AbortSignal): Promise<Principal> {
    const t = requireGuid('tenant ID', tenantId);
    const u = requireUser(user);
    requireRole(role);
    return this.http.json<Principal>({
      method: 'POST',
      path: `v2/tenants/${t}/users/${encodeURIComponent(u)}/role/${role}/unassign`,
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

  /** Renames a tenant (Administrators only; learn.microsoft.com/rest/api/azure-sphere/tenants/patch). */
  async renameTenant(tenantId: string, name: string, signal?: AbortSignal): Promise<Tenant> {
    const t = requireGuid('tenant ID', tenantId);
    const n = requireTenantName(name);
    return this.http.json<Tenant>({ method: 'PATCH', path: `v2/tenants/${t}`, json: { Name: n }, what: `Renaming tenant ${t} to "${n}"`, signal });
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
    return this.http.json<Device>({ method: 'GET', path: `v2/tenants/${t}/devices/${d}`, what: `Reading device ${shortDeviceId(d)} in tenant ${t}`, signal });
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
    const what = `Claiming device ${shortDeviceId(d)} into tenant ${t}`;
    const operation = await this.http.json<Operation | undefined>({ method: 'PUT', path: `v2/tenants/${t}/devices/${d}/claim`, what, signal: options.signal });
    if (operation === undefined) return completedWithoutOperation(t, OperationType.DeviceClaim); // a bare 200/202: done
    return this.waitFor(operation, t, OperationType.DeviceClaim, what, options);
  }

  // ---- products -----------------------------------------------------------------------------------------------

  /** The tenant's products (all pages). */
  async listProducts(tenantId: string, signal?: AbortSignal): Promise<Product[]> {
    const t = requireGuid('tenant ID', tenantId);
    return collectAll(this.pages<Product>(`v2/tenants/${t}/products`, `Listing products of tenant ${t}`, undefined, signal));
  }

  async getProduct(tenantId: string, productId: string, signal?: AbortSignal): Promise<Product> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    return this.http.json<Product>({ method: 'GET', path: `v2/tenants/${t}/products/${p}`, what: `Reading product ${p}`, signal });
  }

  /** The product of that name (names compare without case), or undefined when the tenant has none. */
  async findProductByName(tenantId: string, name: string, signal?: AbortSignal): Promise<Product | undefined> {
    const t = requireGuid('tenant ID', tenantId);
    const n = requireFleetName('product', name);
    return orUndefinedIfNotFound(this.http.json<Product>({ method: 'GET', path: `v2/tenants/${t}/products/name/${encodeURIComponent(n)}`, what: `Looking for product "${n}"`, signal }));
  }

  /**
   * Creates a product and waits for its Operation (CreateProduct), by default with the five default device groups.
   * A name the tenant already has is refused before anything is sent; an answer lost on the way back is found by
   * the name rather than sent again.
   */
  async createProduct(tenantId: string, request: CreateProductRequest): Promise<Product> {
    const t = requireGuid('tenant ID', tenantId);
    const name = requireFleetName('product', request.name);
    const description = requireDescription('product', request.description) ?? '';
    const withGroups = request.createDefaultGroups ?? true;
    const what = `Creating product "${name}" in tenant ${t}`;
    const taken = await this.findProductByName(t, name, request.signal);
    if (taken) throw new InvalidArgumentError(`Tenant ${t} already has a product named "${taken.Name}"; product names are unique in a tenant, whatever their case.`);
    return createOnce({
      what,
      retry: this.retry,
      logger: this.log,
      signal: request.signal,
      attempt: async () => {
        const operation = await this.http.json<Operation>({ method: 'POST', path: `v2/tenants/${t}/products`, json: { Name: name, Description: description, CreateDefaultGroups: withGroups }, what, signal: request.signal });
        const done = await this.waitFor(operation, t, OperationType.CreateProduct, what, request);
        const id = idAfter(done.ResourceLocation, 'products');
        const product = id ? await this.getProduct(t, id, request.signal) : await this.findProductByName(t, name, request.signal);
        if (!product) throw new CloudApiError(`${what} failed: the service finished without the product.`, 'invalid_response', 0, undefined, undefined);
        return product;
      },
      findExisting: async () => {
        const product = await this.findProductByName(t, name, request.signal);
        // The lost attempt's Operation may still be making the groups; asking for them again makes none twice.
        if (product && withGroups) await this.createDefaultDeviceGroups(t, product.Id, request.signal);
        return product;
      },
    });
  }

  /** Renames a product or changes its description (learn.microsoft.com/rest/api/azure-sphere/product/patch). */
  async updateProduct(tenantId: string, productId: string, changes: { readonly name?: string; readonly description?: string }, signal?: AbortSignal): Promise<Product> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    const body: Record<string, string> = {};
    if (changes.name !== undefined) body.Name = requireFleetName('product', changes.name);
    if (changes.description !== undefined) body.Description = requireDescription('product', changes.description)!;
    if (Object.keys(body).length === 0) throw new InvalidArgumentError('Nothing to change: give the product a new name or description.');
    return this.http.json<Product>({ method: 'PATCH', path: `v2/tenants/${t}/products/${p}`, json: body, what: `Changing product ${p}`, signal });
  }

  /**
   * Deletes a product and its device groups (Administrators only) and waits for the Operation (DeleteProduct). A
   * product whose groups still hold devices is refused before anything is sent, saying how many.
   */
  async deleteProduct(tenantId: string, productId: string, options: OperationWaitOptions = {}): Promise<Operation> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    const devices = await this.countDevicesInProduct(t, p, options.signal);
    if (devices > 0) throw new InvalidArgumentError(`Product ${p} still has ${devicesText(devices)} in its device groups; move them to another product's device group before deleting it.`);
    const what = `Deleting product ${p}`;
    const operation = await this.http.json<Operation>({ method: 'DELETE', path: `v2/tenants/${t}/products/${p}`, what, signal: options.signal });
    return this.waitFor(operation, t, OperationType.DeleteProduct, what, options);
  }

  // ---- device groups ------------------------------------------------------------------------------------------

  /** The device groups of one product (all pages). */
  async listDeviceGroups(tenantId: string, productId: string, signal?: AbortSignal): Promise<DeviceGroup[]> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    return collectAll(this.pages<DeviceGroup>(`v2/tenants/${t}/products/${p}/deviceGroups`, `Listing device groups of product ${p}`, undefined, signal));
  }

  /** Every device group of the tenant, of all its products (all pages). */
  async listAllDeviceGroups(tenantId: string, signal?: AbortSignal): Promise<DeviceGroup[]> {
    const t = requireGuid('tenant ID', tenantId);
    return collectAll(this.pages<DeviceGroup>(`v2/tenants/${t}/devicegroups`, `Listing device groups of tenant ${t}`, undefined, signal));
  }

  async getDeviceGroup(tenantId: string, groupId: string, signal?: AbortSignal): Promise<DeviceGroup> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    return this.http.json<DeviceGroup>({ method: 'GET', path: `v2/tenants/${t}/devicegroups/${g}`, what: `Reading device group ${g}`, signal });
  }

  /** A group by its product's name and its own ("Contoso Thermostat" / "Field Test"), or undefined when there is none. */
  async findDeviceGroupByName(tenantId: string, productName: string, groupName: string, signal?: AbortSignal): Promise<DeviceGroup | undefined> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireFleetName('product', productName);
    const g = requireFleetName('device group', groupName);
    const path = `v2/tenants/${t}/products/name/${encodeURIComponent(p)}/deviceGroups/name/${encodeURIComponent(g)}`;
    return orUndefinedIfNotFound(this.http.json<DeviceGroup>({ method: 'GET', path, what: `Looking for device group "${p}/${g}"`, signal }));
  }

  /**
   * Creates a device group in a product (at once: no Operation, learn.microsoft.com/rest/api/azure-sphere/device-group/create).
   * A name the product already has is refused before sending; a lost answer is found by the name, not sent again.
   */
  async createDeviceGroup(tenantId: string, request: CreateDeviceGroupRequest): Promise<DeviceGroup> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', request.productId);
    const name = requireFleetName('device group', request.name);
    const description = requireDescription('device group', request.description) ?? '';
    const osFeedType = requireOsFeedType(request.osFeedType) ?? 0;
    const updatePolicy = requireUpdatePolicy(request.updatePolicy) ?? 0;
    const what = `Creating device group "${name}" in product ${p}`;
    const named = async (): Promise<DeviceGroup | undefined> => (await this.listDeviceGroups(t, p, request.signal)).find((g) => g.Name.toLowerCase() === name.toLowerCase());
    const taken = await named();
    if (taken) throw new InvalidArgumentError(`Product ${p} already has a device group named "${taken.Name}"; group names are unique in a product, whatever their case.`);
    return createOnce({
      what,
      retry: this.retry,
      logger: this.log,
      signal: request.signal,
      attempt: () =>
        this.http.json<DeviceGroup>({
          method: 'POST',
          path: `v2/tenants/${t}/devicegroups`,
          json: { Name: name, Description: description, ProductId: p, OsFeedType: osFeedType, UpdatePolicy: updatePolicy },
          what,
          signal: request.signal,
        }),
      findExisting: named,
    });
  }

  /**
   * The five default device groups of a product, made where missing (learn.microsoft.com/rest/api/azure-sphere/device-group/create-defaults):
   * Development, Field Test, Production, Production OS Evaluation, Field Test OS Evaluation.
   */
  async createDefaultDeviceGroups(tenantId: string, productId: string, signal?: AbortSignal): Promise<DeviceGroup[]> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    const page = await this.http.json<Page<DeviceGroup> | undefined>({
      method: 'POST',
      path: `v2/tenants/${t}/products/${p}/devicegroups`,
      what: `Creating the default device groups of product ${p}`,
      idempotent: true, // groups that exist are left as they are, so asking twice makes nothing twice
      signal,
    });
    return [...(page?.Items ?? [])];
  }

  /** Renames a group or changes its description, OS feed, update policy or crash-dump collection. */
  async updateDeviceGroup(tenantId: string, groupId: string, changes: DeviceGroupChanges, signal?: AbortSignal): Promise<DeviceGroup> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    const body: Record<string, unknown> = {};
    if (changes.name !== undefined) body.Name = requireFleetName('device group', changes.name);
    if (changes.description !== undefined) body.Description = requireDescription('device group', changes.description);
    // The PATCH body spells it OSFeedType (learn.microsoft.com/rest/api/azure-sphere/device-group/patch).
    if (changes.osFeedType !== undefined) body.OSFeedType = requireOsFeedType(changes.osFeedType);
    if (changes.updatePolicy !== undefined) body.UpdatePolicy = requireUpdatePolicy(changes.updatePolicy);
    if (changes.allowCrashDumpsCollection !== undefined) {
      if (typeof changes.allowCrashDumpsCollection !== 'boolean') throw new InvalidArgumentError('Crash-dump collection is either on (true) or off (false).');
      body.AllowCrashDumpsCollection = changes.allowCrashDumpsCollection;
    }
    if (Object.keys(body).length === 0) throw new InvalidArgumentError('Nothing to change in the device group.');
    return this.http.json<DeviceGroup>({ method: 'PATCH', path: `v2/tenants/${t}/devicegroups/${g}`, json: body, what: `Changing device group ${g}`, signal });
  }

  /**
   * Deletes a device group (Administrators only) and waits for the Operation (DeleteDeviceGroup). A group that still
   * holds devices is refused before anything is sent, saying how many.
   */
  async deleteDeviceGroup(tenantId: string, groupId: string, options: OperationWaitOptions = {}): Promise<Operation> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    const devices = await this.countDevicesInGroup(t, g, options.signal);
    if (devices > 0) throw new InvalidArgumentError(`Device group ${g} still holds ${devicesText(devices)}; move them to another group before deleting it.`);
    const what = `Deleting device group ${g}`;
    const operation = await this.http.json<Operation>({ method: 'DELETE', path: `v2/tenants/${t}/devicegroups/${g}`, what, signal: options.signal });
    return this.waitFor(operation, t, OperationType.DeleteDeviceGroup, what, options);
  }

  // ---- devices in the fleet -----------------------------------------------------------------------------------

  /** The devices of one device group, one page at a time (learn.microsoft.com/rest/api/azure-sphere/devices/list-in-group). */
  listDevicesInGroupPages(tenantId: string, groupId: string, options: ListOptions = {}): AsyncGenerator<PageResult<Device>, void, undefined> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    return this.pages<Device>(`v2/tenants/${t}/devicegroups/${g}/devices`, `Listing devices of device group ${g}`, requirePageSize(options.maxPageSize), options.signal);
  }

  /** Every device of one device group (all pages). */
  async listDevicesInGroup(tenantId: string, groupId: string, options: ListOptions = {}): Promise<Device[]> {
    return collectAll(this.listDevicesInGroupPages(tenantId, groupId, options));
  }

  /** The devices of one product, across its groups, one page at a time. */
  listDevicesInProductPages(tenantId: string, productId: string, options: ListOptions = {}): AsyncGenerator<PageResult<Device>, void, undefined> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    return this.pages<Device>(`v2/tenants/${t}/products/${p}/devices`, `Listing devices of product ${p}`, requirePageSize(options.maxPageSize), options.signal);
  }

  /** How many devices the tenant holds. */
  async countDevices(tenantId: string, signal?: AbortSignal): Promise<number> {
    const t = requireGuid('tenant ID', tenantId);
    return this.count(`v2/tenants/${t}/devices/count`, `Counting devices of tenant ${t}`, signal);
  }

  /** How many devices a product's groups hold. */
  async countDevicesInProduct(tenantId: string, productId: string, signal?: AbortSignal): Promise<number> {
    const t = requireGuid('tenant ID', tenantId);
    const p = requireGuid('product ID', productId);
    return this.count(`v2/tenants/${t}/products/${p}/devices/count`, `Counting devices of product ${p}`, signal);
  }

  /** How many devices a device group holds. */
  async countDevicesInGroup(tenantId: string, groupId: string, signal?: AbortSignal): Promise<number> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    return this.count(`v2/tenants/${t}/deviceGroups/${g}/devices/count`, `Counting devices of device group ${g}`, signal);
  }

  private async count(path: string, what: string, signal: AbortSignal | undefined): Promise<number> {
    const n = await this.http.json<unknown>({ method: 'GET', path, what, signal });
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new CloudApiError(`${what} failed: the service did not answer with a count.`, 'invalid_response', 0, undefined, undefined);
    return n;
  }

  /**
   * Moves a claimed device into a device group of its tenant (which also sets its product) and waits for the
   * Operation. The group decides what the cloud sends the device: Development takes no app deployments. With
   * `withinProduct`, a group of another product than the device's is refused before the move is sent.
   */
  async moveDeviceToGroup(tenantId: string, deviceId: string, groupId: string, options: MoveDeviceOptions = {}): Promise<Operation> {
    const t = requireGuid('tenant ID', tenantId);
    const d = requireDeviceId(deviceId);
    const g = requireGuid('device group ID', groupId);
    const what = `Moving device ${shortDeviceId(d)} to device group ${g}`;
    if (options.withinProduct) {
      const [device, group] = await Promise.all([this.getDevice(t, d, options.signal), this.getDeviceGroup(t, g, options.signal)]);
      if (device.ProductId && device.ProductId.toLowerCase() !== group.ProductId.toLowerCase()) {
        throw new InvalidArgumentError(`Device ${shortDeviceId(d)} is in product ${device.ProductId}, and device group "${group.Name}" belongs to product ${group.ProductId}; a device moves only between the groups of its product.`);
      }
    }
    // The body is the group ID as a bare JSON string (docs/cloud-api.md#products-and-device-groups).
    const operation = await this.http.json<Operation | undefined>({ method: 'PUT', path: `v2/tenants/${t}/devices/${d}/devicegroup`, json: g, what, signal: options.signal });
    if (operation === undefined) return completedWithoutOperation(t, OperationType.DeviceUpdateDeviceGroup);
    return this.waitFor(operation, t, OperationType.DeviceUpdateDeviceGroup, what, options);
  }

  /**
   * The images the cloud targets at a device: its group's current deployment as its update policy lets it through
   * (learn.microsoft.com/rest/api/azure-sphere/deployments/get-by-device). Compare with the board's installed images.
   */
  async listTargetedImages(tenantId: string, deviceId: string, signal?: AbortSignal): Promise<ImageMetadata[]> {
    const t = requireGuid('tenant ID', tenantId);
    const d = requireDeviceId(deviceId);
    return collectAll(this.pages<ImageMetadata>(`v2/tenants/${t}/devices/${d}/images`, `Listing the images targeted at device ${shortDeviceId(d)}`, undefined, signal));
  }

  // ---- images -------------------------------------------------------------------------------------------------

  /**
   * Uploads an image package (its bytes, or a file) and waits for the ImageUpload Operation; returns the image's
   * metadata. The package is checked with the sideloading reader first; an image the tenant already has is not sent
   * again (image IDs are unique to a build), and neither is one whose upload's answer was lost.
   */
  async uploadImage(tenantId: string, input: ImagePackageInput, options: UploadImageOptions = {}): Promise<ImageMetadata> {
    const t = requireGuid('tenant ID', tenantId);
    const source = await uploadSourceOf(input);
    const what = `Uploading image ${source.imageId}${source.name ? ` ("${source.name}")` : ''} to tenant ${t}`;
    const already = await this.findImage(t, source.imageId, options.signal);
    if (already) return already;
    return createOnce({
      what,
      retry: this.retry,
      logger: this.log,
      signal: options.signal,
      attempt: async () => {
        const operation = await this.http.json<Operation>({
          method: 'POST',
          path: `v2/tenants/${t}/images`,
          body: { contentType: 'application/octet-stream', content: source.body },
          onBodySent: options.onUploadProgress && ((sent) => options.onUploadProgress!(sent, source.body.length)),
          what,
          signal: options.signal,
        });
        await this.waitFor(operation, t, OperationType.ImageUpload, what, options);
        return this.getImageMetadata(t, source.imageId, options.signal);
      },
      findExisting: () => this.findImage(t, source.imageId, options.signal),
    });
  }

  /** The tenant's images (all pages). */
  async listImages(tenantId: string, signal?: AbortSignal): Promise<ImageMetadata[]> {
    const t = requireGuid('tenant ID', tenantId);
    return collectAll(this.pages<ImageMetadata>(`v2/tenants/${t}/images`, `Listing images of tenant ${t}`, undefined, signal));
  }

  async getImageMetadata(tenantId: string, imageId: string, signal?: AbortSignal): Promise<ImageMetadata> {
    const t = requireGuid('tenant ID', tenantId);
    const i = requireGuid('image ID', imageId);
    return this.http.json<ImageMetadata>({ method: 'GET', path: `v2/tenants/${t}/images/${i}/metadata`, what: `Reading image ${i}`, signal });
  }

  /** An image's metadata, or undefined when the tenant does not have it (yet). */
  async findImage(tenantId: string, imageId: string, signal?: AbortSignal): Promise<ImageMetadata | undefined> {
    return orUndefinedIfNotFound(this.getImageMetadata(tenantId, imageId, signal));
  }

  // ---- deployments --------------------------------------------------------------------------------------------

  /**
   * Deploys images to a device group and waits for the DeployToDeviceGroup Operation; returns the group's new
   * current deployment. Refused before sending: no image, an image twice, and — for images in `knownImages` — a type
   * a deployment cannot carry or two images of one component. An answer lost on the way back is looked for as the
   * group's current deployment (a new one with these very images) before the deployment is sent again.
   */
  async createDeployment(tenantId: string, groupId: string, imageIds: readonly string[], options: CreateDeploymentOptions = {}): Promise<Deployment> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    const ids = requireDeploymentImages(imageIds, options.knownImages);
    const what = `Deploying ${ids.length === 1 ? `image ${ids[0]}` : `${ids.length} images`} to device group ${g}`;
    const before = (await this.getDeviceGroup(t, g, options.signal)).CurrentDeployment?.Id;
    const ours = (d: Deployment | null | undefined): d is Deployment =>
      !!d && d.Id !== before && (d.DeployedImages ?? []).length === ids.length && (d.DeployedImages ?? []).every((id) => ids.includes(id.toLowerCase()));
    return createOnce({
      what,
      retry: this.retry,
      logger: this.log,
      signal: options.signal,
      attempt: async () => {
        const operation = await this.http.json<Operation>({ method: 'POST', path: `v2/tenants/${t}/devicegroups/${g}/deployments`, json: ids, what, signal: options.signal });
        await this.waitFor(operation, t, OperationType.DeployToDeviceGroup, what, options);
        const current = (await this.getDeviceGroup(t, g, options.signal)).CurrentDeployment;
        if (!current) throw new CloudApiError(`${what} failed: the service finished without a current deployment for the group.`, 'invalid_response', 0, undefined, undefined);
        return current;
      },
      findExisting: async () => {
        const current = (await this.getDeviceGroup(t, g, options.signal)).CurrentDeployment;
        return ours(current) ? current : undefined;
      },
    });
  }

  /** A device group's deployments, newest first (all pages; learn.microsoft.com/rest/api/azure-sphere/deployments/list). */
  async listDeployments(tenantId: string, groupId: string, signal?: AbortSignal): Promise<Deployment[]> {
    const t = requireGuid('tenant ID', tenantId);
    const g = requireGuid('device group ID', groupId);
    return collectAll(this.pages<Deployment>(`v2/tenants/${t}/devicegroups/${g}/deployments`, `Listing deployments of device group ${g}`, undefined, signal));
  }

  // ---- error reports ------------------------------------------------------------------------------------------

  /** The tenant's error report a page at a time, newest first (learn.microsoft.com/rest/api/azure-sphere/error-reporting/list). */
  listDeviceInsightPages(tenantId: string, options: ListOptions = {}): AsyncGenerator<PageResult<DeviceInsight>, void, undefined> {
    const t = requireGuid('tenant ID', tenantId);
    return this.pages<DeviceInsight>(`v2/tenants/${t}/getDeviceInsights`, `Downloading the error report of tenant ${t}`, requirePageSize(options.maxPageSize), options.signal);
  }

  /** The whole error report (at most 1,000 events or 14 days, as the service keeps it); insightsToCsv makes the CSV. */
  async getDeviceInsights(tenantId: string, options: ListOptions = {}): Promise<DeviceInsight[]> {
    return collectAll(this.listDeviceInsightPages(tenantId, options));
  }

  /**
   * A capability image for a claimed device: the file that, installed on the board, grants it `capabilities`
   * (values of DeviceCapability in src/device/image-package; [] = none). Returns the file's bytes.
   */
  async createCapabilityImage(tenantId: string, deviceId: string, capabilities: readonly number[], signal?: AbortSignal): Promise<Buffer> {
    const t = requireGuid('tenant ID', tenantId);
    const d = requireDeviceId(deviceId);
    const caps = requireCapabilities(capabilities);
    const what = `Downloading the capability image for device ${shortDeviceId(d)}`;
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

/** The ID after `/<collection>/` in an Operation's ResourceLocation. */
function idAfter(location: string | null, collection: string): string | undefined {
  const match = location?.match(new RegExp(`/${collection}/([0-9a-f-]{36})`, 'i'));
  return match?.[1]?.toLowerCase();
}

/** The answer, or undefined when the service says 404. */
async function orUndefinedIfNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof CloudApiError && err.status === 404) return undefined;
    throw err;
  }
}

function devicesText(n: number): string {
  return n === 1 ? '1 device' : `${n} devices`;
}

function tenantIdFromLocation(location: string | null): string | undefined {
  const match = location?.match(/tenants\/([0-9a-f-]{36})/i);
  return match?.[1];
}

/** Device IDs are 128 hex characters; messages show the start, as the CLI's tables do. */

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
