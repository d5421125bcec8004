// Catalogs (Microsoft.AzureSphere/catalogs, a tracked resource): PUT (create = a new tenant behind it, with its own CA;
// an LRO, final-state-via azure-async-operation), PATCH tags, GET, DELETE (LRO via location; the tenant behind it
// stays), and the catalog's POST actions: countDevices, listDeployments, listDeviceGroups, listDeviceInsights and
// listDevices (paged, with $top/$skip/$maxpagesize). uploadImage is in image-routes.ts.
import { randomUUID } from 'node:crypto';
import { jsonResponse, type EmuResponse } from '../http';
import { completedOperation, OperationType } from '../model';
import { sphereCas } from '../sphere-ca-chain';
import { createTenantCa } from '../tenant-ca';
import { badRequest } from './arm-errors';
import { armPage } from './arm-paging';
import { catalogResource, catalogResourceId, deploymentResource, deviceResource, groupResource, systemDataNow, TYPES, type CatalogScope } from './arm-resources';
import { authorize, fleetOf, objectBody, operationName, type SphereCall, type SphereDeps } from './sphere-call';
import type { Catalog } from './sphere-catalogs';

/** The owner the emulator records for a tenant made behind an ARM catalog: no user, so no legacy role in it. */
export const CATALOG_TENANT_CREATOR = '00000000-0000-0000-0000-000000000000';

function tagsOf(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string')) throw badRequest("'tags' must be an object of string values.", 'tags', 'InvalidRequestContent');
  return { ...(raw as Record<string, string>) };
}

/** `PUT …/catalogs/{name}` with `{location, tags?}` → 201 (new) or 200 (replaced), Azure-AsyncOperation. */
export async function putCatalog(deps: SphereDeps, call: Omit<SphereCall, 'scope' | 'rest' | 'low'>, subscriptionId: string, resourceGroup: string, name: string, existing: Catalog | undefined): Promise<EmuResponse> {
  const { ctx, ops } = deps;
  const id = catalogResourceId(subscriptionId, resourceGroup, name);
  authorize(ctx, call.user, id, 'write', operationName(TYPES.catalog, 'write'));
  const body = objectBody(call.req);
  if (typeof body.location !== 'string' || body.location.trim() === '') throw badRequest("The catalog needs a 'location' ('global').", 'location', 'LocationRequired');
  if (existing && existing.location.toLowerCase() !== body.location.toLowerCase()) {
    throw badRequest(`The catalog '${name}' is in location '${existing.location}'; a resource cannot change location.`, 'location', 'LocationNotAvailableForResourceType');
  }
  const at = new Date(ctx.clock.now()).toISOString();
  let tenantId = existing?.tenantId;
  if (!tenantId) {
    tenantId = randomUUID();
    const sub = ctx.store.state.subscriptions.get(subscriptionId)!;
    const operation = completedOperation(OperationType.TenantCreation, tenantId, `/v2/tenants/${tenantId}`);
    const ca = await createTenantCa(tenantId, await sphereCas(ctx.store));
    await ctx.store.commit({ t: 'tenant', id: tenantId, name, directoryId: sub.directoryId, createdByOid: CATALOG_TENANT_CREATOR, createdFromDeviceId: null, createdUtc: at, ca, operation });
  }
  const catalog: Catalog = {
    subscriptionId,
    resourceGroup: existing?.resourceGroup ?? resourceGroup,
    name: existing?.name ?? name,
    location: existing?.location ?? body.location,
    tags: tagsOf(body.tags) ?? {},
    tenantId,
    linked: existing?.linked ?? false,
    systemData: systemDataNow(call.user.email, at, existing?.systemData),
  };
  await ctx.store.commit({ t: 'sphereCatalog', catalog });
  const op = await ops.finished(subscriptionId, id);
  return jsonResponse(existing ? 200 : 201, catalogResource(catalog), ops.headers(op, 'azure-async-operation'));
}

