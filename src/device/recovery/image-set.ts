// A recovery image set: a manifest (this project's JSON format, below) naming the recovery bootloader and the images
// to write, each with its size and SHA-256, and the bytes of each. Sets come from a folder the user picks (the CLI's
// `--images <folder>`) or are downloaded next to a manifest URL. Everything is checked before a byte goes to a board.
//
//   recovery-manifest.json
//   { "schema": 1, "osVersion": "25.02",
//     "bootloader": { "file": "recovery-1bl.bin", "size": 16384, "sha256": "<64 hex>" },
//     "images": [ { "file": "a7-os.bin", "size": 36864, "sha256": "<64 hex>" }, … ] }
//
// (The vendor's recovery folders carry a binary `recovery.imagemanifest` instead; that format is not public.)
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RecoveryError } from './recovery-error';

export const RECOVERY_MANIFEST_FILE = 'recovery-manifest.json';
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
export const MAX_IMAGES = 64;

export interface RecoveryImageEntry {
  file: string;
  size: number;
  sha256: string;
}

export interface RecoveryManifest {
  schema: 1;
  /** The OS version the board runs once these images are written. */
  osVersion: string;
  bootloader: RecoveryImageEntry;
  images: RecoveryImageEntry[];
}

export interface RecoveryImageSet {
  manifest: RecoveryManifest;
  bootloader: Buffer;
  images: Buffer[];
  /** Bytes of the images (the CLI's "bytes to send"; the bootloader is not counted there). */
  imageBytes: number;
  /** Where the set came from, for messages: a folder or a URL. */
  source: string;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const OS_VERSION = /^\d{2}\.\d{2}(\.\d{1,4})?$/;

const invalid = (source: string, why: string): RecoveryError => new RecoveryError('INVALID_IMAGES', `The recovery images from ${source} cannot be used: ${why}.`);

function parseEntry(value: unknown, where: string, source: string): RecoveryImageEntry {
  if (typeof value !== 'object' || value === null) throw invalid(source, `${where} is not an object`);
  const { file, size, sha256 } = value as Record<string, unknown>;
  if (typeof file !== 'string' || !FILE_NAME.test(file)) throw invalid(source, `${where} has no plain file name (letters, digits, . _ -; no folders): ${JSON.stringify(file)}`);
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_IMAGE_BYTES) throw invalid(source, `${where} (${file}) has a size that is not a whole number of bytes from 1 to ${MAX_IMAGE_BYTES}`);
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) throw invalid(source, `${where} (${file}) has no SHA-256 as 64 lower-case hex digits`);
  return { file, size, sha256 };
}

/** Parses and checks a manifest; every problem is one specific sentence naming `source`. */
export function parseRecoveryManifest(text: string, source: string): RecoveryManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalid(source, `${RECOVERY_MANIFEST_FILE} is not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(source, 'the manifest is not a JSON object');
  const { schema, osVersion, bootloader, images } = value as Record<string, unknown>;
  if (schema !== 1) throw invalid(source, `the manifest has schema ${JSON.stringify(schema)}; this version reads schema 1`);
  if (typeof osVersion !== 'string' || !OS_VERSION.test(osVersion)) throw invalid(source, `the manifest's osVersion ${JSON.stringify(osVersion)} is not like "25.02"`);
  if (!Array.isArray(images) || images.length === 0 || images.length > MAX_IMAGES) throw invalid(source, `the manifest must list 1 to ${MAX_IMAGES} images`);
  const manifest: RecoveryManifest = {
    schema: 1,
    osVersion,
    bootloader: parseEntry(bootloader, 'the bootloader entry', source),
    images: images.map((entry, i) => parseEntry(entry, `image ${i + 1}`, source)),
  };
  const names = new Set<string>();
  for (const entry of [manifest.bootloader, ...manifest.images]) {
    if (entry.file === RECOVERY_MANIFEST_FILE) throw invalid(source, `${RECOVERY_MANIFEST_FILE} cannot be an image`);
    if (names.has(entry.file)) throw invalid(source, `${entry.file} is listed twice`);
    names.add(entry.file);
  }
  return manifest;
}

