// Writes Azure Sphere image packages and device capability files (docs/image-package.md) for the cloud emulator (its
// capability images), the board simulator's tests and the unit and integration tests: an ASXipFS root holding
// app_manifest.json and any other files, the metadata, and an ECDSA P-256 signature over everything before it. The
// constants come from the reader in src/device/image-package/, so what is written here is what the explorer reads.
import { createECDH, createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CRAMFS_FLAGS,
  CRAMFS_INODE_BYTES,
  CRAMFS_MAGIC,
  CRAMFS_SIGNATURE,
  CRAMFS_SIGNATURE_OFFSET,
  CRAMFS_SUPERBLOCK_BYTES,
  CRAMFS_UNIT,
  APP_MANIFEST_FILE,
  S_IFDIR,
  S_IFREG,
} from '../../src/device/image-package/asxipfs';
import {
  ABI_ENTRY_BYTES,
  AbiType,
  APP_DEVELOPMENT_SIGNING_THUMBPRINT,
  DEBUG_NAME_BYTES,
  DEBUG_SECTION_BYTES,
  IDENTITY_SECTION_BYTES,
  METADATA_HEADER_BYTES,
  METADATA_LENGTH_FIELD_BYTES,
  METADATA_MAGIC,
  SECTION_HEADER_BYTES,
  SectionId,
  SIGNATURE_SECTION_BYTES,
  SigningType,
  TemporaryImageFlag,
  THUMBPRINT_BYTES,
} from '../../src/device/image-package/format';
import { guidToBytes } from '../../src/device/image-package/guid';
import {
  CAPABILITY_DATA_LENGTH,
  CAPABILITY_DEVICE_ID_BYTES,
  CAPABILITY_HEADER_BYTES,
  CAPABILITY_LIST_BYTES,
  CAPABILITY_MAGIC,
  CAPABILITY_VERSION,
} from '../../src/device/image-package/read-capability-image';
import { ImageType, type AbiVersion } from '../../src/device/image-package/types';

export interface ImagePackageSpec {
  readonly componentId: string;
  readonly imageId: string;
  /** Default 10 (Applications). */
  readonly imageType?: number;
  /** The Debug section's image name: at most 32 bytes of UTF-8. */
  readonly name: string;
  /** The Debug section's build time, kept to the second. */
  readonly buildDate: Date;
  readonly underDevelopment?: boolean;
  readonly removeAtBoot?: boolean;
  /** Written as app_manifest.json in the package's file system. */
  readonly manifest?: Readonly<Record<string, unknown>>;
  /**
   * More files, by path in the file system ("bin/app"): bytes, text (UTF-8), or a size for that many filler bytes
   * (e.g. `{ 'bin/app': 1024 * 1024 }` for a package the size of a real app).
   */
  readonly files?: Readonly<Record<string, Buffer | string | number>>;
  /** The raw payload instead of a file system (for image types without one); excludes `manifest` and `files`. */
  readonly payload?: Buffer;
  /** ABI Depends entries; default: application runtime `manifest.TargetApplicationRuntimeVersion`, when it is a number. */
  readonly abiDepends?: readonly AbiVersion[];
  /** An EC P-256 private key; default: testSigningKey(). */
  readonly signingKey?: KeyObject;
  /** 40 hex digits; default: the SDK's app-development test certificate, as on a package built for sideloading. */
  readonly signingThumbprint?: string;
}

export interface CapabilityImageSpec {
  /** 128 hex characters. */
  readonly deviceId: string;
  /** Capability values, 1–255, at most 64 (11 appDevelopment, 12 RF test mode, 13 field servicing). */
  readonly capabilities: readonly number[];
  /** An EC P-256 private key; default: testSigningKey(). */
  readonly signingKey?: KeyObject;
  /** 40 hex digits; default: the SHA-1 of the signing key's public key (the emulator has no signing certificate). */
  readonly signingThumbprint?: string;
  /** Default: one derived from the device ID and capabilities, so equal requests give equal IDs. */
  readonly imageId?: string;
  /** Default: now. */
  readonly buildDate?: Date;
}

/** The component ID of capability images, as in the cloud-issued capability file docs/image-package.md cites. */
export const CAPABILITY_COMPONENT_ID = '4128b5d8-abc2-4155-9a33-8a1f31ed67ec';
const CAPABILITY_IMAGE_NAME = 'fw_config';

let testKey: KeyObject | undefined;

/**
 * A fixed EC P-256 key for tests and the emulators, derived from a published phrase — it is not secret and must never
 * sign anything real. Derived rather than pasted so no key material sits in the repository.
 */
export function testSigningKey(): KeyObject {
  if (!testKey) {
    const d = createHash('sha256').update('sphere-explorer image-package test signing key (public, not secret)').digest();
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey();
    const b64 = (b: Buffer): string => b.toString('base64url');
    testKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64(d), x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) }, format: 'jwk' });
  }
  return testKey;
}

