// FleetBackend over the Azure Sphere security service (legacy tenants): a thin mapping onto SphereApiClient, which
// keeps every behaviour it has (checks before sending, Operations waited for, lost answers looked for).
import { imageTypeName } from '../../device/image-package/format';
import type { ParsedCertificate } from '../certificates';
import { requireDeploymentImages } from '../fleet-validate';
import type { ImagePackageInput } from '../image-upload-source';
import type { OperationWaitOptions } from '../operations';
import type { PageResult } from '../paging';
import type { SphereApiClient } from '../sphere-api-client';
import { OperationState, type CaCertificateEntry, type Deployment, type Device, type DeviceGroup, type ImageMetadata, type Operation, type Product } from '../sphere-api-types';
import {
  osFeedNumber,
  osFeedOf,
  updatePolicyNumber,
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
import { unixToUtc } from '../error-report-csv';
import { InvalidArgumentError } from '../errors';

export class LegacyFleetBackend implements FleetBackend {
  readonly kind = 'legacy' as const;

  constructor(private readonly api: SphereApiClient) {}

  async listScopes(options: ScopeListOptions = {}): Promise<FleetScope[]> {
    return (await this.api.listTenants(options.signal)).map((t) => ({ id: t.Id, name: t.Name, kind: 'legacy', tenantId: t.Id, roles: t.Roles }));
  }

  async listProducts(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetProduct[]> {
    return (await this.api.listProducts(tenant(scope), options.signal)).map(product);
  }

  async createProduct(scope: FleetScope, request: { name: string; description?: string; createDefaultGroups?: boolean }, options: FleetCallOptions = {}): Promise<FleetProduct> {
    return product(await this.api.createProduct(tenant(scope), { ...request, ...wait(options) }));
  }

  async updateProduct(scope: FleetScope, productId: string, changes: { name?: string; description?: string }, options: FleetCallOptions = {}): Promise<FleetProduct> {
    return product(await this.api.updateProduct(tenant(scope), productId, changes, options.signal));
  }

  async deleteProduct(scope: FleetScope, productId: string, options: FleetCallOptions = {}): Promise<void> {
    await this.api.deleteProduct(tenant(scope), productId, wait(options));
  }

  async createDefaultDeviceGroups(scope: FleetScope, productId: string, options: FleetCallOptions = {}): Promise<FleetDeviceGroup[]> {
    return (await this.api.createDefaultDeviceGroups(tenant(scope), productId, options.signal)).map(group);
  }

  async listDeviceGroups(scope: FleetScope, productId: string, options: FleetCallOptions = {}): Promise<FleetDeviceGroup[]> {
    return (await this.api.listDeviceGroups(tenant(scope), productId, options.signal)).map(group);
  }

  async createDeviceGroup(scope: FleetScope, productId: string, request: DeviceGroupSettings & { name: string }, options: FleetCallOptions = {}): Promise<FleetDeviceGroup> {
    const t = tenant(scope);
    const created = await this.api.createDeviceGroup(t, {
      productId,
      name: request.name,
      description: request.description,
      osFeedType: osFeedNumber(request.osFeed),
      updatePolicy: updatePolicyNumber(request.updatePolicy),
      signal: options.signal,
    });
    // The create call has no crash-dump setting; the service's own PATCH sets it.
    if (request.allowCrashDumps !== undefined && request.allowCrashDumps !== created.AllowCrashDumpsCollection) {
      return group(await this.api.updateDeviceGroup(t, created.Id, { allowCrashDumpsCollection: request.allowCrashDumps }, options.signal));
    }
    return group(created);
  }

  async updateDeviceGroup(scope: FleetScope, groupId: string, changes: DeviceGroupSettings & { name?: string }, options: FleetCallOptions = {}): Promise<FleetDeviceGroup> {
    return group(
      await this.api.updateDeviceGroup(
        tenant(scope),
        groupId,
        {
          name: changes.name,
          description: changes.description,
          osFeedType: osFeedNumber(changes.osFeed),
          updatePolicy: updatePolicyNumber(changes.updatePolicy),
          allowCrashDumpsCollection: changes.allowCrashDumps,
        },
        options.signal,
      ),
    );
  }

  async deleteDeviceGroup(scope: FleetScope, groupId: string, options: FleetCallOptions = {}): Promise<void> {
    await this.api.deleteDeviceGroup(tenant(scope), groupId, wait(options));
  }

  async countDevices(scope: FleetScope, within: { productId?: string; groupId?: string } = {}, options: FleetCallOptions = {}): Promise<number> {
    const t = tenant(scope);
    if (within.groupId) return this.api.countDevicesInGroup(t, within.groupId, options.signal);
    if (within.productId) return this.api.countDevicesInProduct(t, within.productId, options.signal);
    return this.api.countDevices(t, options.signal);
  }

  async *listDevicePages(scope: FleetScope, groupId: string, options: FleetCallOptions & { maxPageSize?: number } = {}): AsyncGenerator<PageResult<FleetDevice>, void, undefined> {
    for await (const page of this.api.listDevicesInGroupPages(tenant(scope), groupId, options)) yield { items: page.items.map(device), continuationToken: page.continuationToken };
  }

  async getDevice(scope: FleetScope, deviceId: string, options: FleetCallOptions = {}): Promise<FleetDevice> {
    return device(await this.api.getDevice(tenant(scope), deviceId, options.signal));
  }

  async claimDevice(scope: FleetScope, deviceId: string, options: FleetCallOptions & { groupId?: string } = {}): Promise<FleetDevice> {
    const t = tenant(scope);
    await this.api.claimDevice(t, deviceId, wait(options));
    if (options.groupId) await this.api.moveDeviceToGroup(t, deviceId, options.groupId, wait(options));
    return this.getDevice(scope, deviceId, options);
  }

  async moveDevice(scope: FleetScope, deviceId: string, groupId: string, options: FleetCallOptions & { withinProduct?: boolean } = {}): Promise<void> {
    await this.api.moveDeviceToGroup(tenant(scope), deviceId, groupId, { ...wait(options), withinProduct: options.withinProduct });
  }

  async listTargetedImages(scope: FleetScope, deviceId: string, options: FleetCallOptions = {}): Promise<FleetImage[]> {
    return (await this.api.listTargetedImages(tenant(scope), deviceId, options.signal)).map(image);
  }

  async uploadImage(scope: FleetScope, input: ImagePackageInput, options: FleetCallOptions & { onUploadProgress?: (bytesSent: number, total: number) => void } = {}): Promise<FleetImage> {
    return image(await this.api.uploadImage(tenant(scope), input, { ...wait(options), onUploadProgress: options.onUploadProgress }));
  }

  async listImages(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetImage[]> {
    return (await this.api.listImages(tenant(scope), options.signal)).map(image);
  }

  async getImage(scope: FleetScope, imageId: string, options: FleetCallOptions = {}): Promise<FleetImage> {
    return image(await this.api.getImageMetadata(tenant(scope), imageId, options.signal));
  }

  async listDeployments(scope: FleetScope, groupId: string, options: FleetCallOptions = {}): Promise<FleetDeployment[]> {
    return (await this.api.listDeployments(tenant(scope), groupId, options.signal)).map(deployment);
  }

  async createDeployment(scope: FleetScope, groupId: string, imageIds: readonly string[], options: FleetCallOptions & { knownImages?: readonly FleetImage[] } = {}): Promise<FleetDeployment> {
    const knownImages = options.knownImages?.map(imageMetadata);
    return deployment(await this.api.createDeployment(tenant(scope), groupId, imageIds, { ...wait(options), knownImages }));
  }

  async listCaCertificates(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetCertificate[]> {
    return (await this.api.listCaCertificates(tenant(scope), options.signal)).map(certificate);
  }

  getCaCertificate(scope: FleetScope, options: FleetCallOptions & { certificateId?: string } = {}): Promise<ParsedCertificate> {
    return this.api.getCaCertificate(tenant(scope), { thumbprint: options.certificateId, signal: options.signal });
  }

  getCaCertificateChain(scope: FleetScope, options: FleetCallOptions & { certificateId?: string } = {}): Promise<ParsedCertificate[]> {
    return this.api.getCaCertificateChain(tenant(scope), { thumbprint: options.certificateId, signal: options.signal });
  }

  getProofOfPossessionCertificate(scope: FleetScope, verificationCode: string, options: FleetCallOptions & { certificateId?: string } = {}): Promise<ParsedCertificate> {
    return this.api.getProofOfPossessionCertificate(tenant(scope), verificationCode, { thumbprint: options.certificateId, signal: options.signal });
  }

  async listDeviceInsights(scope: FleetScope, options: FleetCallOptions = {}): Promise<FleetDeviceInsight[]> {
    return (await this.api.getDeviceInsights(tenant(scope), { signal: options.signal })).map((e) => ({
      deviceId: e.DeviceId,
      description: e.Description ?? '',
      eventCategory: e.EventCategory,
      eventClass: e.EventClass,
      eventType: e.EventType,
      eventCount: e.EventCount,
      startUtc: unixToUtc(e.StartTimestampInUnix),
      endUtc: unixToUtc(e.EndTimestampInUnix),
    }));
  }

  async *listScopeDevicePages(scope: FleetScope, options: FleetCallOptions & { maxPageSize?: number } = {}): AsyncGenerator<PageResult<FleetDevice>, void, undefined> {
    for await (const page of this.api.listDevicePages(tenant(scope), options)) yield { items: page.items.map(device), continuationToken: page.continuationToken };
  }

  createCapabilityImage(scope: FleetScope, deviceId: string, capabilities: readonly number[], options: FleetCallOptions = {}): Promise<Buffer> {
    return this.api.createCapabilityImage(tenant(scope), deviceId, capabilities, options.signal);
  }
}

function tenant(scope: FleetScope): string {
  if (scope.kind !== 'legacy') throw new InvalidArgumentError(`"${scope.name}" is a catalog; the legacy tenant backend cannot work on it.`);
  return scope.id;
}

/** The Operation's states as the model's progress. */
function wait(options: FleetCallOptions): OperationWaitOptions {
  const onProgress = options.onProgress;
  return {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    onProgress: onProgress && ((state: number, _op: Operation) => onProgress({ kind: 'operation', status: state === OperationState.Complete ? 'succeeded' : state === OperationState.Failed || state === OperationState.CompleteWithErrors ? 'failed' : 'running' })),
  };
}

function product(p: Product): FleetProduct {
  return { id: p.Id, name: p.Name, description: p.Description ?? '' };
}

function group(g: DeviceGroup): FleetDeviceGroup {
  return {
    id: g.Id,
    name: g.Name,
    description: g.Description ?? '',
    productId: g.ProductId,
    osFeed: osFeedOf(g.OsFeedType),
    updatePolicy: updatePolicyOf(g.UpdatePolicy),
    allowCrashDumps: g.AllowCrashDumpsCollection,
    hasDeployment: !!g.CurrentDeployment,
    ...(g.CurrentDeployment && { currentDeploymentId: g.CurrentDeployment.Id, currentImageIds: (g.CurrentDeployment.DeployedImages ?? []).map((id) => id.toLowerCase()) }),
  };
}

function device(d: Device): FleetDevice {
  return {
    id: d.DeviceId.toUpperCase(),
    ...(d.ProductId && { productId: d.ProductId }),
    ...(d.DeviceGroupId && { groupId: d.DeviceGroupId }),
    chipSku: d.ChipSku === 0 ? 'MT3620AN' : String(d.ChipSku),
    ...(d.LastAvailableOSVersion && { lastAvailableOsVersion: d.LastAvailableOSVersion }),
    ...(d.LastInstalledOSVersion && { lastInstalledOsVersion: d.LastInstalledOSVersion }),
    ...(d.LastOSUpdateUTC && { lastOsUpdate: d.LastOSUpdateUTC }),
    ...(d.LastUpdateRequestUTC && { lastUpdateRequest: d.LastUpdateRequestUTC }),
  };
}

function image(m: ImageMetadata): FleetImage {
  return { id: m.Id.toLowerCase(), name: m.Name, componentId: m.ComponentId.toLowerCase(), description: m.Description ?? '', type: m.Type, typeName: imageTypeName(m.Type) };
}

function imageMetadata(i: FleetImage): ImageMetadata {
  return { Id: i.id, Name: i.name, ComponentId: i.componentId, Description: i.description, Type: i.type };
}

function deployment(d: Deployment): FleetDeployment {
  return { id: d.Id, imageIds: (d.DeployedImages ?? []).map((id) => id.toLowerCase()), ...(d.DeploymentDateUtc && { deployedAt: d.DeploymentDateUtc }) };
}

function certificate(c: CaCertificateEntry): FleetCertificate {
  return {
    id: c.Thumbprint,
    thumbprint: c.Thumbprint,
    status: c.IsRevoked ? 'Revoked' : c.IsActive ? 'Active' : 'Inactive',
    ...(c.StartDate && { notBefore: c.StartDate }),
    ...(c.EndDate && { notAfter: c.EndDate }),
  };
}

/** Checks a deployment's images as both backends do before sending (exported for the ARM backend). */
export function checkDeploymentImages(imageIds: readonly string[], known: readonly FleetImage[] | undefined): string[] {
  return requireDeploymentImages(imageIds, known?.map(imageMetadata));
}
