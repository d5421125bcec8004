// Wire shapes of the Azure Sphere security service API (docs/cloud-api.md#security-service-api): PascalCase, as the
// service sends them.

export type SphereRole = 'Administrator' | 'Contributor' | 'Reader';
export const SPHERE_ROLES: readonly SphereRole[] = ['Administrator', 'Contributor', 'Reader'];

export interface Tenant {
  readonly Id: string;
  readonly Name: string;
  readonly Roles: readonly string[];
}

export interface Device {
  readonly DeviceId: string;
  readonly TenantId: string;
  readonly ProductId: string | null;
  readonly DeviceGroupId: string | null;
  /** 0 = MT3620AN. */
  readonly ChipSku: number;
  readonly LastAvailableOSVersion: string | null;
  readonly LastInstalledOSVersion: string | null;
  readonly LastOSUpdateUTC: string | null;
  readonly LastUpdateRequestUTC: string | null;
}

/** One page of a list endpoint. */
export interface Page<T> {
  readonly Items: readonly T[];
  readonly ContinuationToken?: string | null;
}

export const OperationState = { NotStarted: 0, InProgress: 1, Complete: 2, Failed: 3, CompleteWithErrors: 4 } as const;
export const OperationType = {
  DeviceClaim: 0,
  DeviceUnclaim: 1,
  DeviceUpdateDeviceGroup: 2,
  CreateProduct: 4,
  DeployToDeviceGroup: 5,
  ImageUpload: 7,
  TenantCreation: 8,
  DeleteDeviceGroup: 9,
  DeleteProduct: 10,
  BulkDeviceClaim: 11,
} as const;

export interface Operation {
  readonly OperationId: string;
  readonly OperationType: number;
  readonly State: number;
  readonly TenantId: string | null;
  readonly CreatedDateUTC: string | null;
  readonly StartedDateUTC: string | null;
  readonly CompletedDateUTC: string | null;
  readonly DetailsLocation: string | null;
  readonly ResourceLocation: string | null;
  readonly Error: { readonly Code?: number; readonly Message?: string } | null;
}

export interface Principal {
  readonly PrincipalId: string;
  readonly DisplayName: string;
  readonly Mail: string;
  readonly Roles: readonly string[];
}

export interface TenantUsers {
  readonly TenantId: string;
  readonly Principals: readonly Principal[];
}

export interface CaCertificateEntry {
  /** Base64 DER. */
  readonly Certificate: string;
  readonly IsActive: boolean;
  readonly IsRevoked: boolean;
  /** SHA-1, upper-case hex. */
  readonly Thumbprint: string;
  readonly StartDate?: string;
  readonly EndDate?: string;
}

export interface Product {
  readonly Id: string;
  readonly TenantId: string;
  readonly Name: string;
  readonly Description: string | null;
}

/** DeviceGroupV2's OsFeedType: which OS feed the group's devices follow. */
export const OsFeedType = { Retail: 0, RetailEval: 1 } as const;
/** DeviceGroupV2's UpdatePolicy: 1 keeps cloud app deployments off the devices (what sideloading needs). */
export const UpdatePolicy = { UpdateAll: 0, No3rdPartyAppUpdates: 1 } as const;

/** A device group's deployment: the images its devices are to run (learn.microsoft.com/rest/api/azure-sphere/deployments/list). */
export interface Deployment {
  readonly Id: string;
  readonly TenantId?: string;
  readonly DeployedImages?: readonly string[];
  readonly DeploymentDateUtc?: string;
}

export interface DeviceGroup {
  readonly Id: string;
  readonly TenantId: string;
  readonly OsFeedType: number;
  readonly ProductId: string;
  readonly Name: string;
  readonly Description: string | null;
  readonly CurrentDeployment: Deployment | null;
  readonly UpdatePolicy: number;
  readonly AllowCrashDumpsCollection: boolean;
}

/**
 * An image uploaded to a tenant (learn.microsoft.com/rest/api/azure-sphere/image/get-metadata). `Type` is the image
 * type (10 Applications, 21 board configuration, 13 Firmware config = a capability file: ImageType in
 * src/device/image-package); `ImageType` is its deprecated twin.
 */
export interface ImageMetadata {
  readonly Id: string;
  readonly Name: string;
  readonly ComponentId: string;
  readonly Description: string | null;
  readonly ImageType?: number;
  readonly Type: number;
}

/** One line of a tenant's error report (learn.microsoft.com/rest/api/azure-sphere/error-reporting/list). */
export interface DeviceInsight {
  readonly DeviceId: string;
  readonly Description: string;
  readonly EventCategory: string;
  /** The software that had the event: OS or application. */
  readonly EventClass: string;
  /** Planned (updates) or unplanned (errors). */
  readonly EventType: string;
  /** How often it happened between the start and the end. */
  readonly EventCount: number;
  readonly StartTimestampInUnix: number;
  readonly EndTimestampInUnix: number;
}
