// Typed client of Azure Sphere's ARM API, Microsoft.AzureSphere 2024-04-01 (specification/sphere/resource-manager/
// Microsoft.AzureSphere/.../stable/2024-04-01/azuresphere.json; learn.microsoft.com/rest/api/azuresphere/): catalogs,
// products, device groups, devices (claim, move, capability images), images, deployments and CA certificates, plus
// the subscriptions and resource groups the sign-in pickers show. Thin over ArmPipeline: every name is checked
// against the spec's pattern before anything is sent, lists are async iterators over nextLink, and each long-running
// operation is polled as the spec declares it (AAO = final-state-via azure-async-operation, LOC = location).
import { AZURE_SPHERE_NAMESPACE } from './arm-errors';
import { CloudApiError } from '../api-error';
import type { CloudClientOptions } from '../authorized-http';
import { uploadSourceOf, type ImagePackageInput } from '../image-upload-source';
import { safeLogger } from '../logger';
import { collectAll, type PageResult } from '../paging';
import { retryPolicy } from '../retry-policy';
import { resolveCloudSettings } from '../settings';
import type { StreamedBody } from '../streamed-body';
import { InvalidArgumentError } from '../errors';
import { shortDeviceId } from '../validate';
import {
  requireArmDeviceGroupName,
  requireArmDeviceName,
  requireArmProductName,
  requireCatalogName,
  requireDeploymentName,
  requireImageName,
  requireResourceGroup,
  requireSerialNumber,
  requireSubscriptionId,
} from './arm-names';
import { ArmPipeline, type ArmProgress, type ArmRequest } from './arm-pipeline';
import type {
  ArmCertificate,
  ArmDeployment,
  ArmDevice,
  ArmDeviceGroup,
  ArmImage,
  ArmProduct,
  ArmResourceGroup,
  ArmSubscription,
  CapabilityType,
  Catalog,
  ArmDeviceInsight,
  CatalogRef,
  CertificateChainResponse,
  CountDevicesResponse,
  DeviceGroupProperties,
  ProofOfPossessionNonceResponse,
  SignedCapabilityImageResponse,
} from './arm-sphere-types';

const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
const RESOURCE_GROUPS_API_VERSION = '2021-04-01';
/** The Resources API's providers operations (register, get). */
const PROVIDERS_API_VERSION = '2021-04-01';

export interface ArmSphereClientOptions extends CloudClientOptions {
  /** Wait between polls of a long-running operation when the service suggests none (default 1 s). */
  readonly operationPollMs?: number;
}

/** Cancel, be told of throttling waits and of a long-running operation's state. */
export interface ArmCallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ArmProgress) => void;
  /** Long-running operations: give up waiting after this long (default 5 minutes). */
  readonly timeoutMs?: number;
}

export interface ArmUploadOptions extends ArmCallOptions {
  /** Bytes of the package sent so far, of `total`. */
  readonly onUploadProgress?: (bytesSent: number, total: number) => void;
}

/** A device group's place: its catalog, product and own name. */
export interface DeviceGroupRef extends CatalogRef {
  readonly productName: string;
  readonly deviceGroupName: string;
}

export type DeviceGroupChangesArm = Partial<Pick<DeviceGroupProperties, 'description' | 'osFeedType' | 'updatePolicy' | 'allowCrashDumpsCollection' | 'regionalDataBoundary'>>;

export class ArmSphereClient {
  private readonly arm: ArmPipeline;

  constructor(options: ArmSphereClientOptions) {
    const settings = resolveCloudSettings(options.settings);
    this.arm = new ArmPipeline({
      endpoint: settings.armEndpoint,
      scopes: settings.armScopes,
      tokens: options.tokens,
      transport: options.transport,
      retry: retryPolicy(options.retry),
      logger: safeLogger(options.logger),
      operationPollMs: options.operationPollMs,
    });
  }

  // ---- subscriptions and resource groups (the sign-in pickers) ------------------------------------------------

  async listSubscriptions(options: ArmCallOptions = {}): Promise<ArmSubscription[]> {
    return collectAll(this.arm.pages<ArmSubscription>({ method: 'GET', path: 'subscriptions', apiVersion: SUBSCRIPTIONS_API_VERSION, what: 'Listing Azure subscriptions', ...options }));
  }

