// The legacy v2 fleet endpoints (docs/cloud-api.md#products-and-device-groups): products and device groups (create,
// read, rename, change, delete), and the routes of devices in groups, images and deployments, and the error report,
// which live beside this file. The security API routes the paths here and lends its role check and error shape
// through `ApiGuard`, so both answer alike. Creating a product and deleting anything is an Operation
// (fleet-operations.ts); creating a device group is not (learn.microsoft.com/rest/api/azure-sphere/device-group/create).
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context';
import { FleetDeviceRoutes } from './fleet-device-routes';
import { ADMIN_ROLES, FleetLookup, MANAGE_ROLES, operationResponse, READ_ROLES, type ApiGuard } from './fleet-guard';
import { FleetImageRoutes } from './fleet-image-routes';
import { FleetImageStore } from './fleet-image-store';
import { FleetInsightRoutes } from './fleet-insight-routes';
import { DEFAULT_DEVICE_GROUPS, OsFeedType, UpdatePolicy, deviceGroupV2, productV2, type DeviceGroup, type Product } from './fleet-model';
import { descriptionProblem, fleetNameProblem, type FleetKind } from './fleet-names';
import { devicesText, type FleetOperations } from './fleet-operations';
import { pageOfList } from './fleet-paging';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import { ErrorCode, OperationType, type Tenant, type User } from './model';

export type { ApiGuard } from './fleet-guard';

