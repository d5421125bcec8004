// What an image upload sends and what it knows before sending: the package checked with the reader sideloading uses
// (src/device/image-package), its identity (image ID, component, type, name) for the retry check and the result, and
// its bytes as a StreamedBody. Bytes in memory are read whole and sent as views of themselves; a file is read only
// at its end (the metadata) and then streamed from disk, so neither is ever held twice.
import { promises as fs } from 'node:fs';
import { isImagePackageError, readImagePackage, readImagePackageFile, MAX_IMAGE_PACKAGE_BYTES } from '../device/image-package';
import { refuser } from '../device/image-package/image-package-error';
import { readMetadata } from '../device/image-package/read-metadata';
import { InvalidArgumentError } from './errors';
import { bytesBody, fileBody, type StreamedBody } from './streamed-body';

/** More than any package's metadata and signature; the end of a file read to learn what it is. */
const METADATA_WINDOW_BYTES = 64 * 1024;

export interface UploadSource {
  readonly body: StreamedBody;
  readonly imageId: string;
  readonly componentId: string;
  readonly imageType: number;
  /** The image's name (the Debug section's), '' when it has none. */
  readonly name: string;
}

export type ImagePackageInput = Uint8Array | { readonly path: string };

/** The package to upload, or an InvalidArgumentError saying why it is none — before anything is sent. */
export async function uploadSourceOf(input: ImagePackageInput): Promise<UploadSource> {
  try {
    if (input instanceof Uint8Array) {
      if (input.byteLength > MAX_IMAGE_PACKAGE_BYTES) throw new InvalidArgumentError(`The image package is ${input.byteLength} bytes long, larger than any package (${MAX_IMAGE_PACKAGE_BYTES} bytes).`);
      const info = readImagePackage(input, 'The image package');
      return { body: bytesBody(input), imageId: info.imageId, componentId: info.componentId, imageType: info.imageType, name: info.name || info.manifest?.Name || '' };
    }
    return await fileSource(input.path);
  } catch (err) {
    if (isImagePackageError(err)) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

async function fileSource(path: string): Promise<UploadSource> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`Cannot read ${path}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message}.`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InvalidArgumentError(`Cannot upload ${path}: it is a folder, not an image package.`);
    if (stat.size > MAX_IMAGE_PACKAGE_BYTES) throw new InvalidArgumentError(`${path} is ${stat.size} bytes long, larger than any image package (${MAX_IMAGE_PACKAGE_BYTES} bytes).`);
    const window = Math.min(stat.size, METADATA_WINDOW_BYTES);
    const tail = Buffer.alloc(window);
    await handle.read(tail, 0, window, stat.size - window);
    let metadata: { imageId: string; componentId: string; imageType: number; name: string };
    try {
      // The metadata and signature sit at the end of every package; offsets within the window are all it needs.
      metadata = readMetadata(tail, refuser(path, 'an Azure Sphere image package'));
    } catch (err) {
      // Not within the window: the whole file decides, and its reason names offsets in the file, not the window.
      if (!isImagePackageError(err) || window === stat.size) throw err;
      metadata = await readImagePackageFile(path);
    }
    return { body: fileBody(path, stat.size), imageId: metadata.imageId, componentId: metadata.componentId, imageType: metadata.imageType, name: metadata.name };
  } finally {
    await handle.close();
  }
}
