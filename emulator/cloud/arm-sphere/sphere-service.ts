// The emulator's Azure Sphere (Integrated) API: Microsoft.AzureSphere 2024-04-01 over ARM (docs/cloud-api.md#azure-sphere-integrated-over-arm),
// reached from ArmService (../arm.ts), which has authenticated the caller and checked that an api-version is given.
// Here: the api-version this provider serves, the subscription (exists, caller's directory), the provider's
// registration (409 MissingSubscriptionRegistration until POST …/providers/Microsoft.AzureSphere/register), the
// operation status and result URLs of LROs, the catalog lists, the path-name patterns, and the dispatch to a
// catalog's routes. Every answer carries x-ms-request-id and x-ms-correlation-request-id, as ARM's do.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { FleetImageStore } from '../fleet-image-store';
import type { FleetOperations } from '../fleet-operations';
import { jsonResponse, type EmuRequest, type EmuResponse } from '../http';
import type { User } from '../model';
import { ArmSphereError, armErrorResponse, badRequest, missingRegistration, PROVIDER_NAMESPACE, resourceNotFound } from './arm-errors';
import { checkName } from './arm-names';
import { ArmOperations } from './arm-operations';
import { armPage } from './arm-paging';
import { API_VERSION, catalogResource, catalogResourceId, TYPES, type CatalogScope } from './arm-resources';
import { putCatalog, routeCatalog } from './catalog-routes';
import { routeCertificates } from './certificate-routes';
import { routeDeployments } from './deployment-routes';
import { routeDevices } from './device-routes';
import { routeImages } from './image-routes';
import { providerOperations } from './provider-operations';
import { routeProducts } from './product-routes';
import { authorize, operationName, type SphereCall, type SphereDeps } from './sphere-call';

export class ArmSphereService {
  readonly deps: SphereDeps;

  constructor(ctx: EmulatorContext, fleetOperations: FleetOperations, imageStore: FleetImageStore) {
    this.deps = { ctx, ops: new ArmOperations(ctx, fleetOperations), imageStore };
  }

  private get state() {
    return this.deps.ctx.store.state;
  }

  /** `s` are the decoded path segments: `subscriptions/{s}/…` or `providers/Microsoft.AzureSphere/operations`. */
  async handle(req: EmuRequest, s: string[], user: User): Promise<EmuResponse | undefined> {
    const requestId = randomUUID();
    const correlation = typeof req.headers['x-ms-correlation-request-id'] === 'string' ? req.headers['x-ms-correlation-request-id'] : requestId;
    let res: EmuResponse | undefined;
    try {
      res = await this.route(req, s, user);
    } catch (err) {
      if (!(err instanceof ArmSphereError)) throw err;
      res = armErrorResponse(err);
    }
    if (!res) return undefined;
    return { ...res, headers: { ...(res.headers ?? {}), 'x-ms-request-id': requestId, 'x-ms-correlation-request-id': correlation } };
  }

  private checkApiVersion(req: EmuRequest, type: string): void {
    const version = req.url.searchParams.get('api-version');
    if (version !== API_VERSION) {
      throw badRequest(`No registered resource provider found for location 'global' and API version '${version}' for type '${type.split('/').slice(1).join('/')}'. The supported api-versions are '${API_VERSION}'.`, undefined, 'NoRegisteredProviderFound');
    }
  }

  private subscriptionFor(subscriptionId: string, user: User): string {
    const sub = [...this.state.subscriptions.values()].find((x) => x.id.toLowerCase() === subscriptionId.toLowerCase());
    if (!sub) throw new ArmSphereError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    if (sub.directoryId !== user.directoryId) {
      throw new ArmSphereError(403, 'AuthorizationFailed', `The client '${user.email}' with object id '${user.oid}' does not have authorization to perform this action over scope '/subscriptions/${subscriptionId}' or the scope is invalid.`);
    }
    return sub.id;
  }

