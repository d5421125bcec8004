// Reads the metadata at the end of an image package: [payload][padding][metadata][u32 metadata length][signature].
// Every length in the file is checked against the bytes really there before it is used, and every loop advances by at
// least one section header, so a hostile file costs at most one pass over its metadata.
import {
  ABI_ENTRY_BYTES,
  DEBUG_NAME_BYTES,
  DEBUG_SECTION_BYTES,
  IDENTITY_SECTION_BYTES,
  METADATA_HEADER_BYTES,
  METADATA_LENGTH_FIELD_BYTES,
  METADATA_MAGIC,
  MIN_PACKAGE_BYTES,
  SECTION_HEADER_BYTES,
  SECTION_NAMES,
  SIGNATURE_BYTES,
  SIGNATURE_BYTES_P384,
  SIGNATURE_SECTION_BYTES,
  SigningType,
  TEMPORARY_IMAGE_SECTION_BYTES,
  THUMBPRINT_BYTES,
  TemporaryImageFlag,
  type KnownSectionId,
} from './format';
import { GUID_BYTES, guidFromBytes, NIL_GUID } from './guid';
import { ImagePackageError, type Refuse } from './image-package-error';
import type { AbiVersion, ImagePackageInfo } from './types';

/** What the metadata alone says (the package's info without what the payload or the file adds). */
export interface PackageMetadata extends Omit<ImagePackageInfo, 'imageTypeName' | 'manifest' | 'manifestProblem' | 'length'> {
  /** Where the metadata starts: the payload (and its padding) is everything before. */
  readonly metadataOffset: number;
  /** Where the signature starts. */
  readonly signedLength: number;
}

const hex32 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

/** How a section is named in a message: "Debug (DB)", or its raw ID when it is not two printable letters. */
function sectionLabel(id: string, raw: number): string {
  if (Object.hasOwn(SECTION_NAMES, id)) return `${SECTION_NAMES[id as KnownSectionId]} (${id})`;
  return /^[A-Za-z0-9]{2}$/.test(id) ? `'${id}'` : `0x${raw.toString(16).padStart(4, '0')}`;
}

interface Located {
  readonly start: number;
  readonly length: number;
  readonly signatureBytes: number;
}

/** The metadata block that the length field before a signature of `signatureBytes` points to, if a header is there. */
function locate(bytes: Buffer, signatureBytes: number): Located | undefined {
  const fieldAt = bytes.length - signatureBytes - METADATA_LENGTH_FIELD_BYTES;
  if (fieldAt < METADATA_HEADER_BYTES) return undefined;
  const length = bytes.readUInt32LE(fieldAt);
  if (length < METADATA_HEADER_BYTES + METADATA_LENGTH_FIELD_BYTES || length > bytes.length - signatureBytes) return undefined;
  const start = bytes.length - signatureBytes - length;
  return bytes.readUInt32LE(start) === METADATA_MAGIC ? { start, length, signatureBytes } : undefined;
}

/** Where to look for a stray header when the length field misleads: far enough back for any metadata. */
const HINT_SEARCH_BYTES = 64 * 1024;

function noMetadata(bytes: Buffer, refuse: Refuse): ImagePackageError {
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(METADATA_MAGIC);
  const from = Math.max(0, bytes.length - HINT_SEARCH_BYTES);
  const found = bytes.subarray(from).lastIndexOf(magic);
  const hint = found < 0 ? '' : `; there is one at byte ${from + found}, so the file looks cut short or has bytes added at its end`;
  return refuse('NO_METADATA', `it has no metadata header (magic ${hex32(METADATA_MAGIC)} not found where the length field points${hint})`);
}

/** Reads and checks the metadata; throws an ImagePackageError made by `refuse` for anything wrong. */
export function readMetadata(bytes: Buffer, refuse: Refuse): PackageMetadata {
  if (bytes.length < MIN_PACKAGE_BYTES) {
    throw refuse('TOO_SHORT', `it is ${bytes.length} bytes long, shorter than any package (${MIN_PACKAGE_BYTES} bytes)`);
  }
  const located = locate(bytes, SIGNATURE_BYTES);
  if (located) return readSections(bytes, located, refuse);
  // The public parser also reads ECDSA P-384 images (a 96-byte signature); only take that reading when the
  // metadata agrees it was signed that way, so a damaged P-256 image is never half-read as one.
  const p384 = locate(bytes, SIGNATURE_BYTES_P384);
  if (p384) {
    try {
      const metadata = readSections(bytes, p384, refuse);
      if (metadata.signingType === SigningType.ecdsa384) return metadata;
    } catch (err) {
      if (!(err instanceof ImagePackageError)) throw err;
    }
  }
  throw noMetadata(bytes, refuse);
}

interface Section {
  readonly at: number;
  readonly length: number;
}

