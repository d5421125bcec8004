// The numbers of the image-package metadata (docs/image-package.md), shared by the reader here and the writer in
// emulator/common/image-package-writer.ts so the two cannot drift apart. All fields are little-endian.
import { ImageType } from './types';

/** "4X4M": the first word of the metadata header. */
export const METADATA_MAGIC = 0x4d345834;
/** u32 magic + u32 section count. */
export const METADATA_HEADER_BYTES = 8;
/** u16 section ID + u16 data length. */
export const SECTION_HEADER_BYTES = 4;
/** The u32 after the sections: the metadata's length, header and this field included. */
export const METADATA_LENGTH_FIELD_BYTES = 4;
/** ECDSA P-256 over SHA-256, raw r‖s: the signature of every image an app developer handles. */
export const SIGNATURE_BYTES = 64;
/** ECDSA P-384 (signing type 2), which the public parser also accepts. */
export const SIGNATURE_BYTES_P384 = 96;
/** The smallest file that can hold a metadata header, its length field and a signature. */
export const MIN_PACKAGE_BYTES = METADATA_HEADER_BYTES + METADATA_LENGTH_FIELD_BYTES + SIGNATURE_BYTES;

/** Section IDs as their two ASCII letters (stored as a u16, so 'ID' is 0x4449). */
export const SectionId = {
  identity: 'ID',
  signature: 'SG',
  debug: 'DB',
  temporaryImage: 'TP',
  abiDepends: 'ND',
  abiProvides: 'NP',
} as const;
export type KnownSectionId = (typeof SectionId)[keyof typeof SectionId];

/** The names the SDK's `image-package show` prints for each section. */
export const SECTION_NAMES: Readonly<Record<KnownSectionId, string>> = {
  ID: 'Identity',
  SG: 'Signature',
  DB: 'Debug',
  TP: 'Temporary Image',
  ND: 'ABI Depends',
  NP: 'ABI Provides',
};

/** u16 image type, u16 reserved, GUID component ID, GUID image ID. */
export const IDENTITY_SECTION_BYTES = 36;
/** byte[20] SHA-1 thumbprint of the signing certificate, u32 signing type. */
export const SIGNATURE_SECTION_BYTES = 24;
export const THUMBPRINT_BYTES = 20;
/** u64 build time (Unix seconds), char[32] image name (NUL-padded). */
export const DEBUG_SECTION_BYTES = 40;
export const DEBUG_NAME_BYTES = 32;
/** u32 flags. */
export const TEMPORARY_IMAGE_SECTION_BYTES = 4;
/** u32 count, then count × { u32 version, u32 type }. */
export const ABI_ENTRY_BYTES = 8;

export const TemporaryImageFlag = { removeAtBoot: 1, underDevelopment: 2 } as const;
export const SigningType = { ecdsa256: 1, ecdsa384: 2 } as const;
export const AbiType = { secureWorldRuntime: 1, osRuntime: 2, applicationRuntime: 3 } as const;

/**
 * Thumbprint of the SDK's application-development test signing certificate: what a package built for sideloading is
 * signed with (it is in the Signature section of the sample packages in https://github.com/Azure/azure-sphere-tools).
 * A board accepts such a package only with the appDevelopment capability.
 */
export const APP_DEVELOPMENT_SIGNING_THUMBPRINT = 'a8d5cc6958f48710140d7a26160fc1cfc31f5df0';

/** The name the CLI shows for an image type. */
export function imageTypeName(type: number): string {
  switch (type) {
    case ImageType.applications:
      return 'Applications';
    case ImageType.customerBoardConfig:
      return 'Board configuration';
    case ImageType.firmwareConfig:
      return 'Firmware config';
    default:
      return `Image type ${type}`;
  }
}