  async listResourceGroups(subscriptionId: string, options: ArmCallOptions = {}): Promise<ArmResourceGroup[]> {
    const sub = requireSubscriptionId(subscriptionId);
    return collectAll(this.arm.pages<ArmResourceGroup>({ method: 'GET', path: `subscriptions/${sub}/resourcegroups`, apiVersion: RESOURCE_GROUPS_API_VERSION, what: `Listing resource groups of subscription ${sub}`, ...options }));
  }

  // ---- catalogs -----------------------------------------------------------------------------------------------

  /** The catalogs of a subscription, or of one of its resource groups. */
  listCatalogPages(subscriptionId: string, options: ArmCallOptions & { resourceGroup?: string } = {}): AsyncGenerator<PageResult<Catalog>, void, undefined> {
    const sub = requireSubscriptionId(subscriptionId);
    const rg = options.resourceGroup === undefined ? undefined : requireResourceGroup(options.resourceGroup);
    const path = rg ? `subscriptions/${sub}/resourceGroups/${encodeURIComponent(rg)}/providers/Microsoft.AzureSphere/catalogs` : `subscriptions/${sub}/providers/Microsoft.AzureSphere/catalogs`;
    return this.arm.pages<Catalog>({ method: 'GET', path, what: `Listing Azure Sphere catalogs of ${rg ? `resource group ${rg} in ` : ''}subscription ${sub}`, ...options });
  }

  /**
   * Registers the Microsoft.AzureSphere resource provider in the subscription (what `az provider register` does) and
   * waits until ARM says Registered: a subscription's catalogs can be listed and created only then.
   */
  async registerProvider(subscriptionId: string, options: ArmCallOptions = {}): Promise<void> {
    const sub = requireSubscriptionId(subscriptionId);
    const path = `subscriptions/${sub}/providers/${AZURE_SPHERE_NAMESPACE}`;
    const what = `Registering ${AZURE_SPHERE_NAMESPACE} in subscription ${sub}`;
    let first = true;
    await this.arm.pollUntil(
      what,
      async () => {
        const request = first
          ? { method: 'POST' as const, path: `${path}/register`, apiVersion: PROVIDERS_API_VERSION, what, signal: options.signal, onProgress: options.onProgress }
          : { method: 'GET' as const, path, apiVersion: PROVIDERS_API_VERSION, what, signal: options.signal, onProgress: options.onProgress };
        first = false;
        return (await this.arm.json<{ registrationState?: string }>(request))?.registrationState ?? '';
      },
      (state) => state.toLowerCase() === 'registered',
      options,
    );
  }

  async listCatalogs(subscriptionId: string, options: ArmCallOptions & { resourceGroup?: string } = {}): Promise<Catalog[]> {
    return collectAll(this.listCatalogPages(subscriptionId, options));
  }

  async getCatalog(catalog: CatalogRef, options: ArmCallOptions = {}): Promise<Catalog> {
    return this.arm.json<Catalog>({ method: 'GET', path: catalogPath(catalog), what: `Reading catalog ${catalog.catalogName}`, ...options });
  }

  /** How many devices the catalog holds (Catalogs_CountDevices). */
  async countDevices(catalog: CatalogRef, options: ArmCallOptions = {}): Promise<number> {
    return this.count({ method: 'POST', path: `${catalogPath(catalog)}/countDevices`, idempotent: true, what: `Counting devices of catalog ${catalog.catalogName}`, ...options });
  }

  /** The catalog's error report (Catalogs_ListDeviceInsights): the last 14 days, at most 1,000 events. */
  async listDeviceInsights(catalog: CatalogRef, options: ArmCallOptions = {}): Promise<ArmDeviceInsight[]> {
    return collectAll(this.arm.pages<ArmDeviceInsight>({ method: 'POST', path: `${catalogPath(catalog)}/listDeviceInsights`, idempotent: true, what: `Reading the error report of catalog ${catalog.catalogName}`, ...options }));
  }

