// Reads a device capability file: the image (type 13, FirmwareConfig) the cloud signs for one device to unlock
// capabilities such as app development. Layout (docs/image-package.md#capability-files): a 12-byte header, the
// device ID, one byte per capability, zero padding to `data_length`, then the usual metadata and signature.
import { readMetadata } from './read-metadata';
import { imageTypeName } from './format';
import { refuser } from './image-package-error';
import { asBuffer, readPackageBytes } from './read-image-package';
import { ImageType } from './types';

export const CAPABILITY_MAGIC = 0x5cfd5cfd;
export const CAPABILITY_VERSION = 1;
/** u32 magic, u32 version, u32 data_length. */
export const CAPABILITY_HEADER_BYTES = 12;
/** The device ID: 128 hex characters in binary. */
export const CAPABILITY_DEVICE_ID_BYTES = 64;
/** One byte per capability; zero bytes are unused. */
export const CAPABILITY_LIST_BYTES = 64;
/** What the cloud writes as data_length: where the metadata starts. */
export const CAPABILITY_DATA_LENGTH = 204;

export interface CapabilityImageInfo {
  /** The device the file is for: 128 lower-case hex characters, as the board reports its own ID. */
  readonly deviceId: string;
  /** The capabilities it grants, in file order (11 appDevelopment, 12 RF test mode, 13 field servicing). */
  readonly capabilities: readonly number[];
  readonly componentId: string;
  readonly imageId: string;
}

const CAPABILITY_FILE = 'a device capability file';

export function readCapabilityImage(bytes: Uint8Array, source = 'The file'): CapabilityImageInfo {
  const buffer = asBuffer(bytes);
  const refuse = refuser(source, CAPABILITY_FILE);
  const metadata = readMetadata(buffer, refuse);
  if (metadata.imageType !== ImageType.firmwareConfig) {
    throw refuse('NOT_CAPABILITY_FILE', `it is an image package of type ${metadata.imageType} (${imageTypeName(metadata.imageType)}), not ${ImageType.firmwareConfig} (${imageTypeName(ImageType.firmwareConfig)})`);
  }
  const fixed = CAPABILITY_HEADER_BYTES + CAPABILITY_DEVICE_ID_BYTES + CAPABILITY_LIST_BYTES;
  if (metadata.metadataOffset < fixed) {
    throw refuse('NOT_CAPABILITY_FILE', `its data is ${metadata.metadataOffset} bytes long, shorter than a capability header, device ID and capability list (${fixed} bytes)`);
  }
  if (buffer.readUInt32LE(0) !== CAPABILITY_MAGIC) throw refuse('NOT_CAPABILITY_FILE', 'it does not start with the capability magic 0x5CFD5CFD');
  const version = buffer.readUInt32LE(4);
  if (version !== CAPABILITY_VERSION) throw refuse('NOT_CAPABILITY_FILE', `it is capability format version ${version}; only version ${CAPABILITY_VERSION} is read`);
  const dataLength = buffer.readUInt32LE(8);
  if (dataLength < fixed || dataLength > metadata.metadataOffset) {
    throw refuse('NOT_CAPABILITY_FILE', `its data length field (${dataLength}) does not lie between ${fixed} and the start of its metadata (${metadata.metadataOffset})`);
  }
  const idAt = CAPABILITY_HEADER_BYTES;
  const listAt = idAt + CAPABILITY_DEVICE_ID_BYTES;
  const deviceId = buffer.toString('hex', idAt, listAt);
  if (/^0+$/.test(deviceId)) throw refuse('NOT_CAPABILITY_FILE', 'its device ID is all zeros');
  const capabilities = [...buffer.subarray(listAt, listAt + CAPABILITY_LIST_BYTES)].filter((b) => b !== 0);
  return { deviceId, capabilities, componentId: metadata.componentId, imageId: metadata.imageId };
}

export async function readCapabilityImageFile(path: string): Promise<CapabilityImageInfo> {
  return readCapabilityImage(await readPackageBytes(path, CAPABILITY_FILE), path);
}