function readSections(bytes: Buffer, { start, length, signatureBytes }: Located, refuse: Refuse): PackageMetadata {
  const count = bytes.readUInt32LE(start + 4);
  if (count === 0) throw refuse('NO_SECTIONS', 'its metadata has no sections');
  const end = start + length - METADATA_LENGTH_FIELD_BYTES;
  const sections = new Map<KnownSectionId, Section>();
  let at = start + METADATA_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + SECTION_HEADER_BYTES > end) {
      throw refuse('SECTION_OVERRUN', `a section overruns the metadata (the header counts ${count} sections, but the metadata ends after ${i})`);
    }
    const raw = bytes.readUInt16LE(at);
    const id = bytes.toString('latin1', at, at + 2);
    const sectionLength = bytes.readUInt16LE(at + 2);
    const dataAt = at + SECTION_HEADER_BYTES;
    if (dataAt + sectionLength > end) {
      throw refuse(
        'SECTION_OVERRUN',
        `a section overruns the metadata (section ${i + 1}, ${sectionLabel(id, raw)}, is ${sectionLength} bytes long, but only ${end - dataAt} bytes of metadata are left)`,
      );
    }
    if (Object.hasOwn(SECTION_NAMES, id)) {
      const known = id as KnownSectionId;
      if (sections.has(known)) throw refuse('DUPLICATE_SECTION', `its metadata has two ${SECTION_NAMES[known]} sections`);
      sections.set(known, { at: dataAt, length: sectionLength });
    }
    at = dataAt + sectionLength;
  }

  const need = (id: KnownSectionId, bytesNeeded: number): Section | undefined => {
    const section = sections.get(id);
    if (section && section.length < bytesNeeded) {
      throw refuse('BAD_SECTION', `its ${SECTION_NAMES[id]} section is ${section.length} bytes long; it needs ${bytesNeeded}`);
    }
    return section;
  };

  const identity = need('ID', IDENTITY_SECTION_BYTES);
  if (!identity) throw refuse('NO_IDENTITY', 'its metadata has no Identity section');
  const imageType = bytes.readUInt16LE(identity.at);
  const componentId = guidFromBytes(bytes, identity.at + 4);
  const imageId = guidFromBytes(bytes, identity.at + 4 + GUID_BYTES);
  if (componentId === NIL_GUID) throw refuse('NIL_COMPONENT_ID', `the component ID is all zeros (${NIL_GUID})`);
  if (imageId === NIL_GUID) throw refuse('NIL_IMAGE_ID', `the image ID is all zeros (${NIL_GUID})`);

  const signature = need('SG', SIGNATURE_SECTION_BYTES);
  const debug = need('DB', DEBUG_SECTION_BYTES);
  const temporary = need('TP', TEMPORARY_IMAGE_SECTION_BYTES);
  const flags = temporary ? bytes.readUInt32LE(temporary.at) : 0;

  return {
    componentId,
    imageId,
    imageType,
    name: debug ? debugName(bytes, debug.at + 8) : '',
    buildDate: debug ? buildDate(bytes, debug.at, refuse) : new Date(0),
    underDevelopment: (flags & TemporaryImageFlag.underDevelopment) !== 0,
    removeAtBoot: (flags & TemporaryImageFlag.removeAtBoot) !== 0,
    ...(signature && {
      signingThumbprint: bytes.toString('hex', signature.at, signature.at + THUMBPRINT_BYTES),
      signingType: bytes.readUInt32LE(signature.at + THUMBPRINT_BYTES),
    }),
    abiDepends: abiVersions(bytes, sections.get('ND'), 'ND', refuse),
    abiProvides: abiVersions(bytes, sections.get('NP'), 'NP', refuse),
    metadataOffset: start,
    signedLength: bytes.length - signatureBytes,
  };
}

/** The NUL-padded name, up to its first NUL; control characters (which a hostile file could use to garble a view) become U+FFFD. */
function debugName(bytes: Buffer, at: number): string {
  const field = bytes.subarray(at, at + DEBUG_NAME_BYTES);
  const nul = field.indexOf(0);
  // eslint-disable-next-line no-control-regex
  return field.toString('utf8', 0, nul < 0 ? field.length : nul).replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
}

/** Dates go up to ±8.64e15 ms; a build time beyond that is damage, not a date. */
const MAX_BUILD_SECONDS = 8_640_000_000_000n;

function buildDate(bytes: Buffer, at: number, refuse: Refuse): Date {
  const seconds = bytes.readBigUInt64LE(at);
  if (seconds > MAX_BUILD_SECONDS) throw refuse('BAD_SECTION', `its Debug section's build time (${seconds} seconds after 1970) is not a possible date`);
  return new Date(Number(seconds) * 1000);
}

function abiVersions(bytes: Buffer, section: Section | undefined, id: 'ND' | 'NP', refuse: Refuse): AbiVersion[] {
  if (!section) return [];
  if (section.length < 4) throw refuse('BAD_SECTION', `its ${SECTION_NAMES[id]} section is ${section.length} bytes long; it needs at least 4`);
  const count = bytes.readUInt32LE(section.at);
  // Checked before the loop, so a hostile count never drives it past the section.
  if (count > (section.length - 4) / ABI_ENTRY_BYTES) {
    throw refuse('BAD_SECTION', `its ${SECTION_NAMES[id]} section lists ${count} entries, more than its ${section.length} bytes hold`);
  }
  const entries: AbiVersion[] = [];
  for (let i = 0, at = section.at + 4; i < count; i++, at += ABI_ENTRY_BYTES) {
    entries.push({ version: bytes.readUInt32LE(at), type: bytes.readUInt32LE(at + 4) });
  }
  return entries;
}