  /** Every device of the catalog, in any product or none (Catalogs_ListDevices). */
  listCatalogDevicePages(catalog: CatalogRef, options: ArmCallOptions & { maxPageSize?: number } = {}): AsyncGenerator<PageResult<ArmDevice>, void, undefined> {
    return this.arm.pages<ArmDevice>({
      method: 'POST',
      path: `${catalogPath(catalog)}/listDevices`,
      query: { $maxpagesize: options.maxPageSize },
      idempotent: true,
      what: `Listing devices of catalog ${catalog.catalogName}`,
      ...options,
    });
  }

  /** Device groups across the catalog's products, optionally only those of one name (Catalogs_ListDeviceGroups). */
  async listCatalogDeviceGroups(catalog: CatalogRef, options: ArmCallOptions & { deviceGroupName?: string } = {}): Promise<ArmDeviceGroup[]> {
    const name = options.deviceGroupName === undefined ? undefined : requireArmDeviceGroupName(options.deviceGroupName);
    return collectAll(
      this.arm.pages<ArmDeviceGroup>({
        method: 'POST',
        path: `${catalogPath(catalog)}/listDeviceGroups`,
        json: name === undefined ? {} : { deviceGroupName: name },
        idempotent: true,
        what: `Listing device groups of catalog ${catalog.catalogName}`,
        ...options,
      }),
    );
  }

  // ---- products -----------------------------------------------------------------------------------------------

  async listProducts(catalog: CatalogRef, options: ArmCallOptions = {}): Promise<ArmProduct[]> {
    return collectAll(this.arm.pages<ArmProduct>({ method: 'GET', path: `${catalogPath(catalog)}/products`, what: `Listing products of catalog ${catalog.catalogName}`, ...options }));
  }

  async getProduct(catalog: CatalogRef, productName: string, options: ArmCallOptions = {}): Promise<ArmProduct> {
    return this.arm.json<ArmProduct>({ method: 'GET', path: productPath(catalog, productName), what: `Reading product "${productName}"`, ...options });
  }

  /** Products_CreateOrUpdate (PUT, AAO). */
  async createProduct(catalog: CatalogRef, productName: string, description: string, options: ArmCallOptions = {}): Promise<ArmProduct> {
    requireArmProductName(productName, { forCreate: true });
    const what = `Creating product "${productName}" in catalog ${catalog.catalogName}`;
    return this.required(
      await this.arm.lro<ArmProduct>({ method: 'PUT', path: productPath(catalog, productName), json: { properties: { description } }, finalStateVia: 'azure-async-operation', what, ...options }),
      what,
    );
  }

  /** Products_Update (PATCH, LOC): only the description can change; a product's name is its path. */
  async updateProduct(catalog: CatalogRef, productName: string, description: string, options: ArmCallOptions = {}): Promise<ArmProduct> {
    const path = productPath(catalog, productName);
    const what = `Changing product "${productName}"`;
    const result = await this.arm.lro<ArmProduct>({ method: 'PATCH', path, json: { properties: { description } }, finalStateVia: 'location', what, ...options });
    return result?.id ? result : this.getProduct(catalog, productName, options);
  }

  /** Products_Delete (DELETE, LOC). */
  async deleteProduct(catalog: CatalogRef, productName: string, options: ArmCallOptions = {}): Promise<void> {
    await this.arm.lro({ method: 'DELETE', path: productPath(catalog, productName), finalStateVia: 'location', what: `Deleting product "${productName}"`, ...options });
  }

  async countDevicesInProduct(catalog: CatalogRef, productName: string, options: ArmCallOptions = {}): Promise<number> {
    return this.count({ method: 'POST', path: `${productPath(catalog, productName)}/countDevices`, idempotent: true, what: `Counting devices of product "${productName}"`, ...options });
  }

  /** Products_GenerateDefaultDeviceGroups: the default groups, made where missing. */
  async generateDefaultDeviceGroups(catalog: CatalogRef, productName: string, options: ArmCallOptions = {}): Promise<ArmDeviceGroup[]> {
    return collectAll(
      this.arm.pages<ArmDeviceGroup>({
        method: 'POST',
        path: `${productPath(catalog, productName)}/generateDefaultDeviceGroups`,
        idempotent: true,
        what: `Creating the default device groups of product "${productName}"`,
        ...options,
      }),
    );
  }