/** `PATCH …/catalogs/{name}` with `{tags}` → 200 (synchronous, as the spec has it). */
async function patchCatalog(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> {
  authorize(deps.ctx, call.user, call.scope.id, 'write', operationName(TYPES.catalog, 'write'));
  const tags = tagsOf(objectBody(call.req).tags);
  const at = new Date(deps.ctx.clock.now()).toISOString();
  const catalog: Catalog = { ...call.scope.catalog, tags: tags ?? call.scope.catalog.tags, systemData: systemDataNow(call.user.email, at, call.scope.catalog.systemData) };
  await deps.ctx.store.commit({ t: 'sphereCatalog', catalog });
  return jsonResponse(200, catalogResource(catalog));
}

/** `DELETE …/catalogs/{name}` → 202 + Location; the catalog is gone when the operation succeeds (here at once). */
async function deleteCatalog(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> {
  authorize(deps.ctx, call.user, call.scope.id, 'delete', operationName(TYPES.catalog, 'delete'));
  const c = call.scope.catalog;
  await deps.ctx.store.commit({ t: 'sphereCatalogDelete', subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup, name: c.name });
  const op = await deps.ops.finished(c.subscriptionId, null);
  return { status: 202, headers: deps.ops.headers(op, 'location') };
}

function readAction(deps: SphereDeps, call: SphereCall, action: string): void {
  authorize(deps.ctx, call.user, call.scope.id, 'read', operationName(TYPES.catalog, action));
}

function listAction(deps: SphereDeps, call: SphereCall, items: readonly Record<string, unknown>[], listKey: string): EmuResponse {
  return jsonResponse(200, armPage(call.req, deps.ctx.baseUrl, items, `${listKey}:${call.scope.tenant.id}`, true));
}

function allDeployments(deps: SphereDeps, scope: CatalogScope): Record<string, unknown>[] {
  const fleet = fleetOf(deps);
  return fleet.groupsOfTenant(scope.tenant.id).flatMap((g) => (fleet.deployments.get(g.id) ?? []).map((d) => deploymentResource(deps.ctx.store.state, scope, deps.ctx.baseUrl, g, d)));
}

/** Catalog-level requests: `rest` is empty or one action. */
export function routeCatalog(deps: SphereDeps, call: SphereCall): Promise<EmuResponse> | EmuResponse | undefined {
  const { req, scope, low } = call;
  const m = req.method;
  const state = deps.ctx.store.state;
  if (low.length === 0) {
    if (m === 'GET') {
      authorize(deps.ctx, call.user, scope.id, 'read', operationName(TYPES.catalog, 'read'));
      return jsonResponse(200, catalogResource(scope.catalog));
    }
    if (m === 'PATCH') return patchCatalog(deps, call);
    if (m === 'DELETE') return deleteCatalog(deps, call);
    return undefined;
  }
  if (low.length !== 1 || m !== 'POST') return undefined;
  const fleet = state.fleet;
  switch (low[0]) {
    case 'countdevices':
      readAction(deps, call, 'countDevices');
      return jsonResponse(200, { value: scope.tenant.deviceOrder.length });
    case 'listdevices':
      readAction(deps, call, 'listDevices');
      return listAction(deps, call, scope.tenant.deviceOrder.map((id) => deviceResource(state, scope, id)), 'catalogDevices');
    case 'listdeployments':
      readAction(deps, call, 'listDeployments');
      return listAction(deps, call, allDeployments(deps, scope), 'catalogDeployments');
    case 'listdevicegroups': {
      readAction(deps, call, 'listDeviceGroups');
      const body = objectBody(req);
      const wanted = body.deviceGroupName;
      if (wanted !== undefined && wanted !== null && typeof wanted !== 'string') throw badRequest("'deviceGroupName' must be a string.", 'deviceGroupName', 'InvalidRequestContent');
      const groups = fleet.groupsOfTenant(scope.tenant.id).filter((g) => typeof wanted !== 'string' || g.name.toLowerCase() === wanted.toLowerCase());
      return listAction(deps, call, groups.map((g) => groupResource(state, scope, g)), `catalogGroups:${typeof wanted === 'string' ? wanted.toLowerCase() : ''}`);
    }
    case 'listdeviceinsights': {
      readAction(deps, call, 'listDeviceInsights');
      const events = [...(fleet.events.get(scope.tenant.id) ?? [])].reverse();
      const iso = (unix: number) => new Date(unix * 1000).toISOString();
      const items = events.map((e) => ({
        deviceId: e.deviceId,
        description: e.description,
        startTimestampUtc: iso(e.startTimestampInUnix),
        endTimestampUtc: iso(e.endTimestampInUnix),
        eventCategory: e.eventCategory,
        eventClass: e.eventClass,
        eventType: e.eventType,
        eventCount: e.eventCount,
      }));
      return listAction(deps, call, items, 'catalogInsights');
    }
    default:
      return undefined;
  }
}