/** Checks one image's bytes against its manifest entry. */
export function verifyImage(entry: RecoveryImageEntry, bytes: Uint8Array, source: string): void {
  if (bytes.length !== entry.size) throw invalid(source, `${entry.file} is ${bytes.length} bytes; the manifest says ${entry.size}`);
  if (sha256Hex(bytes) !== entry.sha256) throw invalid(source, `${entry.file} does not match its SHA-256 in the manifest (damaged, or from another image set)`);
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function assemble(manifest: RecoveryManifest, files: Map<string, Buffer>, source: string): RecoveryImageSet {
  const take = (entry: RecoveryImageEntry): Buffer => {
    const bytes = files.get(entry.file)!;
    verifyImage(entry, bytes, source);
    return bytes;
  };
  const images = manifest.images.map(take);
  return { manifest, bootloader: take(manifest.bootloader), images, imageBytes: images.reduce((n, b) => n + b.length, 0), source };
}

/** The CLI's `--images <folder>`: a folder holding recovery-manifest.json and the files it names. */
export async function loadRecoveryImagesFromFolder(folder: string): Promise<RecoveryImageSet> {
  const source = `the folder ${folder}`;
  let text: string;
  try {
    text = await fs.readFile(path.join(folder, RECOVERY_MANIFEST_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw invalid(source, code === 'ENOENT' ? `it holds no ${RECOVERY_MANIFEST_FILE}` : `${RECOVERY_MANIFEST_FILE} cannot be read (${code ?? (err as Error).message})`);
  }
  const manifest = parseRecoveryManifest(text, source);
  const files = new Map<string, Buffer>();
  for (const entry of [manifest.bootloader, ...manifest.images]) {
    try {
      const stat = await fs.stat(path.join(folder, entry.file));
      if (stat.size !== entry.size) throw invalid(source, `${entry.file} is ${stat.size} bytes; the manifest says ${entry.size}`);
      files.set(entry.file, await fs.readFile(path.join(folder, entry.file)));
    } catch (err) {
      if (err instanceof RecoveryError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw invalid(source, code === 'ENOENT' ? `${entry.file} is missing` : `${entry.file} cannot be read (${code ?? (err as Error).message})`);
    }
  }
  return assemble(manifest, files, source);
}

/** Fetches a URL's bytes (the caller's HTTPS client: its trust store, proxy and timeouts); rejects on non-2xx. */
export type FetchBytes = (url: URL) => Promise<Buffer>;

/** Downloads a manifest and the files it names from next to it (the CLI's "Downloading recovery images..."). */
export async function downloadRecoveryImages(manifestUrl: string, fetchBytes: FetchBytes, onFile?: (file: string, index: number, count: number) => void): Promise<RecoveryImageSet> {
  let url: URL;
  try {
    url = new URL(manifestUrl);
  } catch {
    throw new RecoveryError('INVALID_IMAGES', `The recovery image URL is not a URL: ${JSON.stringify(manifestUrl)}.`);
  }
  if (url.protocol !== 'https:') throw new RecoveryError('INVALID_IMAGES', `Recovery images are downloaded over https only, not from ${url.origin}.`);
  const source = url.origin + url.pathname;
  const manifest = parseRecoveryManifest((await fetchBytes(url)).toString('utf8'), source);
  const entries = [manifest.bootloader, ...manifest.images];
  const files = new Map<string, Buffer>();
  for (const [i, entry] of entries.entries()) {
    onFile?.(entry.file, i + 1, entries.length);
    const bytes = await fetchBytes(new URL(entry.file, url));
    verifyImage(entry, bytes, source);
    files.set(entry.file, bytes);
  }
  return assemble(manifest, files, source);
}

/** The manifest as the board receives it (XMODEM pads it with SUB bytes, which the board strips). */
export const manifestBytes = (manifest: RecoveryManifest): Buffer => Buffer.from(JSON.stringify(manifest), 'utf8');