  // ---- device groups ------------------------------------------------------------------------------------------

  async listDeviceGroups(catalog: CatalogRef, productName: string, options: ArmCallOptions = {}): Promise<ArmDeviceGroup[]> {
    return collectAll(this.arm.pages<ArmDeviceGroup>({ method: 'GET', path: `${productPath(catalog, productName)}/deviceGroups`, what: `Listing device groups of product "${productName}"`, ...options }));
  }

  async getDeviceGroup(group: DeviceGroupRef, options: ArmCallOptions = {}): Promise<ArmDeviceGroup> {
    return this.arm.json<ArmDeviceGroup>({ method: 'GET', path: groupPath(group), what: `Reading device group "${group.productName}/${group.deviceGroupName}"`, ...options });
  }

  /** DeviceGroups_CreateOrUpdate (PUT, AAO). */
  async createDeviceGroup(group: DeviceGroupRef, properties: DeviceGroupChangesArm, options: ArmCallOptions = {}): Promise<ArmDeviceGroup> {
    requireArmDeviceGroupName(group.deviceGroupName, { forCreate: true });
    const what = `Creating device group "${group.deviceGroupName}" in product "${group.productName}"`;
    return this.required(await this.arm.lro<ArmDeviceGroup>({ method: 'PUT', path: groupPath(group), json: { properties }, finalStateVia: 'azure-async-operation', what, ...options }), what);
  }

  /** DeviceGroups_Update (PATCH, LOC). */
  async updateDeviceGroup(group: DeviceGroupRef, changes: DeviceGroupChangesArm, options: ArmCallOptions = {}): Promise<ArmDeviceGroup> {
    if (Object.values(changes).every((v) => v === undefined)) throw new InvalidArgumentError('Nothing to change in the device group.');
    const what = `Changing device group "${group.productName}/${group.deviceGroupName}"`;
    const result = await this.arm.lro<ArmDeviceGroup>({ method: 'PATCH', path: groupPath(group), json: { properties: changes }, finalStateVia: 'location', what, ...options });
    return result?.id ? result : this.getDeviceGroup(group, options);
  }

  /** DeviceGroups_Delete (DELETE, LOC). */
  async deleteDeviceGroup(group: DeviceGroupRef, options: ArmCallOptions = {}): Promise<void> {
    await this.arm.lro({ method: 'DELETE', path: groupPath(group), finalStateVia: 'location', what: `Deleting device group "${group.productName}/${group.deviceGroupName}"`, ...options });
  }

  async countDevicesInGroup(group: DeviceGroupRef, options: ArmCallOptions = {}): Promise<number> {
    return this.count({ method: 'POST', path: `${groupPath(group)}/countDevices`, idempotent: true, what: `Counting devices of device group "${group.productName}/${group.deviceGroupName}"`, ...options });
  }

  /** DeviceGroups_ClaimDevices (POST, 202 + LOC): claims many devices into the group at once. */
  async claimDevices(group: DeviceGroupRef, deviceIds: readonly string[], options: ArmCallOptions = {}): Promise<void> {
    if (!Array.isArray(deviceIds) || deviceIds.length === 0) throw new InvalidArgumentError('No device to claim was given.');
    const ids = deviceIds.map(requireArmDeviceName);
    await this.arm.lro({
      method: 'POST',
      path: `${groupPath(group)}/claimDevices`,
      json: { deviceIdentifiers: ids },
      finalStateVia: 'location',
      what: `Claiming ${ids.length === 1 ? `device ${shortDeviceId(ids[0]!)}` : `${ids.length} devices`} into "${group.productName}/${group.deviceGroupName}"`,
      ...options,
    });
  }

  // ---- devices ------------------------------------------------------------------------------------------------

  /** Devices_ListByDeviceGroup, one page at a time. */
  listDevicePages(group: DeviceGroupRef, options: ArmCallOptions = {}): AsyncGenerator<PageResult<ArmDevice>, void, undefined> {
    return this.arm.pages<ArmDevice>({ method: 'GET', path: `${groupPath(group)}/devices`, what: `Listing devices of device group "${group.productName}/${group.deviceGroupName}"`, ...options });
  }

