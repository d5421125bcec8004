// What an Azure Sphere image package says about itself: the metadata section at the end of the file and, for an
// application, the app_manifest.json in its file system. Layout and fields: docs/image-package.md.

/** Image types the tools name (the metadata's Identity section, the device's `image_type`, the cloud's `ImageType`). */
export const ImageType = {
  applications: 10,
  firmwareConfig: 13,
  customerBoardConfig: 21,
} as const;

/** Device capabilities a capability file can grant (the byte values in the file, and `GET /device/capabilities`). */
export const DeviceCapability = {
  enableAppDevelopment: 11,
  enableRfTestMode: 12,
  enableFieldServicing: 13,
} as const;

/** The parts of app_manifest.json the explorer shows or checks. */
export interface AppManifest {
  readonly SchemaVersion?: number;
  readonly Name?: string;
  readonly ComponentId?: string;
  readonly EntryPoint?: string;
  readonly ApplicationType?: string;
  readonly TargetApplicationRuntimeVersion?: number;
  /**
   * The arguments the OS starts the app with, e.g. Microsoft's AzureIoT sample's
   * `["--ConnectionType", "IoTHub", "--Hostname", "<hub>.azure-devices.net"]`; absent unless a list of strings.
   */
  readonly CmdArgs?: readonly string[];
  readonly Capabilities?: Record<string, unknown>;
  /**
   * `Capabilities.DeviceAuthentication`: the tenant ID whose daily device certificate the app may use to
   * authenticate (to IoT Hub, DPS…); absent unless a string.
   */
  readonly DeviceAuthentication?: string;
  /**
   * The mutable storage the app asks for: `Capabilities.MutableStorage`, where manifests declare it, or a top-level
   * `MutableStorage` when that is absent.
   */
  readonly MutableStorage?: { readonly SizeKB?: number };
}

/** One entry of the ABI Depends / ABI Provides sections: `type` 1 SecureWorldRuntime, 2 OSRuntime, 3 ApplicationRuntime. */
export interface AbiVersion {
  readonly version: number;
  readonly type: number;
}

export interface ImagePackageInfo {
  /** Component ID (lower-case GUID): the app's identity on the board; the same across versions of one app. */
  readonly componentId: string;
  /** Image ID (lower-case GUID): this build. */
  readonly imageId: string;
  readonly imageType: number;
  /** "Applications", "Board configuration", "Firmware config", or "Image type N". */
  readonly imageTypeName: string;
  /** The Debug section's image name ('' when the package has no Debug section). */
  readonly name: string;
  /** The Debug section's build time (1970-01-01T00:00:00Z when the package has no Debug section). */
  readonly buildDate: Date;
  /** Temporary Image section: UnderDevelopment flag (false when the section is absent). */
  readonly underDevelopment: boolean;
  /** Temporary Image section: RemoveAtBoot flag. */
  readonly removeAtBoot: boolean;
  /** Signature section: the signing certificate's SHA-1 thumbprint (lower-case hex), when present. */
  readonly signingThumbprint?: string;
  /** Signature section: 1 ECDsa256, 2 ECDsa384, when present. */
  readonly signingType?: number;
  /** ABI Depends section (empty when absent): e.g. [{ version: 12, type: 3 }] for application runtime 12. */
  readonly abiDepends: readonly AbiVersion[];
  /** ABI Provides section (empty when absent). */
  readonly abiProvides: readonly AbiVersion[];
  /** The application's manifest, for image type 10 when the file system holds one. */
  readonly manifest?: AppManifest;
  /** For image type 10 without a readable manifest: why not, in a sentence for a person. */
  readonly manifestProblem?: string;
  /** Size of the whole file in bytes. */
  readonly length: number;
  /** Bytes covered by the signature (everything before it); the signature is the rest of the file. */
  readonly signedLength: number;
}
