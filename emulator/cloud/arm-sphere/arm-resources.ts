// How the fleet looks as Microsoft.AzureSphere resources (2024-04-01): resource IDs, `type` strings, the envelope
// `{id, name, type, systemData, properties}` and each resource's properties, read from the tenant's fleet
// (fleet-model.ts) and CA (tenant-ca.ts). Enums as strings: OSFeedType Retail|RetailEval, UpdatePolicy
// UpdateAll|No3rdPartyAppUpdates, AllowCrashDumpCollection Enabled|Disabled, ImageType by name.
import { X509Certificate } from 'node:crypto';
import { certificateDer, thumbprint } from '../pki';
import type { Deployment, DeviceGroup, FleetImage, Product } from '../fleet-model';
import type { State, Tenant, TenantCa } from '../model';
import type { Catalog, SystemData } from './sphere-catalogs';

export const API_VERSION = '2024-04-01';
export const TYPES = {
  catalog: 'Microsoft.AzureSphere/catalogs',
  certificate: 'Microsoft.AzureSphere/catalogs/certificates',
  image: 'Microsoft.AzureSphere/catalogs/images',
  product: 'Microsoft.AzureSphere/catalogs/products',
  deviceGroup: 'Microsoft.AzureSphere/catalogs/products/deviceGroups',
  deployment: 'Microsoft.AzureSphere/catalogs/products/deviceGroups/deployments',
  device: 'Microsoft.AzureSphere/catalogs/products/deviceGroups/devices',
} as const;

export const OS_FEED_TYPES = ['Retail', 'RetailEval'] as const;
export const UPDATE_POLICIES = ['UpdateAll', 'No3rdPartyAppUpdates'] as const;
export const CRASH_DUMP_SETTINGS = ['Enabled', 'Disabled'] as const;
export const REGIONAL_DATA_BOUNDARIES = ['None', 'EU'] as const;
export const CAPABILITY_TYPES = ['ApplicationDevelopment', 'FieldServicing'] as const;
/** The chip of every emulated board (the Azure Sphere MT3620). */
export const CHIP_SKU = 'MT3620AN';

/** ImageType numbers as the image package carries them, and their names in the ARM enum. */
const IMAGE_TYPE_NAMES: Record<number, string> = {
  0: 'InvalidImageType', 1: 'OneBl', 2: 'PlutonRuntime', 3: 'WifiFirmware', 4: 'SecurityMonitor', 5: 'NormalWorldLoader', 6: 'NormalWorldDtb',
  7: 'NormalWorldKernel', 8: 'RootFs', 9: 'Services', 10: 'Applications', 13: 'FwConfig', 16: 'BootManifest', 17: 'Nwfs', 19: 'TrustedKeystore',
  20: 'Policy', 21: 'CustomerBoardConfig', 23: 'UpdateCertStore', 24: 'BaseSystemUpdateManifest', 25: 'FirmwareUpdateManifest',
  26: 'CustomerUpdateManifest', 27: 'RecoveryManifest', 28: 'ManifestSet', 29: 'Other',
};

export function imageTypeName(n: number): string {
  return IMAGE_TYPE_NAMES[n] ?? 'Other';
}

/** Where a catalog is, with its backing tenant. */
export interface CatalogScope {
  catalog: Catalog;
  tenant: Tenant;
  /** The catalog's resource ID. */
  id: string;
}

