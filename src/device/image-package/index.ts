// Azure Sphere image packages and capability files (plain TypeScript, no editor dependency): reading them for the
// sideload flow and the board simulator. The writer for tests and the cloud emulator is emulator/common/image-package-writer.ts.
export { ImageType, DeviceCapability, type AbiVersion, type AppManifest, type ImagePackageInfo } from './types';
export { ImagePackageError, isImagePackageError, type ImagePackageErrorCode } from './image-package-error';
export { readImagePackage, readImagePackageFile, MAX_IMAGE_PACKAGE_BYTES } from './read-image-package';
export { readCapabilityImage, readCapabilityImageFile, type CapabilityImageInfo } from './read-capability-image';
export { APP_DEVELOPMENT_SIGNING_THUMBPRINT, AbiType, SigningType, imageTypeName } from './format';
export { isDevelopmentImage } from './development-image';
