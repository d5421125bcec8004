// Wire shapes of Microsoft.AzureSphere 2024-04-01 (specification/sphere/resource-manager/Microsoft.AzureSphere/
// .../stable/2024-04-01/azuresphere.json): ARM's envelope (`id`, `name`, `type`, `systemData`) around `properties`.
// Enums are extensible strings on the wire, so they are typed as string here.

export interface ArmResource<P> {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
  readonly properties?: P;
}

export interface CatalogProperties {
  /** The Azure Sphere (legacy) tenant ID the catalog was integrated from. */
  readonly tenantId?: string;
  readonly provisioningState?: string;
}
export type Catalog = ArmResource<CatalogProperties> & { readonly location?: string; readonly tags?: Readonly<Record<string, string>> };

export interface ProductProperties {
  readonly description?: string;
  readonly provisioningState?: string;
}
export type ArmProduct = ArmResource<ProductProperties>;

export interface DeviceGroupProperties {
  readonly description?: string;
  /** Retail | RetailEval */
  readonly osFeedType?: string;
  /** UpdateAll | No3rdPartyAppUpdates */
  readonly updatePolicy?: string;
  /** Enabled | Disabled */
  readonly allowCrashDumpsCollection?: string;
  /** None | EU */
  readonly regionalDataBoundary?: string;
  readonly hasDeployment?: boolean;
  readonly provisioningState?: string;
}
export type ArmDeviceGroup = ArmResource<DeviceGroupProperties>;

export interface DeviceProperties {
  readonly deviceId?: string;
  readonly chipSku?: string;
  readonly lastAvailableOsVersion?: string;
  readonly lastInstalledOsVersion?: string;
  readonly lastOsUpdateUtc?: string;
  readonly lastUpdateRequestUtc?: string;
  readonly provisioningState?: string;
}
export type ArmDevice = ArmResource<DeviceProperties>;

export interface ImageProperties {
  /** Base64 package on create; its URI on read. */
  readonly image?: string;
  readonly imageId?: string;
  readonly imageName?: string;
  readonly regionalDataBoundary?: string;
  readonly uri?: string;
  readonly description?: string;
  readonly componentId?: string;
  /** ImageType name, e.g. Applications, CustomerBoardConfig, FwConfig. */
  readonly imageType?: string;
  readonly provisioningState?: string;
}
export type ArmImage = ArmResource<ImageProperties>;

export interface DeploymentProperties {
  readonly deploymentId?: string;
  readonly deployedImages?: readonly ArmImage[];
  readonly deploymentDateUtc?: string;
  readonly provisioningState?: string;
}
export type ArmDeployment = ArmResource<DeploymentProperties>;

export interface CertificateProperties {
  /** Base64 DER. */
  readonly certificate?: string;
  /** Active | Inactive | Expired | Revoked */
  readonly status?: string;
  readonly subject?: string;
  readonly thumbprint?: string;
  readonly expiryUtc?: string;
  readonly notBeforeUtc?: string;
  readonly provisioningState?: string;
}
export type ArmCertificate = ArmResource<CertificateProperties>;

export interface CertificateChainResponse {
  /** Base64 PKCS#7. */
  readonly certificateChain?: string;
}

/** The proof-of-possession certificate: CertificateProperties at the top level. */
export type ProofOfPossessionNonceResponse = CertificateProperties;

export interface CountDevicesResponse {
  readonly value: number;
}

export interface SignedCapabilityImageResponse {
  /** Base64 capability image. */
  readonly image?: string;
}

/** ApplicationDevelopment | FieldServicing */
export type CapabilityType = 'ApplicationDevelopment' | 'FieldServicing';

export interface ArmSubscription {
  readonly id?: string;
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly tenantId?: string;
  readonly state?: string;
}

export interface ArmResourceGroup {
  readonly id: string;
  readonly name: string;
  readonly location?: string;
}

/** Which catalog: subscription, resource group and name, as in its resource ID. */
export interface CatalogRef {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly catalogName: string;
}

/** One event of a catalog's error report (DeviceInsight in the 2024-04-01 spec). */
export interface ArmDeviceInsight {
  readonly deviceId?: string;
  readonly description?: string;
  readonly startTimestampUtc?: string;
  readonly endTimestampUtc?: string;
  readonly eventCategory?: string;
  readonly eventClass?: string;
  readonly eventType?: string;
  readonly eventCount?: number;
}