  async getDevice(group: DeviceGroupRef, deviceId: string, options: ArmCallOptions = {}): Promise<ArmDevice> {
    return this.arm.json<ArmDevice>({ method: 'GET', path: devicePath(group, deviceId), what: `Reading device ${shortDeviceId(deviceId)}`, ...options });
  }

  /**
   * Devices_CreateOrUpdate (PUT, AAO): claims one device into the group — or, with `.unassigned` product and group,
   * into the catalog only. Claiming is one way: a device never leaves its catalog.
   */
  async claimDevice(group: DeviceGroupRef, deviceId: string, options: ArmCallOptions = {}): Promise<ArmDevice> {
    const path = devicePath(group, deviceId);
    const what = `Claiming device ${shortDeviceId(deviceId)} into catalog ${group.catalogName}`;
    const result = await this.arm.lro<ArmDevice>({ method: 'PUT', path, json: {}, finalStateVia: 'azure-async-operation', what, ...options });
    return result?.id ? result : this.getDevice(group, deviceId, options);
  }

  /** Devices_Update (PATCH, LOC): moves the device at `from` into the group whose resource ID is `toGroupId`. */
  async moveDevice(from: DeviceGroupRef, deviceId: string, toGroupId: string, options: ArmCallOptions = {}): Promise<ArmDevice | undefined> {
    const path = devicePath(from, deviceId);
    if (!/\/providers\/Microsoft\.AzureSphere\/catalogs\/[^/]+\/products\/[^/]+\/deviceGroups\/[^/]+$/i.test(toGroupId ?? '')) {
      throw new InvalidArgumentError(`"${toGroupId}" is not a device group's resource ID.`);
    }
    return this.arm.lro<ArmDevice>({ method: 'PATCH', path, json: { properties: { deviceGroupId: toGroupId } }, finalStateVia: 'location', what: `Moving device ${shortDeviceId(deviceId)}`, ...options });
  }

  /** Devices_GenerateCapabilityImage (POST, 200 or 202 + LOC): the signed capability image's bytes. */
  async generateCapabilityImage(group: DeviceGroupRef, deviceId: string, capabilities: readonly CapabilityType[], options: ArmCallOptions = {}): Promise<Buffer> {
    const what = `Downloading the capability image for device ${shortDeviceId(deviceId)}`;
    const result = await this.arm.lro<SignedCapabilityImageResponse>({
      method: 'POST',
      path: `${devicePath(group, deviceId)}/generateCapabilityImage`,
      json: { capabilities: [...capabilities] },
      idempotent: true,
      finalStateVia: 'location',
      what,
      ...options,
    });
    const b64 = result?.image;
    if (typeof b64 !== 'string' || !b64 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      throw new CloudApiError(`${what} failed: the service did not return the image as base64.`, 'invalid_response', 0, undefined, undefined);
    }
    return Buffer.from(b64, 'base64');
  }

  // ---- images -------------------------------------------------------------------------------------------------

  async listImages(catalog: CatalogRef, options: ArmCallOptions = {}): Promise<ArmImage[]> {
    return collectAll(this.arm.pages<ArmImage>({ method: 'GET', path: `${catalogPath(catalog)}/images`, what: `Listing images of catalog ${catalog.catalogName}`, ...options }));
  }

  async getImage(catalog: CatalogRef, imageId: string, options: ArmCallOptions = {}): Promise<ArmImage> {
    const id = requireImageName(imageId);
    return this.arm.json<ArmImage>({ method: 'GET', path: `${catalogPath(catalog)}/images/${id}`, what: `Reading image ${id}`, ...options });
  }

