// One client model for everything the explorer does on a tenant's fleet, whichever service holds it: the views talk
// to FleetBackend, and the Azure Sphere security service (legacy tenants, LegacyFleetBackend) and Azure Resource
// Manager (catalogs, ArmFleetBackend) are its two implementations. Shapes are neutral camelCase, never a wire shape;
// every entity carries an `id` that only its backend reads (a GUID for legacy, an ARM resource ID for a catalog),
// stable across refreshes, so the views pass ids back without knowing which kind they hold.
import type { ParsedCertificate } from '../certificates';
import type { ImagePackageInput } from '../image-upload-source';
import type { PageResult } from '../paging';

export type ScopeKind = 'legacy' | 'catalog';

/** A tenant (legacy) or a catalog (ARM): where a fleet lives. */
export interface FleetScope {
  /** Stable: the tenant GUID, or the catalog's ARM resource ID. */
  readonly id: string;
  readonly name: string;
  readonly kind: ScopeKind;
  /** The legacy tenant: the tenant itself, or the one a catalog was integrated from (when it was). */
  readonly tenantId?: string;
  /** Catalogs: the subscription and resource group they live in. */
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** Legacy tenants: the signed-in user's roles (catalogs are governed by Azure RBAC instead). */
  readonly roles?: readonly string[];
}

export interface FleetProduct {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

export type OsFeed = 'Retail' | 'RetailEval';
export type UpdatePolicyName = 'UpdateAll' | 'No3rdPartyAppUpdates';

export interface DeviceGroupSettings {
  readonly description?: string;
  readonly osFeed?: OsFeed;
  readonly updatePolicy?: UpdatePolicyName;
  readonly allowCrashDumps?: boolean;
}

export interface FleetDeviceGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly productId: string;
  readonly osFeed: OsFeed;
  readonly updatePolicy: UpdatePolicyName;
  readonly allowCrashDumps: boolean;
  /** Whether the group has a current deployment. */
  readonly hasDeployment: boolean;
  /** The current deployment's ID and images, where the service says them with the group (legacy). */
  readonly currentDeploymentId?: string;
  readonly currentImageIds?: readonly string[];
}

export interface FleetDevice {
  /** The 128-hex device ID, upper-case. */
  readonly id: string;
  /** Undefined for a device in no product / no group. */
  readonly productId?: string;
  readonly groupId?: string;
  readonly chipSku?: string;
  readonly lastAvailableOsVersion?: string;
  readonly lastInstalledOsVersion?: string;
  readonly lastOsUpdate?: string;
  readonly lastUpdateRequest?: string;
}

export interface FleetImage {
  /** The image ID (GUID, lower-case): the same for both backends. */
  readonly id: string;
  readonly name: string;
  readonly componentId: string;
  readonly description: string;
  /** Image type as in src/device/image-package (10 Applications, 13 firmware config, 21 board configuration); -1 unknown. */
  readonly type: number;
  readonly typeName: string;
}

export interface FleetDeployment {
  readonly id: string;
  /** Image IDs, lower-case. */
  readonly imageIds: readonly string[];
  readonly deployedAt?: string;
}

export interface FleetCertificate {
  /** What selects it in getCaCertificate & co: the thumbprint (legacy) or the serial number (catalog). */
  readonly id: string;
  readonly thumbprint?: string;
  /** Active | Inactive | Expired | Revoked */
  readonly status: string;
  readonly subject?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
}

/** One event of the error report (device insights): what happened on a device, how often, between two times. */
export interface FleetDeviceInsight {
  readonly deviceId: string;
  readonly description: string;
  readonly eventCategory: string;
  /** The software that had the event: OS or application. */
  readonly eventClass: string;
  /** Planned (updates) or unplanned (errors). */
  readonly eventType: string;
  readonly eventCount: number;
  /** ISO 8601 UTC (or the service's value as given when it is no time). */
  readonly startUtc: string;
  readonly endUtc: string;
}

/** What a caller is told while something takes its time. */
export type FleetProgress =
  | { readonly kind: 'operation'; readonly status: 'running' | 'succeeded' | 'failed' | 'canceled'; readonly percentComplete?: number }
  | { readonly kind: 'throttled'; readonly waitMs: number; readonly attempt: number };