export class FleetApi {
  private readonly look: FleetLookup;
  private readonly devices: FleetDeviceRoutes;
  private readonly images: FleetImageRoutes;
  private readonly insights: FleetInsightRoutes;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly guard: ApiGuard,
    private readonly operations: FleetOperations,
  ) {
    this.look = new FleetLookup(ctx, guard);
    this.devices = new FleetDeviceRoutes(ctx, this.look);
    this.images = new FleetImageRoutes(ctx, this.look, operations, new FleetImageStore(ctx.store.stateDir));
    this.insights = new FleetInsightRoutes(ctx, this.look);
  }

  private get fleet() {
    return this.ctx.store.state.fleet;
  }

  /** Answers `rest` (the path after /v2/tenants/{t}/) if it is a fleet path; undefined otherwise. */
  route(req: EmuRequest, tenantId: string, rest: string[], user: User): Promise<EmuResponse> | EmuResponse | undefined {
    const m = req.method;
    // The published paths mix `deviceGroups` and `devicegroups`; fixed words are compared without case.
    const w = rest.map((s) => s.toLowerCase());
    const n = rest.length;
    if (w[0] === 'products') {
      if (n === 1 && m === 'GET') return this.listProducts(req, tenantId, user);
      if (n === 1 && m === 'POST') return this.createProduct(req, tenantId, user);
      if (w[1] === 'name' && n === 3 && m === 'GET') return this.productByName(tenantId, rest[2]!, user);
      if (w[1] === 'name' && n === 6 && w[3] === 'devicegroups' && w[4] === 'name' && m === 'GET') return this.groupByNames(tenantId, rest[2]!, rest[5]!, user);
      if (n === 2 && m === 'GET') return this.getProduct(tenantId, rest[1]!, user);
      if (n === 2 && m === 'PATCH') return this.updateProduct(req, tenantId, rest[1]!, user);
      if (n === 2 && m === 'DELETE') return this.deleteProduct(tenantId, rest[1]!, user);
      if (n === 3 && w[2] === 'devicegroups' && m === 'GET') return this.listGroupsOfProduct(req, tenantId, rest[1]!, user);
      if (n === 3 && w[2] === 'devicegroups' && m === 'POST') return this.createDefaultGroups(tenantId, rest[1]!, user);
    }
    if (w[0] === 'devicegroups') {
      if (n === 1 && m === 'GET') return this.listAllGroups(req, tenantId, user);
      if (n === 1 && m === 'POST') return this.createGroup(req, tenantId, user);
      if (n === 2 && m === 'GET') return this.getGroup(tenantId, rest[1]!, user);
      if (n === 2 && m === 'PATCH') return this.updateGroup(req, tenantId, rest[1]!, user);
      if (n === 2 && m === 'DELETE') return this.deleteGroup(tenantId, rest[1]!, user);
    }
    return this.devices.route(req, tenantId, rest, w, user) ?? this.images.route(req, tenantId, rest, w, user) ?? this.insights.route(req, tenantId, w, user);
  }

  // ---- products ---------------------------------------------------------------------------------------------

  private listProducts(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'list products');
    const page = pageOfList(this.fleet.productsOf(tenant.id), `products:${tenant.id}`, this.look.page(req, `products:${tenant.id}`));
    return jsonResponse(200, { Items: page.items.map(productV2), ContinuationToken: page.next });
  }

  private getProduct(tenantId: string, rawId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'read products');
    return jsonResponse(200, productV2(this.look.productIn(tenant, rawId)));
  }

  private productByName(tenantId: string, name: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'read products');
    return jsonResponse(200, productV2(this.look.productNamed(tenant, name)));
  }

  /** `POST /products` → 202 Operation (CreateProduct); the product exists at once, its default groups when it completes. */
  private async createProduct(req: EmuRequest, tenantId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'create products');
    const body = this.look.objectBody(req, 'a JSON object {"Name", "Description", "CreateDefaultGroups"}');
    const name = this.checkName('Product', body.Name);
    const description = this.checkDescription('Product', body.Description);
    if (body.CreateDefaultGroups !== undefined && typeof body.CreateDefaultGroups !== 'boolean') this.look.badRequest('CreateDefaultGroups must be true or false.');
    this.checkProductNameFree(tenant, name);
    const product: Product = { id: randomUUID(), tenantId: tenant.id, name, description };
    const defaultGroupIds = body.CreateDefaultGroups === true ? DEFAULT_DEVICE_GROUPS.map(() => randomUUID()) : null;
    const operation = await this.operations.start(OperationType.CreateProduct, tenant.id, `/v2/tenants/${tenant.id}/products/${product.id}`, { kind: 'createProduct', product, defaultGroupIds });
    return operationResponse(operation);
  }

  /** `PATCH /products/{id}` `{Name?, Description?}` → 200 Product (learn.microsoft.com/rest/api/azure-sphere/product/patch). */
  private async updateProduct(req: EmuRequest, tenantId: string, rawId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'change products');
    const product = this.look.productIn(tenant, rawId);
    const body = this.look.objectBody(req, 'a JSON object {"Name", "Description"}');
    const next: Product = { ...product };
    if (body.Name !== undefined) {
      next.name = this.checkName('Product', body.Name);
      this.checkProductNameFree(tenant, next.name, product.id);
    }
    if (body.Description !== undefined) next.description = this.checkDescription('Product', body.Description);
    if (next.name !== product.name || next.description !== product.description) await this.ctx.store.commit({ t: 'product', product: next });
    return jsonResponse(200, productV2(next));
  }

  /** `DELETE /products/{id}` → 202 Operation (DeleteProduct); refused while its groups hold devices. */
  private async deleteProduct(tenantId: string, rawId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, ADMIN_ROLES, 'delete products');
    const product = this.look.productIn(tenant, rawId);
    const running = this.fleet.pendingWhere((w) => w.kind === 'deleteProduct' && w.productId === product.id);
    if (running) return operationResponse(running); // asked again while it runs: the same deletion
    const devices = [...this.fleet.deviceCounts(this.fleet.groupsOf(product.id).map((g) => g.id)).values()].reduce((a, b) => a + b, 0);
    if (devices > 0) {
      this.guard.fail(409, ErrorCode.Conflict, `Product '${product.name}' cannot be deleted: its device groups hold ${devicesText(devices)}. Move them to a device group of another product first.`);
    }
    const operation = await this.operations.start(OperationType.DeleteProduct, tenant.id, `/v2/tenants/${tenant.id}/products/${product.id}`, { kind: 'deleteProduct', tenantId: tenant.id, productId: product.id });
    return operationResponse(operation);
  }

  // ---- device groups ----------------------------------------------------------------------------------------

  private listGroupsOfProduct(req: EmuRequest, tenantId: string, rawProductId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'list device groups');
    const product = this.look.productIn(tenant, rawProductId);
    return this.groupPage(req, this.fleet.groupsOf(product.id), `groups:${product.id}`);
  }

  private listAllGroups(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'list device groups');
    return this.groupPage(req, this.fleet.groupsOfTenant(tenant.id), `groups:${tenant.id}`);
  }

  private groupPage(req: EmuRequest, groups: DeviceGroup[], listKey: string): EmuResponse {
    const page = pageOfList(groups, listKey, this.look.page(req, listKey));
    return jsonResponse(200, { Items: page.items.map((g) => this.groupV2(g)), ContinuationToken: page.next });
  }

  private groupV2(g: DeviceGroup): Record<string, unknown> {
    return deviceGroupV2(g, this.fleet.currentDeployment(g.id));
  }

  private getGroup(tenantId: string, rawId: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'read device groups');
    return jsonResponse(200, this.groupV2(this.look.groupIn(tenant, rawId)));
  }

  private groupByNames(tenantId: string, productName: string, groupName: string, user: User): EmuResponse {
    const tenant = this.guard.tenantFor(tenantId, user, READ_ROLES, 'read device groups');
    const product = this.look.productNamed(tenant, productName);
    const group = this.fleet.groupByName(product.id, groupName);
    if (!group) this.guard.fail(404, ErrorCode.NotFound, `Product '${product.name}' has no device group named '${groupName.slice(0, 60)}'.`);
    return jsonResponse(200, this.groupV2(group));
  }

  /** `POST /devicegroups` → 200 DeviceGroupV2, at once (learn.microsoft.com/rest/api/azure-sphere/device-group/create). */
  private async createGroup(req: EmuRequest, tenantId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'create device groups');
    const body = this.look.objectBody(req, 'a JSON object {"Name", "Description", "ProductId", "OsFeedType", "UpdatePolicy"}');
    if (typeof body.ProductId !== 'string') this.look.badRequest('ProductId is required: the ID of the product the device group belongs to.');
    const product = this.look.productIn(tenant, body.ProductId);
    const group: DeviceGroup = {
      id: randomUUID(),
      tenantId: tenant.id,
      productId: product.id,
      name: this.checkName('Device group', body.Name),
      description: this.checkDescription('Device group', body.Description),
      osFeedType: this.enumValue('OsFeedType', body.OsFeedType, OsFeedType, OsFeedType.Retail),
      updatePolicy: this.enumValue('UpdatePolicy', body.UpdatePolicy, UpdatePolicy, UpdatePolicy.UpdateAll),
      allowCrashDumpsCollection: this.booleanValue('AllowCrashDumpsCollection', body.AllowCrashDumpsCollection, false),
    };
    this.checkGroupNameFree(product, group.name);
    await this.ctx.store.commit({ t: 'deviceGroup', group });
    return jsonResponse(200, this.groupV2(group));
  }

  /**
   * `POST /products/{id}/devicegroups` (no body) → 200 `{Items}` of the five default groups
   * (learn.microsoft.com/rest/api/azure-sphere/device-group/create-defaults). Groups of those names that exist stay as
   * they are, so asking twice makes nothing twice.
   */
  private async createDefaultGroups(tenantId: string, rawProductId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'create device groups');
    const product = this.look.productIn(tenant, rawProductId);
    const added = this.fleet.defaultGroupsToAdd(product, DEFAULT_DEVICE_GROUPS.map(() => randomUUID()));
    await Promise.all(added.map((group) => this.ctx.store.commit({ t: 'deviceGroup', group })));
    const all = DEFAULT_DEVICE_GROUPS.map((t) => this.fleet.groupByName(product.id, t.name)!);
    return jsonResponse(200, { Items: all.map((g) => this.groupV2(g)), ContinuationToken: null });
  }

  /**
   * `PATCH /devicegroups/{id}` `{Name?, Description?, OSFeedType?, UpdatePolicy?, AllowCrashDumpsCollection?}` → 200
   * DeviceGroupV2 (learn.microsoft.com/rest/api/azure-sphere/device-group/patch spells it `OSFeedType`; `OsFeedType`,
   * as DeviceGroupV2 spells it, is taken too).
   */
  private async updateGroup(req: EmuRequest, tenantId: string, rawId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, MANAGE_ROLES, 'change device groups');
    const group = this.look.groupIn(tenant, rawId);
    const body = this.look.objectBody(req, 'a JSON object {"Name", "Description", "OSFeedType", "UpdatePolicy", "AllowCrashDumpsCollection"}');
    const next: DeviceGroup = { ...group };
    if (body.Name !== undefined) {
      next.name = this.checkName('Device group', body.Name);
      this.checkGroupNameFree(this.fleet.products.get(group.productId)!, next.name, group.id);
    }
    if (body.Description !== undefined) next.description = this.checkDescription('Device group', body.Description);
    const feed = body.OSFeedType ?? body.OsFeedType;
    if (feed !== undefined) next.osFeedType = this.enumValue('OSFeedType', feed, OsFeedType, group.osFeedType);
    if (body.UpdatePolicy !== undefined) next.updatePolicy = this.enumValue('UpdatePolicy', body.UpdatePolicy, UpdatePolicy, group.updatePolicy);
    if (body.AllowCrashDumpsCollection !== undefined) next.allowCrashDumpsCollection = this.booleanValue('AllowCrashDumpsCollection', body.AllowCrashDumpsCollection, group.allowCrashDumpsCollection);
    if (JSON.stringify(next) !== JSON.stringify(group)) await this.ctx.store.commit({ t: 'deviceGroup', group: next });
    return jsonResponse(200, this.groupV2(next));
  }

  /** `DELETE /devicegroups/{id}` → 202 Operation (DeleteDeviceGroup); refused with the count while it holds devices. */
  private async deleteGroup(tenantId: string, rawId: string, user: User): Promise<EmuResponse> {
    const tenant = this.guard.tenantFor(tenantId, user, ADMIN_ROLES, 'delete device groups');
    const group = this.look.groupIn(tenant, rawId);
    const running = this.fleet.pendingWhere((w) => w.kind === 'deleteDeviceGroup' && w.groupId === group.id);
    if (running) return operationResponse(running);
    const devices = this.fleet.deviceCount(group.id);
    if (devices > 0) this.guard.fail(409, ErrorCode.Conflict, `Device group '${group.name}' cannot be deleted: it holds ${devicesText(devices)}. Move them to another device group first.`);
    const operation = await this.operations.start(OperationType.DeleteDeviceGroup, tenant.id, `/v2/tenants/${tenant.id}/devicegroups/${group.id}`, { kind: 'deleteDeviceGroup', tenantId: tenant.id, groupId: group.id });
    return operationResponse(operation);
  }

  // ---- checks -------------------------------------------------------------------------------------------------

  private checkName(kind: FleetKind, raw: unknown): string {
    const problem = fleetNameProblem(kind, raw);
    if (problem) this.look.badRequest(problem);
    return raw as string;
  }

  private checkDescription(kind: FleetKind, raw: unknown): string {
    const problem = descriptionProblem(kind, raw);
    if (problem) this.look.badRequest(problem);
    return typeof raw === 'string' ? raw : '';
  }

  private checkProductNameFree(tenant: Tenant, name: string, exceptId?: string): void {
    const taken = this.fleet.productByName(tenant.id, name);
    if (taken && taken.id !== exceptId) this.guard.fail(409, ErrorCode.Conflict, `A product named '${taken.name}' already exists in tenant '${tenant.name}'; product names are unique in a tenant, whatever their case.`);
  }

  private checkGroupNameFree(product: Product, name: string, exceptId?: string): void {
    const taken = this.fleet.groupByName(product.id, name);
    if (taken && taken.id !== exceptId) this.guard.fail(409, ErrorCode.Conflict, `Product '${product.name}' already has a device group named '${taken.name}'; device group names are unique in a product, whatever their case.`);
  }

  private enumValue(field: string, raw: unknown, values: Readonly<Record<string, number>>, fallback: number): number {
    if (raw === undefined || raw === null) return fallback;
    const allowed = Object.entries(values);
    const found = allowed.find(([name, value]) => raw === value || (typeof raw === 'string' && raw.toLowerCase() === name.toLowerCase()));
    if (!found) this.look.badRequest(`${field} '${String(JSON.stringify(raw)).slice(0, 40)}' is not valid; use ${allowed.map(([name, value]) => `${value} (${name})`).join(' or ')}.`);
    return found[1];
  }

  private booleanValue(field: string, raw: unknown, fallback: boolean): boolean {
    if (raw === undefined || raw === null) return fallback;
    if (typeof raw !== 'boolean') this.look.badRequest(`${field} must be true or false.`);
    return raw;
  }
}