  /**
   * Images_CreateOrUpdate (PUT images/{imageId}, AAO): the package, checked first with the sideloading reader, goes
   * as base64 in `properties.image`, encoded while it is sent (never a second copy in memory). An image the catalog
   * already has is not sent again.
   */
  async uploadImage(catalog: CatalogRef, input: ImagePackageInput, options: ArmUploadOptions = {}): Promise<ArmImage> {
    const source = await uploadSourceOf(input);
    const path = `${catalogPath(catalog)}/images/${requireImageName(source.imageId)}`;
    const existing = await this.findImage(catalog, source.imageId, options);
    if (existing) return existing;
    const what = `Uploading image ${source.imageId}${source.name ? ` ("${source.name}")` : ''} to catalog ${catalog.catalogName}`;
    const body = base64JsonBody('{"properties":{"image":"', source.body, '"}}');
    const total = source.body.length;
    const result = await this.arm.lro<ArmImage>({
      method: 'PUT',
      path,
      stream: body,
      onBodySent: options.onUploadProgress && ((sent) => options.onUploadProgress!(Math.max(0, Math.min(total, Math.floor(((sent - body.prefixLength) * 3) / 4))), total)),
      finalStateVia: 'azure-async-operation',
      what,
      ...options,
    });
    return result?.id ? result : this.getImage(catalog, source.imageId, options);
  }