export interface FleetCallOptions {
  readonly signal?: AbortSignal;
  /** Throttling waits (ARM) and the state of long-running operations. */
  readonly onProgress?: (progress: FleetProgress) => void;
  /** Long-running operations: give up waiting after this long (default 5 minutes). */
  readonly timeoutMs?: number;
}

/** Which scopes to list (catalogs live in subscriptions and resource groups; tenants ignore these). */
export interface ScopeListOptions extends FleetCallOptions {
  /** Only this subscription's catalogs (default: every subscription the account can see). */
  readonly subscriptionId?: string;
  /** Only this resource group's (with `subscriptionId`). */
  readonly resourceGroup?: string;
  /** Told of a subscription skipped because it cannot hold catalogs yet (the provider is not registered there). */
  readonly onSkipped?: (subscription: { readonly id: string; readonly name: string }, reason: Error) => void;
}

export interface DeviceLocationHint {
  /** The device's group when the caller knows it (saves a catalog-wide search on ARM). */
  readonly groupId?: string;
}

export interface FleetBackend {
  readonly kind: ScopeKind;

  listScopes(options?: ScopeListOptions): Promise<FleetScope[]>;

  // products
  listProducts(scope: FleetScope, options?: FleetCallOptions): Promise<FleetProduct[]>;
  /** Refuses a name the scope already has; with the default device groups unless `createDefaultGroups` is false. */
  createProduct(scope: FleetScope, request: { name: string; description?: string; createDefaultGroups?: boolean }, options?: FleetCallOptions): Promise<FleetProduct>;
  /** A catalog's product is named by its path: only the description changes there. */
  updateProduct(scope: FleetScope, productId: string, changes: { name?: string; description?: string }, options?: FleetCallOptions): Promise<FleetProduct>;
  /** Refuses a product whose groups still hold devices. */
  deleteProduct(scope: FleetScope, productId: string, options?: FleetCallOptions): Promise<void>;
  createDefaultDeviceGroups(scope: FleetScope, productId: string, options?: FleetCallOptions): Promise<FleetDeviceGroup[]>;

  // device groups
  listDeviceGroups(scope: FleetScope, productId: string, options?: FleetCallOptions): Promise<FleetDeviceGroup[]>;
  createDeviceGroup(scope: FleetScope, productId: string, request: DeviceGroupSettings & { name: string }, options?: FleetCallOptions): Promise<FleetDeviceGroup>;
  updateDeviceGroup(scope: FleetScope, groupId: string, changes: DeviceGroupSettings & { name?: string }, options?: FleetCallOptions): Promise<FleetDeviceGroup>;
  /** Refuses a group that still holds devices. */
  deleteDeviceGroup(scope: FleetScope, groupId: string, options?: FleetCallOptions): Promise<void>;
  /** Devices of the scope, a product or a group. */
  countDevices(scope: FleetScope, within?: { productId?: string; groupId?: string }, options?: FleetCallOptions): Promise<number>;

  // devices
  listDevicePages(scope: FleetScope, groupId: string, options?: FleetCallOptions & { maxPageSize?: number }): AsyncIterable<PageResult<FleetDevice>>;
  getDevice(scope: FleetScope, deviceId: string, options?: FleetCallOptions & DeviceLocationHint): Promise<FleetDevice>;
  /** Claims (one way, forever) into the scope, and into a device group when `groupId` is given. */
  claimDevice(scope: FleetScope, deviceId: string, options?: FleetCallOptions & { groupId?: string }): Promise<FleetDevice>;
  moveDevice(scope: FleetScope, deviceId: string, groupId: string, options?: FleetCallOptions & { fromGroupId?: string; withinProduct?: boolean }): Promise<void>;

  /** The images the device's group's current deployment targets at it (none for apps under No3rdPartyAppUpdates). */
  listTargetedImages(scope: FleetScope, deviceId: string, options?: FleetCallOptions & DeviceLocationHint): Promise<FleetImage[]>;

