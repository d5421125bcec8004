// Why a file cannot be read as an image package or capability file: one sentence for a person (the error boundary
// shows it as it is), and a code the board simulator and the sideload flow can switch on. Messages never quote the
// file's bytes beyond the numbers that explain the problem.
import { UserFacingError } from '../../common/errors';

export type ImagePackageErrorCode =
  | 'UNREADABLE' // the file could not be read (missing, a folder, no permission)
  | 'TOO_LARGE' // larger than any package the explorer reads
  | 'TOO_SHORT' // shorter than the smallest metadata and signature
  | 'NO_METADATA' // no metadata header where the length field points
  | 'NO_SECTIONS' // the metadata header counts zero sections
  | 'SECTION_OVERRUN' // a section (or the section count) runs past the end of the metadata
  | 'BAD_SECTION' // a known section is too short or holds an impossible value
  | 'DUPLICATE_SECTION' // a known section appears twice
  | 'NO_IDENTITY' // no Identity section (every image must have one)
  | 'NIL_COMPONENT_ID' // the component ID is all zeros (the board answers InvalidComponentId)
  | 'NIL_IMAGE_ID' // the image ID is all zeros
  | 'NOT_CAPABILITY_FILE'; // a valid package, but not a device capability file

export class ImagePackageError extends UserFacingError {
  constructor(readonly code: ImagePackageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, undefined, options);
    this.name = 'ImagePackageError';
  }
}

export const isImagePackageError = (err: unknown, code?: ImagePackageErrorCode): err is ImagePackageError =>
  err instanceof ImagePackageError && (code === undefined || err.code === code);

/** Makes the errors for one file: "<source> is not <kind>: <why>." */
export type Refuse = (code: ImagePackageErrorCode, why: string) => ImagePackageError;

export function refuser(source: string, kind: string): Refuse {
  return (code, why) => new ImagePackageError(code, `${source} is not ${kind}: ${why}.`);
}
