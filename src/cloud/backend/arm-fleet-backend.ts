// FleetBackend over Azure Resource Manager (Azure Sphere catalogs, Microsoft.AzureSphere 2024-04-01). Entity ids
// are ARM resource IDs, read back into catalog / product / device group names; the checks the legacy client makes
// before sending are made here too (a name already taken, a product or group that still holds devices, a
// deployment's images), since ARM's PUT would silently replace what a name already names.
import { parseCertificate, parsePkcs7, type ParsedCertificate } from '../certificates';
import { CloudApiError } from '../api-error';
import { InvalidArgumentError } from '../errors';
import type { ImagePackageInput } from '../image-upload-source';
import type { PageResult } from '../paging';
import { requireDeviceId, requireVerificationCode, shortDeviceId } from '../validate';
import { ProviderNotRegisteredError } from '../arm-sphere/arm-errors';
import type { ArmProgress } from '../arm-sphere/arm-pipeline';
import type { ArmCallOptions, ArmSphereClient, DeviceGroupChangesArm, DeviceGroupRef } from '../arm-sphere/arm-sphere-client';
import type { ArmDeployment, ArmDevice, ArmDeviceGroup, ArmImage, ArmProduct, CapabilityType, Catalog, CatalogRef } from '../arm-sphere/arm-sphere-types';
import {
  currentDeployment,
  IMAGE_TYPE_NAMES,
  osFeedOf,
  updatePolicyOf,
  type DeviceGroupSettings,
  type FleetBackend,
  type FleetCallOptions,
  type FleetCertificate,
  type FleetDeployment,
  type FleetDevice,
  type FleetDeviceGroup,
  type FleetImage,
  type FleetProduct,
  type FleetDeviceInsight,
  type FleetScope,
  type ScopeListOptions,
} from './fleet-backend';
import { checkDeploymentImages } from './legacy-fleet-backend';

const UNASSIGNED = '.unassigned';
const CAPABILITIES: Readonly<Record<number, CapabilityType>> = { 11: 'ApplicationDevelopment', 13: 'FieldServicing' };

export class ArmFleetBackend implements FleetBackend {
  readonly kind = 'catalog' as const;

  constructor(private readonly arm: ArmSphereClient) {}

  /**
   * The catalogs of every subscription the account can see, or of the one (and resource group) asked for. A
   * subscription where Microsoft.AzureSphere is not registered holds none: it is skipped and told to `onSkipped`
   * (without one, the ProviderNotRegisteredError is thrown).
   */
  async listScopes(options: ScopeListOptions = {}): Promise<FleetScope[]> {
    const visible = await this.arm.listSubscriptions(call(options));
    const wanted = options.subscriptionId?.toLowerCase();
    const subs = wanted ? visible.filter((s) => s.subscriptionId.toLowerCase() === wanted) : visible;
    if (wanted && subs.length === 0) throw new InvalidArgumentError(`Subscription ${options.subscriptionId} is not among the subscriptions this account can see; choose another (Choose Subscription and Resource Group for Catalogs…).`);
    const scopes: FleetScope[] = [];
    for (const sub of subs) {
      try {
        scopes.push(...(await this.arm.listCatalogs(sub.subscriptionId, { ...call(options), resourceGroup: wanted ? options.resourceGroup || undefined : undefined })).map(catalogScope));
      } catch (err) {
        if (!(err instanceof ProviderNotRegisteredError) || !options.onSkipped) throw err;
        options.onSkipped({ id: sub.subscriptionId, name: sub.displayName }, err);
      }
    }
    return scopes;
  }

  // ---- products -----------------------------------------------------------------------------------------------