  // images and deployments
  uploadImage(scope: FleetScope, input: ImagePackageInput, options?: FleetCallOptions & { onUploadProgress?: (bytesSent: number, total: number) => void }): Promise<FleetImage>;
  listImages(scope: FleetScope, options?: FleetCallOptions): Promise<FleetImage[]>;
  getImage(scope: FleetScope, imageId: string, options?: FleetCallOptions): Promise<FleetImage>;
  listDeployments(scope: FleetScope, groupId: string, options?: FleetCallOptions): Promise<FleetDeployment[]>;
  /** Refused before sending: no image, one twice, and for `knownImages` a type a deployment cannot carry. */
  createDeployment(scope: FleetScope, groupId: string, imageIds: readonly string[], options?: FleetCallOptions & { knownImages?: readonly FleetImage[] }): Promise<FleetDeployment>;

  // CA certificates
  listCaCertificates(scope: FleetScope, options?: FleetCallOptions): Promise<FleetCertificate[]>;
  /** The active CA certificate, or the one `certificateId` names. */
  getCaCertificate(scope: FleetScope, options?: FleetCallOptions & { certificateId?: string }): Promise<ParsedCertificate>;
  getCaCertificateChain(scope: FleetScope, options?: FleetCallOptions & { certificateId?: string }): Promise<ParsedCertificate[]>;
  /** A certificate whose subject is the verification code (nonce), signed by the CA: IoT Hub / DPS proof of possession. */
  getProofOfPossessionCertificate(scope: FleetScope, verificationCode: string, options?: FleetCallOptions & { certificateId?: string }): Promise<ParsedCertificate>;

  /** The error report: the last 14 days' events, at most 1,000, newest first as the service gives them. */
  listDeviceInsights(scope: FleetScope, options?: FleetCallOptions): Promise<FleetDeviceInsight[]>;

  /** Every device claimed into the scope, in any product or none, a page at a time. */
  listScopeDevicePages(scope: FleetScope, options?: FleetCallOptions & { maxPageSize?: number }): AsyncIterable<PageResult<FleetDevice>>;

  /** A capability image for a claimed device (DeviceCapability values; 11 = app development): its bytes. */
  createCapabilityImage(scope: FleetScope, deviceId: string, capabilities: readonly number[], options?: FleetCallOptions & DeviceLocationHint): Promise<Buffer>;
}

const OS_FEEDS: readonly OsFeed[] = ['Retail', 'RetailEval'];
const UPDATE_POLICIES: readonly UpdatePolicyName[] = ['UpdateAll', 'No3rdPartyAppUpdates'];

/** Extensible wire strings → the model's names (unknown values fall back to the default). */
export function osFeedOf(value: string | number | undefined): OsFeed {
  if (typeof value === 'number') return OS_FEEDS[value] ?? 'Retail';
  return OS_FEEDS.find((f) => f.toLowerCase() === String(value ?? '').toLowerCase()) ?? 'Retail';
}

export function updatePolicyOf(value: string | number | undefined): UpdatePolicyName {
  if (typeof value === 'number') return UPDATE_POLICIES[value] ?? 'UpdateAll';
  return UPDATE_POLICIES.find((p) => p.toLowerCase() === String(value ?? '').toLowerCase()) ?? 'UpdateAll';
}

export function osFeedNumber(feed: OsFeed | undefined): number | undefined {
  return feed === undefined ? undefined : OS_FEEDS.indexOf(feed) === -1 ? Number.NaN : OS_FEEDS.indexOf(feed);
}

export function updatePolicyNumber(policy: UpdatePolicyName | undefined): number | undefined {
  return policy === undefined ? undefined : UPDATE_POLICIES.indexOf(policy) === -1 ? Number.NaN : UPDATE_POLICIES.indexOf(policy);
}

/** The current deployment among a group's: the one the group names, else the newest (ARM says no more). */
export function currentDeployment(group: Pick<FleetDeviceGroup, 'hasDeployment' | 'currentDeploymentId'>, deployments: readonly FleetDeployment[]): FleetDeployment | undefined {
  if (!group.hasDeployment) return undefined;
  if (group.currentDeploymentId) return deployments.find((d) => d.id === group.currentDeploymentId);
  return [...deployments].sort((a, b) => (b.deployedAt ?? '').localeCompare(a.deployedAt ?? ''))[0];
}

/** ARM's ImageType names for the types the explorer knows by number. */
export const IMAGE_TYPE_NAMES: Readonly<Record<number, string>> = { 10: 'Applications', 13: 'FwConfig', 21: 'CustomerBoardConfig' };
