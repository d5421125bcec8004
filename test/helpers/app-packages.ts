// Application image packages for tests and benchmarks, built with the project's writer (the same one the cloud
// emulator uses): by default signed with the SDK's development key and marked under development, as a package built
// for sideloading is. Executable bytes come from a seed (pass testSeed()) or a fixed pattern, never Math.random.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeImagePackage, type ImagePackageSpec } from '../../emulator/common/image-package-writer';
import { seededRandom } from '../../emulator/common/seeded-random';

/** A signing certificate other than the SDK's development one: what a production-signed package carries. */
export const PRODUCTION_THUMBPRINT = '0123456789abcdef0123456789abcdef01234567';

export interface AppPackageOptions extends Partial<ImagePackageSpec> {
  /** Mutable storage, asked for the way real manifests do (`Capabilities.MutableStorage.SizeKB`). */
  readonly storageKB?: number;
  /** Size of bin/app (default 12,000 bytes). */
  readonly appBytes?: number;
  /** Fills bin/app from this seed; without it, a repeating byte pattern. */
  readonly seed?: number;
}

export function executable(size: number, seed?: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  const random = seed === undefined ? undefined : seededRandom(seed);
  for (let i = 0; i < size; i++) bytes[i] = random ? Math.floor(random() * 256) : i & 0xff;
  return bytes;
}

export function appPackage(componentId: string, options: AppPackageOptions = {}): Buffer {
  const { storageKB, appBytes = 12_000, seed, ...spec } = options;
  const name = spec.name ?? 'AzureSphereBlinkTest';
  return writeImagePackage({
    componentId,
    imageId: '6415a939-0000-4000-8000-000000000001',
    name,
    buildDate: new Date('2022-06-09T14:57:48Z'),
    underDevelopment: true,
    manifest: {
      SchemaVersion: 1,
      Name: name,
      ComponentId: componentId,
      EntryPoint: '/bin/app',
      CmdArgs: [],
      Capabilities: { Gpio: [8], AllowedApplicationConnections: [], ...(storageKB !== undefined && { MutableStorage: { SizeKB: storageKB } }) },
      ApplicationType: 'Default',
      TargetApplicationRuntimeVersion: 12,
    },
    files: { 'bin/app': executable(appBytes, seed) },
    ...spec,
  });
}

/** A package a board without the appDevelopment capability accepts: production-signed, not under development. */
export function productionPackage(componentId: string, options: AppPackageOptions = {}): Buffer {
  return appPackage(componentId, { underDevelopment: false, signingThumbprint: PRODUCTION_THUMBPRINT, ...options });
}

/** A package of exactly `size` bytes: the executable fills what the file system and the metadata leave. */
export function appPackageOfSize(componentId: string, size: number, options: AppPackageOptions = {}): Buffer {
  let appBytes = size;
  let bytes = appPackage(componentId, { ...options, appBytes });
  // The file system pads to its block size: shrink the executable until the whole package fits.
  while (bytes.length > size) {
    appBytes -= bytes.length - size;
    bytes = appPackage(componentId, { ...options, appBytes });
  }
  return bytes;
}

/** Writes appPackage(...) to `dir` and resolves to its path. */
export async function appPackageFile(dir: string, componentId: string, options: AppPackageOptions = {}): Promise<string> {
  const bytes = appPackage(componentId, options);
  const file = path.join(dir, `${options.name ?? 'app'}-${(options.imageId ?? '6415a939').slice(0, 8)}.imagepackage`);
  await fs.writeFile(file, bytes);
  return file;
}