  async listProducts(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetProduct[]> {
    return (await this.arm.listProducts(catalogOf(scope), call(options))).map(product);
  }

  async createProduct(scope: FleetScope, request: { name: string; description?: string; createDefaultGroups?: boolean }, options: FleetCallOptions = {}): Promise<FleetProduct> {
    const catalog = catalogOf(scope);
    const name = (request.name ?? '').trim();
    const taken = (await this.arm.listProducts(catalog, call(options))).find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new InvalidArgumentError(`Catalog ${catalog.catalogName} already has a product named "${taken.name}"; product names are unique in a catalog, whatever their case.`);
    const created = await this.arm.createProduct(catalog, name, request.description ?? '', call(options));
    if (request.createDefaultGroups ?? true) await this.arm.generateDefaultDeviceGroups(catalog, name, call(options));
    return product(created);
  }

  async updateProduct(scope: FleetScope, productId: string, changes: { name?: string; description?: string }, options: FleetCallOptions = {}): Promise<FleetProduct> {
    const { catalog, productName } = productOf(scope, productId);
    if (changes.name !== undefined && changes.name !== productName) {
      throw new InvalidArgumentError(`A catalog's product is named by its resource path, so "${productName}" cannot be renamed; create a product with the new name instead.`);
    }
    if (changes.description === undefined) throw new InvalidArgumentError('Nothing to change: give the product a new description.');
    return product(await this.arm.updateProduct(catalog, productName, changes.description, call(options)));
  }

  async deleteProduct(scope: FleetScope, productId: string, options: FleetCallOptions = {}): Promise<void> {
    const { catalog, productName } = productOf(scope, productId);
    const devices = await this.arm.countDevicesInProduct(catalog, productName, call(options));
    if (devices > 0) throw new InvalidArgumentError(`Product "${productName}" still has ${devicesText(devices)} in its device groups; move them to another product's device group before deleting it.`);
    await this.arm.deleteProduct(catalog, productName, call(options));
  }

  async createDefaultDeviceGroups(scope: FleetScope, productId: string, options: FleetCallOptions = {}): Promise<FleetDeviceGroup[]> {
    const { catalog, productName } = productOf(scope, productId);
    return (await this.arm.generateDefaultDeviceGroups(catalog, productName, call(options))).map(group);
  }

  // ---- device groups ------------------------------------------------------------------------------------------

  async listDeviceGroups(scope: FleetScope, productId: string, options: FleetCallOptions = {}): Promise<FleetDeviceGroup[]> {
    const { catalog, productName } = productOf(scope, productId);
    return (await this.arm.listDeviceGroups(catalog, productName, call(options))).map(group);
  }

  async createDeviceGroup(scope: FleetScope, productId: string, request: DeviceGroupSettings & { name: string }, options: FleetCallOptions = {}): Promise<FleetDeviceGroup> {
    const { catalog, productName } = productOf(scope, productId);
    const name = (request.name ?? '').trim();
    const taken = (await this.arm.listDeviceGroups(catalog, productName, call(options))).find((g) => g.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new InvalidArgumentError(`Product "${productName}" already has a device group named "${taken.name}"; group names are unique in a product, whatever their case.`);
    const ref: DeviceGroupRef = { ...catalog, productName, deviceGroupName: name };
    return group(await this.arm.createDeviceGroup(ref, { description: '', osFeedType: 'Retail', updatePolicy: 'UpdateAll', ...groupProperties(request) }, call(options)));
  }

  async updateDeviceGroup(scope: FleetScope, groupId: string, changes: DeviceGroupSettings & { name?: string }, options: FleetCallOptions = {}): Promise<FleetDeviceGroup> {
    const ref = groupOf(scope, groupId);
    if (changes.name !== undefined && changes.name !== ref.deviceGroupName) {
      throw new InvalidArgumentError(`A catalog's device group is named by its resource path, so "${ref.deviceGroupName}" cannot be renamed; create a group with the new name instead.`);
    }
    return group(await this.arm.updateDeviceGroup(ref, groupProperties(changes), call(options)));
  }

  async deleteDeviceGroup(scope: FleetScope, groupId: string, options: FleetCallOptions = {}): Promise<void> {
    const ref = groupOf(scope, groupId);
    const devices = await this.arm.countDevicesInGroup(ref, call(options));
    if (devices > 0) throw new InvalidArgumentError(`Device group "${ref.deviceGroupName}" still holds ${devicesText(devices)}; move them to another group before deleting it.`);
    await this.arm.deleteDeviceGroup(ref, call(options));
  }

  async countDevices(scope: FleetScope, within: { productId?: string; groupId?: string } = {}, options: FleetCallOptions = {}): Promise<number> {
    if (within.groupId) return this.arm.countDevicesInGroup(groupOf(scope, within.groupId), call(options));
    if (within.productId) {
      const { catalog, productName } = productOf(scope, within.productId);
      return this.arm.countDevicesInProduct(catalog, productName, call(options));
    }
    return this.arm.countDevices(catalogOf(scope), call(options));
  }

  // ---- devices ------------------------------------------------------------------------------------------------

  async *listDevicePages(scope: FleetScope, groupId: string, options: FleetCallOptions & { maxPageSize?: number } = {}): AsyncGenerator<PageResult<FleetDevice>, void, undefined> {
    for await (const page of this.arm.listDevicePages(groupOf(scope, groupId), call(options))) yield { items: page.items.map(device), continuationToken: page.continuationToken };
  }

  async getDevice(scope: FleetScope, deviceId: string, options: FleetCallOptions & { groupId?: string } = {}): Promise<FleetDevice> {
    return device(await this.findDevice(scope, deviceId, options));
  }

  /**
   * Claims the device: into the group (Devices_CreateOrUpdate under its path), or with no group into the catalog
   * only (`.unassigned/.unassigned`).
   */
  async claimDevice(scope: FleetScope, deviceId: string, options: FleetCallOptions & { groupId?: string } = {}): Promise<FleetDevice> {
    const ref = options.groupId ? groupOf(scope, options.groupId) : { ...catalogOf(scope), productName: UNASSIGNED, deviceGroupName: UNASSIGNED };
    const claimed = await this.arm.claimDevice(ref, deviceId, call(options));
    return device(claimed.id ? claimed : await this.arm.getDevice(ref, deviceId, call(options)));
  }

  async moveDevice(scope: FleetScope, deviceId: string, groupId: string, options: FleetCallOptions & { fromGroupId?: string; withinProduct?: boolean } = {}): Promise<void> {
    const target = groupOf(scope, groupId);
    const current = await this.findDevice(scope, deviceId, { ...options, groupId: options.fromGroupId });
    const from = refFromDeviceId(current.id);
    if (options.withinProduct && from.productName !== UNASSIGNED && from.productName.toLowerCase() !== target.productName.toLowerCase()) {
      throw new InvalidArgumentError(`Device ${shortDeviceId(deviceId)} is in product "${from.productName}", and device group "${target.deviceGroupName}" belongs to product "${target.productName}"; a device moves only between the groups of its product.`);
    }
    await this.arm.moveDevice(from, deviceId, groupId, call(options));
  }

  /**
   * ARM has no per-device list: the images of the current deployment of the device's group, without applications
   * when the group takes no app updates.
   */
  async listTargetedImages(scope: FleetScope, deviceId: string, options: FleetCallOptions & { groupId?: string } = {}): Promise<FleetImage[]> {
    const found = await this.findDevice(scope, deviceId, options);
    const ref = refFromDeviceId(found.id);
    if (ref.productName === UNASSIGNED || ref.deviceGroupName === UNASSIGNED) return [];
    const g = group(await this.arm.getDeviceGroup(ref, call(options)));
    const current = currentDeployment(g, (await this.arm.listDeployments(ref, call(options))).map(deployment));
    if (!current) return [];
    const images = new Map((await this.arm.listImages(catalogOf(scope), call(options))).map(image).map((i) => [i.id, i]));
    return current.imageIds
      .map((id) => images.get(id) ?? { id, name: '', componentId: '', description: '', type: -1, typeName: 'Other' })
      .filter((i) => g.updatePolicy !== 'No3rdPartyAppUpdates' || i.typeName !== 'Applications');
  }

  // ---- images and deployments ---------------------------------------------------------------------------------

  async uploadImage(scope: FleetScope, input: ImagePackageInput, options: FleetCallOptions & { onUploadProgress?: (bytesSent: number, total: number) => void } = {}): Promise<FleetImage> {
    return image(await this.arm.uploadImage(catalogOf(scope), input, { ...call(options), onUploadProgress: options.onUploadProgress }));
  }

  async listImages(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetImage[]> {
    return (await this.arm.listImages(catalogOf(scope), call(options))).map(image);
  }

  async getImage(scope: FleetScope, imageId: string, options: FleetCallOptions = {}): Promise<FleetImage> {
    return image(await this.arm.getImage(catalogOf(scope), imageId, call(options)));
  }

  async listDeployments(scope: FleetScope, groupId: string, options: FleetCallOptions = {}): Promise<FleetDeployment[]> {
    return (await this.arm.listDeployments(groupOf(scope, groupId), call(options))).map(deployment);
  }

  async createDeployment(scope: FleetScope, groupId: string, imageIds: readonly string[], options: FleetCallOptions & { knownImages?: readonly FleetImage[] } = {}): Promise<FleetDeployment> {
    const ref = groupOf(scope, groupId);
    const ids = checkDeploymentImages(imageIds, options.knownImages);
    return deployment(await this.arm.createDeployment(ref, ids, call(options)));
  }

  // ---- CA certificates ----------------------------------------------------------------------------------------

  async listCaCertificates(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetCertificate[]> {
    return (await this.arm.listCertificates(catalogOf(scope), call(options))).map((c) => ({
      id: c.name,
      ...(c.properties?.thumbprint && { thumbprint: c.properties.thumbprint }),
      status: c.properties?.status ?? 'Active',
      ...(c.properties?.subject && { subject: c.properties.subject }),
      ...(c.properties?.notBeforeUtc && { notBefore: c.properties.notBeforeUtc }),
      ...(c.properties?.expiryUtc && { notAfter: c.properties.expiryUtc }),
    }));
  }

  async getCaCertificate(scope: FleetScope, options: FleetCallOptions & { certificateId?: string } = {}): Promise<ParsedCertificate> {
    const cert = await this.arm.getCertificate(catalogOf(scope), options.certificateId ?? '.default', call(options));
    return parseCertificate(requireText(cert.properties?.certificate, 'Downloading the CA certificate'), 'The catalog CA certificate');
  }

  async getCaCertificateChain(scope: FleetScope, options: FleetCallOptions & { certificateId?: string } = {}): Promise<ParsedCertificate[]> {
    const chain = await this.arm.retrieveCertChain(catalogOf(scope), options.certificateId ?? '.default', call(options));
    return parsePkcs7(requireText(chain.certificateChain, 'Downloading the CA certificate chain'), 'The catalog CA certificate chain');
  }

  async getProofOfPossessionCertificate(scope: FleetScope, verificationCode: string, options: FleetCallOptions & { certificateId?: string } = {}): Promise<ParsedCertificate> {
    const code = requireVerificationCode(verificationCode);
    const proof = await this.arm.retrieveProofOfPossessionNonce(catalogOf(scope), options.certificateId ?? '.default', code, call(options));
    return parseCertificate(requireText(proof.certificate, 'Downloading the proof-of-possession certificate'), 'The proof-of-possession certificate');
  }

  async listDeviceInsights(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetDeviceInsight[]> {
    return (await this.arm.listDeviceInsights(catalogOf(scope), call(options))).map((e) => ({
      deviceId: (e.deviceId ?? '').toUpperCase(),
      description: e.description ?? '',
      eventCategory: e.eventCategory ?? '',
      eventClass: e.eventClass ?? '',
      eventType: e.eventType ?? '',
      eventCount: e.eventCount ?? 0,
      startUtc: e.startTimestampUtc ?? '',
      endUtc: e.endTimestampUtc ?? '',
    }));
  }

  async *listScopeDevicePages(scope: FleetScope, options: FleetCallOptions & { maxPageSize?: number } = {}): AsyncGenerator<PageResult<FleetDevice>, void, undefined> {
    for await (const page of this.arm.listCatalogDevicePages(catalogOf(scope), { ...call(options), maxPageSize: options.maxPageSize })) yield { items: page.items.map(device), continuationToken: page.continuationToken };
  }

  async createCapabilityImage(scope: FleetScope, deviceId: string, capabilities: readonly number[], options: FleetCallOptions & { groupId?: string } = {}): Promise<Buffer> {
    const types = capabilities.map((c) => {
      const type = CAPABILITIES[c];
      if (!type) throw new InvalidArgumentError(`Device capability ${c} is not offered by Azure Sphere catalogs; use 11 (app development) or 13 (field servicing).`);
      return type;
    });
    const current = await this.findDevice(scope, deviceId, options);
    return this.arm.generateCapabilityImage(refFromDeviceId(current.id), deviceId, types, call(options));
  }

  /** The device's resource: under the group given, or found across the catalog (Catalogs_ListDevices). */
  private async findDevice(scope: FleetScope, deviceId: string, options: FleetCallOptions & { groupId?: string }): Promise<ArmDevice> {
    const id = requireDeviceId(deviceId);
    if (options.groupId) return this.arm.getDevice(groupOf(scope, options.groupId), id, call(options));
    for await (const page of this.arm.listCatalogDevicePages(catalogOf(scope), call(options))) {
      const found = page.items.find((d) => (d.properties?.deviceId ?? d.name).toUpperCase() === id);
      if (found) return found;
    }
    throw new CloudApiError(`Device ${shortDeviceId(id)} is not claimed in catalog ${scope.name}.`, 'NotFound', 404, undefined, undefined);
  }
}

// ---- resource IDs ---------------------------------------------------------------------------------------------

const CATALOG_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.AzureSphere\/catalogs\/([^/]+)/i;

function catalogScope(c: Catalog): FleetScope {
  const ref = parseCatalogId(c.id);
  return { id: c.id, name: c.name, kind: 'catalog', ...(c.properties?.tenantId && { tenantId: c.properties.tenantId }), subscriptionId: ref.subscriptionId, resourceGroup: ref.resourceGroup };
}

function parseCatalogId(id: string): CatalogRef {
  const m = CATALOG_ID.exec(id ?? '');
  if (!m) throw new InvalidArgumentError(`"${id}" is not an Azure Sphere catalog's resource ID.`);
  return { subscriptionId: m[1]!, resourceGroup: decodeURIComponent(m[2]!), catalogName: m[3]! };
}

function catalogOf(scope: FleetScope): CatalogRef {
  if (scope.kind !== 'catalog') throw new InvalidArgumentError(`"${scope.name}" is a legacy tenant; the catalog backend cannot work on it.`);
  return parseCatalogId(scope.id);
}

/** The part of `id` below the scope's catalog, after checking it is that catalog's. */
function below(scope: FleetScope, id: string, what: string): string[] {
  const catalog = catalogOf(scope);
  const prefix = `/subscriptions/${catalog.subscriptionId}/resourceGroups/${catalog.resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${catalog.catalogName}/`;
  if (!(id ?? '').toLowerCase().startsWith(prefix.toLowerCase())) throw new InvalidArgumentError(`"${id}" is not ${what} of catalog ${catalog.catalogName}.`);
  return id.slice(prefix.length).split('/').map(decodeURIComponent);
}

function productOf(scope: FleetScope, productId: string): { catalog: CatalogRef; productName: string } {
  const parts = below(scope, productId, 'a product');
  if (parts.length !== 2 || parts[0]!.toLowerCase() !== 'products') throw new InvalidArgumentError(`"${productId}" is not a product's resource ID.`);
  return { catalog: catalogOf(scope), productName: parts[1]! };
}

function groupOf(scope: FleetScope, groupId: string): DeviceGroupRef {
  const parts = below(scope, groupId, 'a device group');
  if (parts.length !== 4 || parts[0]!.toLowerCase() !== 'products' || parts[2]!.toLowerCase() !== 'devicegroups') throw new InvalidArgumentError(`"${groupId}" is not a device group's resource ID.`);
  return { ...catalogOf(scope), productName: parts[1]!, deviceGroupName: parts[3]! };
}

/** The group a device's resource ID places it in. */
function refFromDeviceId(id: string): DeviceGroupRef {
  const catalog = parseCatalogId(id);
  const m = /\/products\/([^/]+)\/deviceGroups\/([^/]+)\/devices\/[^/]+$/i.exec(id);
  if (!m) throw new CloudApiError(`The service named device "${id}" without its product and device group.`, 'invalid_response', 0, undefined, undefined);
  return { ...catalog, productName: decodeURIComponent(m[1]!), deviceGroupName: decodeURIComponent(m[2]!) };
}

// ---- mapping --------------------------------------------------------------------------------------------------

function call(options: FleetCallOptions): ArmCallOptions {
  const onProgress = options.onProgress;
  return {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    onProgress:
      onProgress &&
      ((p: ArmProgress) =>
        onProgress(p.kind === 'throttled' ? { kind: 'throttled', waitMs: p.waitMs, attempt: p.attempt } : { kind: 'operation', status: p.status, ...(p.percentComplete !== undefined && { percentComplete: p.percentComplete }) })),
  };
}

function groupProperties(s: DeviceGroupSettings): DeviceGroupChangesArm {
  return {
    ...(s.description !== undefined && { description: s.description }),
    ...(s.osFeed !== undefined && { osFeedType: s.osFeed }),
    ...(s.updatePolicy !== undefined && { updatePolicy: s.updatePolicy }),
    ...(s.allowCrashDumps !== undefined && { allowCrashDumpsCollection: s.allowCrashDumps ? 'Enabled' : 'Disabled' }),
  };
}

function product(p: ArmProduct): FleetProduct {
  return { id: p.id, name: p.name, description: p.properties?.description ?? '' };
}

function group(g: ArmDeviceGroup): FleetDeviceGroup {
  return {
    id: g.id,
    name: g.name,
    description: g.properties?.description ?? '',
    productId: g.id.replace(/\/deviceGroups\/[^/]+$/i, ''),
    osFeed: osFeedOf(g.properties?.osFeedType),
    updatePolicy: updatePolicyOf(g.properties?.updatePolicy),
    allowCrashDumps: (g.properties?.allowCrashDumpsCollection ?? '').toLowerCase() === 'enabled',
    hasDeployment: g.properties?.hasDeployment === true,
  };
}

function device(d: ArmDevice): FleetDevice {
  const m = /^(.*\/products\/([^/]+))\/deviceGroups\/([^/]+)\/devices\/[^/]+$/i.exec(d.id);
  const p = d.properties ?? {};
  const assigned = m && m[2] !== UNASSIGNED && m[2] !== '.default';
  return {
    id: (p.deviceId ?? d.name).toUpperCase(),
    ...(assigned && { productId: m[1]! }),
    ...(assigned && m[3] !== UNASSIGNED && m[3] !== '.default' && { groupId: d.id.replace(/\/devices\/[^/]+$/i, '') }),
    ...(p.chipSku && { chipSku: p.chipSku }),
    ...(p.lastAvailableOsVersion && { lastAvailableOsVersion: p.lastAvailableOsVersion }),
    ...(p.lastInstalledOsVersion && { lastInstalledOsVersion: p.lastInstalledOsVersion }),
    ...(p.lastOsUpdateUtc && { lastOsUpdate: p.lastOsUpdateUtc }),
    ...(p.lastUpdateRequestUtc && { lastUpdateRequest: p.lastUpdateRequestUtc }),
  };
}

function image(i: ArmImage): FleetImage {
  const p = i.properties ?? {};
  const typeName = p.imageType ?? 'Other';
  const type = Number(Object.entries(IMAGE_TYPE_NAMES).find(([, name]) => name.toLowerCase() === typeName.toLowerCase())?.[0] ?? -1);
  return { id: (p.imageId ?? i.name).toLowerCase(), name: p.imageName ?? '', componentId: (p.componentId ?? '').toLowerCase(), description: p.description ?? '', type, typeName };
}

function deployment(d: ArmDeployment): FleetDeployment {
  const p = d.properties ?? {};
  return {
    id: p.deploymentId ?? d.name,
    imageIds: (p.deployedImages ?? []).map((i) => (i.properties?.imageId ?? i.id.split('/').pop() ?? '').toLowerCase()),
    ...(p.deploymentDateUtc && { deployedAt: p.deploymentDateUtc }),
  };
}

function requireText(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || !value) throw new CloudApiError(`${what} failed: the service returned no certificate.`, 'invalid_response', 0, undefined, undefined);
  return value;
}

function devicesText(n: number): string {
  return n === 1 ? '1 device' : `${n} devices`;
}