  private async route(req: EmuRequest, s: string[], user: User): Promise<EmuResponse | undefined> {
    const low = s.map((x) => x.toLowerCase());
    const m = req.method;
    if (low[0] === 'providers') {
      if (s.length === 3 && low[2] === 'operations' && m === 'GET') {
        this.checkApiVersion(req, `${PROVIDER_NAMESPACE}/operations`);
        return jsonResponse(200, armPage(req, this.deps.ctx.baseUrl, providerOperations(), 'operations', false));
      }
      return undefined;
    }
    const subscriptionId = this.subscriptionFor(s[1]!, user);
    // /subscriptions/{s}/providers/Microsoft.AzureSphere[/register]: the provider resource (any api-version: it is the Resources API's).
    if (low[2] === 'providers' && s.length === 4 && m === 'GET') return jsonResponse(200, this.provider(subscriptionId));
    if (low[2] === 'providers' && s.length === 5 && low[4] === 'register' && m === 'POST') {
      authorize(this.deps.ctx, user, `/subscriptions/${subscriptionId}`, 'action', `${PROVIDER_NAMESPACE}/register/action`);
      if (!this.state.sphere.isRegistered(subscriptionId)) await this.deps.ctx.store.commit({ t: 'sphereProvider', subscriptionId, registrationState: 'Registered' });
      return jsonResponse(200, this.provider(subscriptionId));
    }
    const rg = low[2] === 'resourcegroups';
    const type = rg ? `${PROVIDER_NAMESPACE}/${s[6] ?? 'catalogs'}` : `${PROVIDER_NAMESPACE}/${s[4] ?? ''}`;
    this.checkApiVersion(req, type);
    if (!this.state.sphere.isRegistered(subscriptionId)) throw missingRegistration(subscriptionId);
    if (!rg) return this.subscriptionLevel(req, s, low, subscriptionId, user);
    if (low[6] !== 'catalogs') return undefined;
    const resourceGroup = s[3]!;
    if (s.length === 7 && m === 'GET') {
      const visible = [...this.state.sphere.catalogs.values()].filter((c) => c.subscriptionId === subscriptionId && c.resourceGroup.toLowerCase() === resourceGroup.toLowerCase());
      return this.catalogList(req, visible, user, `catalogs:${subscriptionId}:${resourceGroup.toLowerCase()}`);
    }
    if (s.length < 8) return undefined;
    const name = checkName('catalogName', s[7]!);
    this.checkChildNames(s, low);
    const catalog = this.state.sphere.catalog(subscriptionId, resourceGroup, name);
    if (s.length === 8 && m === 'PUT') return putCatalog(this.deps, { req, user }, subscriptionId, catalog?.resourceGroup ?? resourceGroup, catalog?.name ?? name, catalog);
    const id = catalogResourceId(subscriptionId, resourceGroup, name);
    if (!catalog) {
      if (s.length === 8 && m === 'DELETE') {
        authorize(this.deps.ctx, user, id, 'delete', operationName(TYPES.catalog, 'delete'));
        return { status: 204 };
      }
      authorize(this.deps.ctx, user, id, 'read', operationName(TYPES.catalog, 'read'));
      throw resourceNotFound(TYPES.catalog, name, resourceGroup);
    }
    const tenant = this.state.tenants.get(catalog.tenantId)!;
    const scope: CatalogScope = { catalog, tenant, id: catalogResourceId(catalog.subscriptionId, catalog.resourceGroup, catalog.name) };
    const call: SphereCall = { req, user, scope, rest: s.slice(8), low: low.slice(8) };
    const first = call.low[0];
    if (first === undefined) return routeCatalog(this.deps, call);
    if (first === 'certificates') return routeCertificates(this.deps, call);
    if (first === 'images' || first === 'uploadimage') return routeImages(this.deps, call);
    if (first === 'products') return (await routeDeployments(this.deps, call)) ?? (await routeDevices(this.deps, call)) ?? routeProducts(this.deps, call);
    return routeCatalog(this.deps, call);
  }

  /** The names in a catalog path, each against its pattern. */
  private checkChildNames(s: string[], low: string[]): void {
    if (low[8] === 'products' && s[9] !== undefined) checkName('productName', s[9]);
    if (low[10] === 'devicegroups' && s[11] !== undefined) checkName('deviceGroupName', s[11]);
    if (low[12] === 'devices' && s[13] !== undefined) checkName('deviceName', s[13]);
  }

  /** `/subscriptions/{s}/providers/Microsoft.AzureSphere/(catalogs | locations/{l}/operationStatuses|operationResults/{id})`. */
  private async subscriptionLevel(req: EmuRequest, s: string[], low: string[], subscriptionId: string, user: User): Promise<EmuResponse | undefined> {
    if (req.method !== 'GET') return undefined;
    if (s.length === 5 && low[4] === 'catalogs') {
      const visible = [...this.state.sphere.catalogs.values()].filter((c) => c.subscriptionId === subscriptionId);
      return this.catalogList(req, visible, user, `catalogs:${subscriptionId}`);
    }
    if (s.length === 8 && low[4] === 'locations' && (low[6] === 'operationstatuses' || low[6] === 'operationresults')) {
      const op = this.state.sphere.operations.get(low[7]!);
      if (!op || op.subscriptionId !== subscriptionId) throw new ArmSphereError(404, 'OperationNotFound', `The operation '${s[7]}' was not found in subscription '${subscriptionId}'.`);
      const ops = this.deps.ops;
      if (low[6] === 'operationstatuses') return ops.statusResponse(op);
      let finalBody: Record<string, unknown> | undefined;
      if (ops.current(op).status === 'Succeeded' && op.resourceId && !op.resultBody) {
        const got = await this.route({ ...req, method: 'GET', path: op.resourceId, url: new URL(`${op.resourceId}?api-version=${API_VERSION}`, this.deps.ctx.baseUrl) }, op.resourceId.split('/').filter((x) => x.length > 0), user).catch(() => undefined);
        if (got?.status === 200 && typeof got.body === 'string') finalBody = JSON.parse(got.body) as Record<string, unknown>;
      }
      return ops.resultResponse(op, finalBody);
    }
    return undefined;
  }

  /** The catalogs the user holds a role on (ARM lists only what the caller may read). */
  private catalogList(req: EmuRequest, catalogs: ReturnType<typeof this.state.sphere.catalog>[], user: User, listKey: string): EmuResponse {
    const readable = catalogs.filter((c) => c && this.state.sphere.roleAt(user.oid, catalogResourceId(c.subscriptionId, c.resourceGroup, c.name)) !== undefined);
    return jsonResponse(200, armPage(req, this.deps.ctx.baseUrl, readable.map((c) => catalogResource(c!)), listKey, false));
  }

  private provider(subscriptionId: string): Record<string, unknown> {
    const registered = this.state.sphere.isRegistered(subscriptionId);
    return {
      id: `/subscriptions/${subscriptionId}/providers/${PROVIDER_NAMESPACE}`,
      namespace: PROVIDER_NAMESPACE,
      registrationState: registered ? 'Registered' : 'NotRegistered',
      registrationPolicy: 'RegistrationRequired',
      resourceTypes: ['catalogs', 'catalogs/certificates', 'catalogs/images', 'catalogs/products', 'catalogs/products/deviceGroups', 'catalogs/products/deviceGroups/deployments', 'catalogs/products/deviceGroups/devices', 'locations', 'locations/operationStatuses', 'operations'].map(
        (resourceType) => ({ resourceType, locations: resourceType.startsWith('catalogs') ? ['Global'] : [], apiVersions: [API_VERSION] }),
      ),
    };
  }
}