export function catalogResourceId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${name}`;
}

export const productResourceId = (c: CatalogScope, productName: string): string => `${c.id}/products/${productName}`;
export const groupResourceId = (c: CatalogScope, productName: string, groupName: string): string => `${productResourceId(c, productName)}/deviceGroups/${groupName}`;
export const imageResourceId = (c: CatalogScope, imageId: string): string => `${c.id}/images/${imageId}`;

function withSystemData(state: State, id: string, envelope: Record<string, unknown>): Record<string, unknown> {
  const systemData = state.sphere.touched.get(id.toLowerCase());
  return systemData ? { ...envelope, systemData } : envelope;
}

export function catalogResource(catalog: Catalog): Record<string, unknown> {
  return {
    id: catalogResourceId(catalog.subscriptionId, catalog.resourceGroup, catalog.name),
    name: catalog.name,
    type: TYPES.catalog,
    location: catalog.location,
    tags: { ...catalog.tags },
    systemData: catalog.systemData,
    properties: { tenantId: catalog.tenantId, provisioningState: 'Succeeded' },
  };
}

export function productResource(state: State, c: CatalogScope, p: Product): Record<string, unknown> {
  const id = productResourceId(c, p.name);
  const creating = state.fleet.pendingWhere((w) => w.kind === 'createProduct' && w.product.id === p.id);
  const deleting = state.fleet.pendingWhere((w) => w.kind === 'deleteProduct' && w.productId === p.id);
  return withSystemData(state, id, { id, name: p.name, type: TYPES.product, properties: { description: p.description, provisioningState: deleting ? 'Deleting' : creating ? 'Provisioning' : 'Succeeded' } });
}

export function groupResource(state: State, c: CatalogScope, g: DeviceGroup): Record<string, unknown> {
  const product = state.fleet.products.get(g.productId)!;
  const id = groupResourceId(c, product.name, g.name);
  const deleting = state.fleet.pendingWhere((w) => w.kind === 'deleteDeviceGroup' && w.groupId === g.id);
  return withSystemData(state, id, {
    id,
    name: g.name,
    type: TYPES.deviceGroup,
    properties: {
      description: g.description,
      osFeedType: OS_FEED_TYPES[g.osFeedType] ?? 'Retail',
      updatePolicy: UPDATE_POLICIES[g.updatePolicy] ?? 'UpdateAll',
      allowCrashDumpsCollection: g.allowCrashDumpsCollection ? 'Enabled' : 'Disabled',
      regionalDataBoundary: state.sphere.boundaries.get(g.id) ?? 'None',
      hasDeployment: state.fleet.currentDeployment(g.id) !== undefined,
      provisioningState: deleting ? 'Deleting' : 'Succeeded',
    },
  });
}

/** The device's resource ID: under its group, or under `.unassigned` when it is in none. */
export function deviceResourceId(state: State, c: CatalogScope, deviceId: string): string {
  const group = state.fleet.groupOf(deviceId);
  const product = group && state.fleet.products.get(group.productId);
  return group && product ? `${groupResourceId(c, product.name, group.name)}/devices/${deviceId}` : `${c.id}/products/.unassigned/deviceGroups/.unassigned/devices/${deviceId}`;
}

export function deviceResource(state: State, c: CatalogScope, deviceId: string): Record<string, unknown> {
  const id = deviceResourceId(state, c, deviceId);
  const properties: Record<string, unknown> = { deviceId, chipSku: CHIP_SKU };
  const checkIn = state.fleet.checkIns.get(deviceId);
  if (checkIn) properties.lastUpdateRequestUtc = checkIn.at;
  properties.provisioningState = 'Succeeded';
  return withSystemData(state, id, { id, name: deviceId, type: TYPES.device, properties });
}

export function imageResource(state: State, c: CatalogScope, baseUrl: string, i: FleetImage): Record<string, unknown> {
  const id = imageResourceId(c, i.id);
  const uri = `${baseUrl}/v2/tenants/${i.tenantId}/images/${i.id}/metadata`;
  return withSystemData(state, id, {
    id,
    name: i.id,
    type: TYPES.image,
    properties: { image: uri, imageId: i.id, imageName: i.name, regionalDataBoundary: 'None', uri, componentId: i.componentId, imageType: imageTypeName(i.imageType), provisioningState: 'Succeeded' },
  });
}

export function deploymentResource(state: State, c: CatalogScope, baseUrl: string, group: DeviceGroup, d: Deployment): Record<string, unknown> {
  const product = state.fleet.products.get(group.productId)!;
  const id = `${groupResourceId(c, product.name, group.name)}/deployments/${d.id}`;
  const images = d.imageIds.map((imageId) => state.fleet.image(c.tenant.id, imageId)).filter((i): i is FleetImage => i !== undefined);
  return withSystemData(state, id, {
    id,
    name: d.id,
    type: TYPES.deployment,
    properties: { deploymentId: d.id, deployedImages: images.map((i) => imageResource(state, c, baseUrl, i)), deploymentDateUtc: d.deployedUtc, provisioningState: 'Succeeded' },
  });
}

/** The catalog's CA certificates, oldest first; the last is the active one. */
export function certificateSerial(ca: TenantCa): string {
  return new X509Certificate(ca.certPem).serialNumber.toUpperCase();
}

export function certificateProperties(certPem: string, active: boolean, now: number): Record<string, unknown> {
  const x = new X509Certificate(certPem);
  const expired = Date.parse(x.validTo) <= now;
  return {
    certificate: certificateDer(certPem).toString('base64'),
    status: expired ? 'Expired' : active ? 'Active' : 'Inactive',
    subject: x.subject.split('\n').join(', '),
    thumbprint: thumbprint(certPem),
    expiryUtc: new Date(x.validTo).toISOString(),
    notBeforeUtc: new Date(x.validFrom).toISOString(),
    provisioningState: 'Succeeded',
  };
}

export function certificateResource(c: CatalogScope, ca: TenantCa, active: boolean, now: number): Record<string, unknown> {
  const serial = certificateSerial(ca);
  return { id: `${c.id}/certificates/${serial}`, name: serial, type: TYPES.certificate, properties: certificateProperties(ca.certPem, active, now) };
}

export function systemDataNow(email: string, at: string, created?: SystemData): SystemData {
  return {
    createdBy: created?.createdBy ?? email,
    createdByType: created?.createdByType ?? 'User',
    createdAt: created?.createdAt ?? at,
    lastModifiedBy: email,
    lastModifiedByType: 'User',
    lastModifiedAt: at,
  };
}