  async findImage(catalog: CatalogRef, imageId: string, options: ArmCallOptions = {}): Promise<ArmImage | undefined> {
    try {
      return await this.getImage(catalog, imageId, options);
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  // ---- deployments --------------------------------------------------------------------------------------------

  async listDeployments(group: DeviceGroupRef, options: ArmCallOptions = {}): Promise<ArmDeployment[]> {
    return collectAll(this.arm.pages<ArmDeployment>({ method: 'GET', path: `${groupPath(group)}/deployments`, what: `Listing deployments of "${group.productName}/${group.deviceGroupName}"`, ...options }));
  }

  async getDeployment(group: DeviceGroupRef, deploymentName = '.default', options: ArmCallOptions = {}): Promise<ArmDeployment> {
    const name = requireDeploymentName(deploymentName);
    return this.arm.json<ArmDeployment>({ method: 'GET', path: `${groupPath(group)}/deployments/${encodeURIComponent(name)}`, what: `Reading deployment ${name}`, ...options });
  }

  /**
   * Deployments_CreateOrUpdate (PUT, AAO) under `.default` ("Use .default for deployment creation"): the images, by
   * image ID, become the group's current deployment.
   */
  async createDeployment(group: DeviceGroupRef, imageIds: readonly string[], options: ArmCallOptions = {}): Promise<ArmDeployment> {
    if (!Array.isArray(imageIds) || imageIds.length === 0) throw new InvalidArgumentError('A deployment needs at least one image; none was chosen.');
    const ids = imageIds.map(requireImageName);
    if (new Set(ids).size !== ids.length) throw new InvalidArgumentError('An image is chosen twice.');
    const catalogId = `/${catalogPath(group)}`;
    const what = `Deploying ${ids.length === 1 ? `image ${ids[0]}` : `${ids.length} images`} to "${group.productName}/${group.deviceGroupName}"`;
    const result = await this.arm.lro<ArmDeployment>({
      method: 'PUT',
      path: `${groupPath(group)}/deployments/.default`,
      json: { properties: { deployedImages: ids.map((id) => ({ id: `${catalogId}/images/${id}`, properties: { imageId: id } })) } },
      finalStateVia: 'azure-async-operation',
      what,
      ...options,
    });
    return this.required(result, what);
  }

  // ---- CA certificates ----------------------------------------------------------------------------------------

  async listCertificates(catalog: CatalogRef, options: ArmCallOptions = {}): Promise<ArmCertificate[]> {
    return collectAll(this.arm.pages<ArmCertificate>({ method: 'GET', path: `${catalogPath(catalog)}/certificates`, what: `Listing CA certificates of catalog ${catalog.catalogName}`, ...options }));
  }

  /** A certificate by serial number; `.default` is the active one. */
  async getCertificate(catalog: CatalogRef, serialNumber = '.default', options: ArmCallOptions = {}): Promise<ArmCertificate> {
    const serial = requireSerialNumber(serialNumber);
    return this.arm.json<ArmCertificate>({ method: 'GET', path: `${catalogPath(catalog)}/certificates/${encodeURIComponent(serial)}`, what: `Reading CA certificate ${serial} of catalog ${catalog.catalogName}`, ...options });
  }

  /** Certificates_RetrieveCertChain: the chain as base64 PKCS#7. */
  async retrieveCertChain(catalog: CatalogRef, serialNumber = '.default', options: ArmCallOptions = {}): Promise<CertificateChainResponse> {
    const serial = requireSerialNumber(serialNumber);
    return this.arm.json<CertificateChainResponse>({
      method: 'POST',
      path: `${catalogPath(catalog)}/certificates/${encodeURIComponent(serial)}/retrieveCertChain`,
      idempotent: true,
      what: `Downloading the CA certificate chain of catalog ${catalog.catalogName}`,
      ...options,
    });
  }

  /** Certificates_RetrieveProofOfPossessionNonce: a certificate whose subject is the verification code, signed by the CA. */
  async retrieveProofOfPossessionNonce(catalog: CatalogRef, serialNumber: string, nonce: string, options: ArmCallOptions = {}): Promise<ProofOfPossessionNonceResponse> {
    const serial = requireSerialNumber(serialNumber);
    return this.arm.json<ProofOfPossessionNonceResponse>({
      method: 'POST',
      path: `${catalogPath(catalog)}/certificates/${encodeURIComponent(serial)}/retrieveProofOfPossessionNonce`,
      json: { proofOfPossessionNonce: nonce },
      idempotent: true,
      what: `Downloading the proof-of-possession certificate for code ${nonce}`,
      ...options,
    });
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private async count(request: ArmRequest): Promise<number> {
    const body = await this.arm.json<CountDevicesResponse | undefined>(request);
    const n = body?.value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new CloudApiError(`${request.what} failed: the service did not answer with a count.`, 'invalid_response', 0, undefined, undefined);
    return n;
  }

  private required<T>(result: T | undefined, what: string): T {
    if (result === undefined || result === null) throw new CloudApiError(`${what} failed: the service finished without the resource.`, 'invalid_response', 0, undefined, undefined);
    return result;
  }
}

/** `subscriptions/…/catalogs/{name}` (no leading slash), every part checked. */
export function catalogPath(catalog: CatalogRef): string {
  const sub = requireSubscriptionId(catalog.subscriptionId);
  const rg = requireResourceGroup(catalog.resourceGroup);
  const name = requireCatalogName(catalog.catalogName);
  return `subscriptions/${sub}/resourceGroups/${encodeURIComponent(rg)}/providers/Microsoft.AzureSphere/catalogs/${name}`;
}

function productPath(catalog: CatalogRef, productName: string): string {
  return `${catalogPath(catalog)}/products/${encodeURIComponent(requireArmProductName(productName))}`;
}

function groupPath(group: DeviceGroupRef): string {
  return `${productPath(group, group.productName)}/deviceGroups/${encodeURIComponent(requireArmDeviceGroupName(group.deviceGroupName))}`;
}

function devicePath(group: DeviceGroupRef, deviceId: string): string {
  return `${groupPath(group)}/devices/${requireArmDeviceName(deviceId)}`;
}


/**
 * `prefix` + base64(bytes of `body`) + `suffix` as a StreamedBody: its length known up front, its base64 made a chunk
 * at a time (three bytes carried over between chunks), so a package is never held as one base64 string.
 */
export function base64JsonBody(prefix: string, body: StreamedBody, suffix: string): StreamedBody & { readonly prefixLength: number } {
  const head = Buffer.from(prefix, 'utf8');
  const tail = Buffer.from(suffix, 'utf8');
  return {
    prefixLength: head.length,
    length: head.length + 4 * Math.ceil(body.length / 3) + tail.length,
    async *open() {
      yield head;
      let carry = Buffer.alloc(0);
      for await (const chunk of body.open()) {
        const bytes = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const whole = bytes.length - (bytes.length % 3);
        if (whole > 0) yield Buffer.from(bytes.subarray(0, whole).toString('base64'), 'ascii');
        carry = Buffer.from(bytes.subarray(whole));
      }
      if (carry.length) yield Buffer.from(carry.toString('base64'), 'ascii');
      yield tail;
    },
  };
}