// ---- checks on the spec: a test that builds a package wrongly should hear why, not get a subtly broken file

function checkThumbprint(thumbprint: string): Buffer {
  if (!/^[0-9a-f]{40}$/i.test(thumbprint)) throw new TypeError(`signingThumbprint must be 40 hex digits (a SHA-1), got "${thumbprint}"`);
  return Buffer.from(thumbprint, 'hex');
}

function checkKey(key: KeyObject): KeyObject {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('signingKey must be an EC P-256 private key');
  }
  return key;
}

function checkUint(value: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${what} must be a whole number from 0 to ${max}, got ${value}`);
  return value;
}

// ---- metadata

interface Section {
  readonly id: string;
  readonly data: Buffer;
}

function identitySection(imageType: number, componentId: string, imageId: string): Section {
  const data = Buffer.alloc(IDENTITY_SECTION_BYTES);
  data.writeUInt16LE(checkUint(imageType, 0xffff, 'imageType'), 0);
  guidToBytes(componentId).copy(data, 4);
  guidToBytes(imageId).copy(data, 20);
  return { id: SectionId.identity, data };
}

function signatureSection(thumbprint: Buffer): Section {
  const data = Buffer.alloc(SIGNATURE_SECTION_BYTES);
  thumbprint.copy(data, 0);
  data.writeUInt32LE(SigningType.ecdsa256, THUMBPRINT_BYTES);
  return { id: SectionId.signature, data };
}

function debugSection(name: string, buildDate: Date): Section {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > DEBUG_NAME_BYTES || nameBytes.includes(0)) {
    throw new RangeError(`name must be at most ${DEBUG_NAME_BYTES} bytes of UTF-8 without NULs, got ${nameBytes.length} bytes`);
  }
  const ms = buildDate.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('buildDate must be a valid date from 1970 on');
  const data = Buffer.alloc(DEBUG_SECTION_BYTES);
  data.writeBigUInt64LE(BigInt(Math.floor(ms / 1000)), 0);
  nameBytes.copy(data, 8);
  return { id: SectionId.debug, data };
}

function temporaryImageSection(flags: number): Section {
  const data = Buffer.alloc(4);
  data.writeUInt32LE(flags, 0);
  return { id: SectionId.temporaryImage, data };
}

function abiDependsSection(entries: readonly AbiVersion[]): Section {
  const data = Buffer.alloc(4 + entries.length * ABI_ENTRY_BYTES);
  data.writeUInt32LE(entries.length, 0);
  entries.forEach((entry, i) => {
    data.writeUInt32LE(checkUint(entry.version, 0xffff_ffff, 'an ABI version'), 4 + i * ABI_ENTRY_BYTES);
    data.writeUInt32LE(checkUint(entry.type, 0xffff_ffff, 'an ABI type'), 8 + i * ABI_ENTRY_BYTES);
  });
  return { id: SectionId.abiDepends, data };
}

/** [payload][padding to 4 bytes][metadata][u32 metadata length][signature]. */
function assemble(payload: Buffer, sections: readonly Section[], key: KeyObject): Buffer {
  const padded = Buffer.concat([payload, Buffer.alloc((4 - (payload.length % 4)) % 4)]);
  const header = Buffer.alloc(METADATA_HEADER_BYTES);
  header.writeUInt32LE(METADATA_MAGIC, 0);
  header.writeUInt32LE(sections.length, 4);
  const parts: Buffer[] = [header];
  for (const section of sections) {
    const sectionHeader = Buffer.alloc(SECTION_HEADER_BYTES);
    sectionHeader.write(section.id, 0, 'latin1');
    sectionHeader.writeUInt16LE(section.data.length, 2);
    parts.push(sectionHeader, section.data);
  }
  const metadataLength = parts.reduce((n, p) => n + p.length, 0) + METADATA_LENGTH_FIELD_BYTES;
  const lengthField = Buffer.alloc(METADATA_LENGTH_FIELD_BYTES);
  lengthField.writeUInt32LE(metadataLength, 0);
  const signed = Buffer.concat([padded, ...parts, lengthField]);
  const signature = sign('sha256', signed, { key: checkKey(key), dsaEncoding: 'ieee-p1363' });
  return Buffer.concat([signed, signature]);
}

// ---- ASXipFS

interface FsFile {
  readonly name: Buffer;
  readonly data: Buffer;
  readonly mode: number;
  inodeAt?: number;
  dataAt?: number;
}

interface FsDir {
  readonly name: Buffer;
  readonly entries: Map<string, FsDir | FsFile>;
  inodeAt?: number;
  entriesAt?: number;
  entriesSize?: number;
}

const isDir = (node: FsDir | FsFile): node is FsDir => 'entries' in node;
const PAGE = 4096;
const alignUp = (n: number, to: number): number => Math.ceil(n / to) * to;
const MAX_NAME_BYTES = 0x3f * CRAMFS_UNIT;
const MAX_SIZE = 0xff_ffff;
const MAX_OFFSET = 0x3ff_ffff * CRAMFS_UNIT;

/** Filler for size-only files: not zeros, so a test cannot mistake padding for content. */
function filler(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

function fileTree(files: Readonly<Record<string, Buffer | string | number>>): FsDir {
  const root: FsDir = { name: Buffer.alloc(0), entries: new Map() };
  for (const [path, content] of Object.entries(files)) {
    const parts = path.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0') || Buffer.byteLength(p) > MAX_NAME_BYTES)) {
      throw new RangeError(`"${path}" is not a file path for the package (names of 1 to ${MAX_NAME_BYTES} bytes, separated by single slashes)`);
    }
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      const next = dir.entries.get(part) ?? { name: Buffer.from(part), entries: new Map() };
      if (!isDir(next)) throw new RangeError(`"${path}" puts a file under the file ${part}`);
      dir.entries.set(part, next);
      dir = next;
    }
    const leaf = parts[parts.length - 1]!;
    if (dir.entries.has(leaf)) throw new RangeError(`"${path}" is given twice, or is also a folder`);
    const data = typeof content === 'number' ? filler(checkUint(content, MAX_SIZE, `the size of ${path}`)) : Buffer.from(content);
    if (data.length > MAX_SIZE) throw new RangeError(`${path} is ${data.length} bytes; a file in the package holds at most ${MAX_SIZE}`);
    // Programs under bin/ are executable, as the SDK packs them.
    dir.entries.set(leaf, { name: Buffer.from(leaf), data, mode: S_IFREG | (parts[0] === 'bin' ? 0o755 : 0o644) });
  }
  return root;
}

/** Entries sorted by name bytes (the SORTED_DIRS flag promises it). */
const sorted = (dir: FsDir): (FsDir | FsFile)[] => [...dir.entries.values()].sort((a, b) => Buffer.compare(a.name, b.name));
const paddedName = (name: Buffer): number => alignUp(name.length, CRAMFS_UNIT);

function writeInode(fs: Buffer, at: number, mode: number, size: number, nameBytes: number, offset: number): void {
  if (offset > MAX_OFFSET) throw new RangeError('the package file system is larger than ASXipFS can address');
  fs.writeUInt32LE(mode, at); // uid 0 in the high half
  fs.writeUInt32LE(size, at + 4); // gid 0 in the high byte
  fs.writeUInt32LE(((nameBytes / CRAMFS_UNIT) | ((offset / CRAMFS_UNIT) << 6)) >>> 0, at + 8);
}

/**
 * An ASXipFS image as mkcramfs lays one out: superblock with the root inode, then each directory's entries together
 * (a directory's entries before its subdirectories'), then file data, each file starting on a 4 KiB page as XIP needs.
 */
export function buildAsxipfs(files: Readonly<Record<string, Buffer | string | number>>): Buffer {
  const root = fileTree(files);
  let at = CRAMFS_SUPERBLOCK_BYTES + CRAMFS_INODE_BYTES;
  let inodes = 1;
  const dataFiles: FsFile[] = [];
  const layOut = (dir: FsDir): void => {
    const entries = sorted(dir);
    dir.entriesAt = entries.length > 0 ? at : 0;
    for (const entry of entries) {
      entry.inodeAt = at;
      at += CRAMFS_INODE_BYTES + paddedName(entry.name);
      inodes++;
    }
    dir.entriesSize = at - (dir.entriesAt || at);
    if (dir.entriesSize > MAX_SIZE) throw new RangeError('a folder in the package has more entries than ASXipFS can hold');
    for (const entry of entries) if (isDir(entry)) layOut(entry);
  };
  layOut(root);
  const placeData = (dir: FsDir): void => {
    for (const entry of sorted(dir)) {
      if (isDir(entry)) placeData(entry);
      else if (entry.data.length > 0) dataFiles.push(entry);
    }
  };
  placeData(root);
  for (const file of dataFiles) {
    at = alignUp(at, PAGE);
    file.dataAt = at;
    at += file.data.length;
  }
  const fs = Buffer.alloc(alignUp(at, PAGE));

  fs.writeUInt32LE(CRAMFS_MAGIC, 0);
  fs.writeUInt32LE(fs.length, 4);
  fs.writeUInt32LE(CRAMFS_FLAGS, 8);
  fs.write(CRAMFS_SIGNATURE, CRAMFS_SIGNATURE_OFFSET, 'latin1');
  // fsid: crc (below), edition 0, blocks 0, files = every inode, the root's included.
  fs.writeUInt32LE(inodes, 44);
  fs.write('Compressed', 48, 'latin1');
  const writeDir = (dir: FsDir, inodeAt: number, name: Buffer): void => {
    writeInode(fs, inodeAt, S_IFDIR | 0o755, dir.entriesSize!, paddedName(name), dir.entriesAt!);
    for (const entry of sorted(dir)) {
      entry.name.copy(fs, entry.inodeAt! + CRAMFS_INODE_BYTES);
      if (isDir(entry)) writeDir(entry, entry.inodeAt!, entry.name);
      else writeInode(fs, entry.inodeAt!, entry.mode, entry.data.length, paddedName(entry.name), entry.dataAt ?? 0);
    }
  };
  writeDir(root, CRAMFS_SUPERBLOCK_BYTES, root.name);
  for (const file of dataFiles) file.data.copy(fs, file.dataAt!);
  // cramfs's CRC32 covers the whole image with the CRC field itself zeroed.
  fs.writeUInt32LE(crc32(fs), 32);
  return fs;
}

// ---- packages

export function writeImagePackage(spec: ImagePackageSpec): Buffer {
  const imageType = spec.imageType ?? ImageType.applications;
  if (spec.payload && (spec.manifest || spec.files)) throw new TypeError('give either payload or manifest/files, not both');
  if (spec.manifest && spec.files && APP_MANIFEST_FILE in spec.files) throw new TypeError(`give the manifest either as manifest or as files['${APP_MANIFEST_FILE}'], not both`);
  const payload =
    spec.payload ?? buildAsxipfs({ ...(spec.manifest && { [APP_MANIFEST_FILE]: JSON.stringify(spec.manifest) }), ...spec.files });

  const runtime = spec.manifest?.TargetApplicationRuntimeVersion;
  const abiDepends = spec.abiDepends ?? (typeof runtime === 'number' ? [{ version: runtime, type: AbiType.applicationRuntime }] : []);
  const flags = (spec.removeAtBoot ? TemporaryImageFlag.removeAtBoot : 0) | (spec.underDevelopment ? TemporaryImageFlag.underDevelopment : 0);
  const sections = [
    identitySection(imageType, spec.componentId, spec.imageId),
    signatureSection(checkThumbprint(spec.signingThumbprint ?? APP_DEVELOPMENT_SIGNING_THUMBPRINT)),
    debugSection(spec.name, spec.buildDate),
    ...(flags !== 0 ? [temporaryImageSection(flags)] : []),
    ...(abiDepends.length > 0 ? [abiDependsSection(abiDepends)] : []),
  ];
  return assemble(payload, sections, spec.signingKey ?? testSigningKey());
}

/** A GUID made from a hash (RFC 4122 version 5 bits), for IDs that must repeat for equal input. */
function hashGuid(text: string): string {
  const h = createHash('sha1').update(text).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function writeCapabilityImage(spec: CapabilityImageSpec): Buffer {
  if (!/^[0-9a-f]{128}$/i.test(spec.deviceId)) throw new TypeError('deviceId must be 128 hex characters');
  if (spec.capabilities.length > CAPABILITY_LIST_BYTES) throw new RangeError(`at most ${CAPABILITY_LIST_BYTES} capabilities fit in the file`);
  const seen = new Set<number>();
  for (const capability of spec.capabilities) {
    if (!Number.isInteger(capability) || capability < 1 || capability > 0xff) throw new RangeError(`a capability is a number from 1 to 255, got ${capability}`);
    if (seen.has(capability)) throw new RangeError(`capability ${capability} is listed twice`);
    seen.add(capability);
  }
  const data = Buffer.alloc(CAPABILITY_DATA_LENGTH);
  data.writeUInt32LE(CAPABILITY_MAGIC, 0);
  data.writeUInt32LE(CAPABILITY_VERSION, 4);
  data.writeUInt32LE(CAPABILITY_DATA_LENGTH, 8);
  Buffer.from(spec.deviceId, 'hex').copy(data, CAPABILITY_HEADER_BYTES);
  Buffer.from(spec.capabilities).copy(data, CAPABILITY_HEADER_BYTES + CAPABILITY_DEVICE_ID_BYTES);

  const key = spec.signingKey ?? testSigningKey();
  const thumbprint = spec.signingThumbprint ?? createHash('sha1').update(createPublicKey(checkKey(key)).export({ format: 'der', type: 'spki' })).digest('hex');
  const imageId = spec.imageId ?? hashGuid(`capability image:${spec.deviceId.toLowerCase()}:${spec.capabilities.join(',')}`);
  const sections = [
    identitySection(ImageType.firmwareConfig, CAPABILITY_COMPONENT_ID, imageId),
    signatureSection(checkThumbprint(thumbprint)),
    debugSection(CAPABILITY_IMAGE_NAME, spec.buildDate ?? new Date()),
  ];
  return assemble(data, sections, key);
}
