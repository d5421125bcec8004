// The recovery image set the emulator serves in place of the vendor's download (what `azsphere device recover`
// fetches, learn.microsoft.com/azure-sphere/reference/azsphere-device; docs/cloud-api.md#recovery-images): a manifest
// (src/device/recovery/image-set.ts) and deterministic image blobs, about 170 KiB in all so a recovery over a
// 115200-baud simulated UART takes some fifteen seconds. No sign-in is needed, as for the real download.
//   GET /recovery/mt3620an/recovery-manifest.json
//   GET /recovery/mt3620an/<file named in the manifest>
import { createHash } from 'node:crypto';
import { RECOVERY_MANIFEST_FILE, sha256Hex, type RecoveryManifest } from '../../src/device/recovery/image-set';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';

export const RECOVERY_IMAGES_PATH = '/recovery/mt3620an/';
export const RECOVERY_OS_VERSION = '25.02';

export interface RecoveryImageSetSpec {
  osVersion: string;
  bootloaderBytes: number;
  /** File name and size of each image, in the order they are written. */
  images: { file: string; bytes: number }[];
}

/** Sizes like a real set's, scaled down ~30×; odd sizes so short last XMODEM blocks are exercised. */
export const EMULATED_RECOVERY_SET: RecoveryImageSetSpec = {
  osVersion: RECOVERY_OS_VERSION,
  bootloaderBytes: 16 * 1024,
  images: [
    { file: 'a7-normal-world-kernel.bin', bytes: 36 * 1024 + 17 },
    { file: 'a7-root-fs.bin', bytes: 28 * 1024 + 100 },
    { file: 'pluton-runtime.bin', bytes: 24 * 1024 },
    { file: 'security-monitor.bin', bytes: 20 * 1024 + 3 },
    { file: 'wifi-firmware.bin', bytes: 16 * 1024 + 511 },
    { file: 'trusted-keystore.bin', bytes: 12 * 1024 },
    { file: 'device-capability-store.bin', bytes: 8 * 1024 + 1 },
    { file: 'update-cert-store.bin', bytes: 6 * 1024 },
    { file: 'boot-manifest.bin', bytes: 4 * 1024 + 200 },
  ],
};

/** Bytes that depend only on the name: SHA-256 of "<name>#<counter>", concatenated. */
export function deterministicBlob(name: string, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let offset = 0, counter = 0; offset < bytes; offset += 32, counter++) {
    createHash('sha256').update(`${name}#${counter}`).digest().copy(out, offset);
  }
  return out;
}

/** The manifest and every file of a set (manifest included, as `recovery-manifest.json`). */
export function buildRecoveryImageSet(spec: RecoveryImageSetSpec = EMULATED_RECOVERY_SET): { manifest: RecoveryManifest; files: Map<string, Buffer> } {
  const files = new Map<string, Buffer>();
  const entry = (file: string, bytes: number) => {
    const blob = deterministicBlob(`${spec.osVersion}/${file}`, bytes);
    files.set(file, blob);
    return { file, size: bytes, sha256: sha256Hex(blob) };
  };
  const manifest: RecoveryManifest = {
    schema: 1,
    osVersion: spec.osVersion,
    bootloader: entry('recovery-1bl.bin', spec.bootloaderBytes),
    images: spec.images.map((i) => entry(i.file, i.bytes)),
  };
  files.set(RECOVERY_MANIFEST_FILE, Buffer.from(JSON.stringify(manifest, null, 2)));
  return { manifest, files };
}

/** Serves the emulated set; undefined for every other path. */
export class RecoveryImagesService {
  private set: Map<string, Buffer> | undefined;

  handle(req: EmuRequest): Promise<EmuResponse | undefined> {
    if (!req.path.startsWith(RECOVERY_IMAGES_PATH)) return Promise.resolve(undefined);
    if (req.method !== 'GET') return Promise.resolve(jsonResponse(405, { error: 'method_not_allowed', error_description: 'Recovery images are read-only.' }));
    this.set ??= buildRecoveryImageSet().files;
    const body = this.set.get(decodeURIComponent(req.path.slice(RECOVERY_IMAGES_PATH.length)));
    if (!body) return Promise.resolve(undefined);
    const type = req.path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return Promise.resolve({ status: 200, headers: { 'content-type': type, 'content-length': String(body.length) }, body });
  }
}
