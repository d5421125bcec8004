// Reads an Azure Sphere image package (docs/image-package.md): the metadata at its end and, for an application, the
// app_manifest.json in its ASXipFS file system. Anything that is not a package gets an ImagePackageError saying
// exactly what is wrong; a package whose manifest cannot be read is still read, with `manifestProblem` saying why.
import { promises as fs } from 'node:fs';
import { parseAppManifest, MAX_APP_MANIFEST_BYTES } from './app-manifest';
import { APP_MANIFEST_FILE, readAsxipfsRootFile } from './asxipfs';
import { imageTypeName } from './format';
import { ImagePackageError, refuser } from './image-package-error';
import { readMetadata } from './read-metadata';
import { ImageType, type AppManifest, type ImagePackageInfo } from './types';

/** Larger than any application or board configuration image; a bigger file is refused before it is read. */
export const MAX_IMAGE_PACKAGE_BYTES = 32 * 1024 * 1024;

const PACKAGE = 'an Azure Sphere image package';

/** Buffer methods for any byte array, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `source` names the file in messages ("app.imagepackage is not an Azure Sphere image package: …"). */
export function readImagePackage(bytes: Uint8Array, source = 'The file'): ImagePackageInfo {
  const buffer = asBuffer(bytes);
  const metadata = readMetadata(buffer, refuser(source, PACKAGE));
  let manifest: AppManifest | undefined;
  let manifestProblem: string | undefined;
  if (metadata.imageType === ImageType.applications) {
    const file = readAsxipfsRootFile(buffer.subarray(0, metadata.metadataOffset), APP_MANIFEST_FILE, MAX_APP_MANIFEST_BYTES);
    const parsed = 'bytes' in file ? parseAppManifest(file.bytes) : file;
    if ('manifest' in parsed) manifest = parsed.manifest;
    else manifestProblem = `The application's manifest cannot be read: ${parsed.problem}.`;
  }
  return {
    componentId: metadata.componentId,
    imageId: metadata.imageId,
    imageType: metadata.imageType,
    imageTypeName: imageTypeName(metadata.imageType),
    name: metadata.name,
    buildDate: metadata.buildDate,
    underDevelopment: metadata.underDevelopment,
    removeAtBoot: metadata.removeAtBoot,
    ...(metadata.signingThumbprint !== undefined && { signingThumbprint: metadata.signingThumbprint, signingType: metadata.signingType }),
    abiDepends: metadata.abiDepends,
    abiProvides: metadata.abiProvides,
    ...(manifest && { manifest }),
    ...(manifestProblem !== undefined && { manifestProblem }),
    length: buffer.length,
    signedLength: metadata.signedLength,
  };
}

const READ_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'there is no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** Reads the file at `path` (refusing anything over MAX_IMAGE_PACKAGE_BYTES unread) and then as readImagePackage does. */
export async function readImagePackageFile(path: string): Promise<ImagePackageInfo> {
  return readImagePackage(await readPackageBytes(path, PACKAGE), path);
}

/** The bytes of a package file, or an ImagePackageError for a file that cannot be read or is too large. */
export async function readPackageBytes(path: string, kind: string): Promise<Buffer> {
  try {
    const handle = await fs.open(path, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (stat.size > MAX_IMAGE_PACKAGE_BYTES) {
        throw refuser(path, kind)('TOO_LARGE', `it is ${stat.size} bytes long, larger than any package (${MAX_IMAGE_PACKAGE_BYTES} bytes)`);
      }
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof ImagePackageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const why = READ_PROBLEMS[code] ?? (err as Error).message;
    throw new ImagePackageError('UNREADABLE', `Cannot read ${path}: ${why}.`, { cause: err });
  }
}
