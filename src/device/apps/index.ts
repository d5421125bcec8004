// Applications on the board: sideloading image packages and removing them (plain TypeScript, no editor dependency).
export {
  sideloadImagePackage,
  SIDELOADABLE_IMAGE_TYPES,
  type SideloadOptions,
  type SideloadPhase,
  type SideloadProgress,
  type SideloadResult,
} from './sideload';
export { deleteApp, type DeleteAppResult } from './delete-app';
export { applyCapabilityImage, type CapabilityUpdate, type CapabilityPhase } from './apply-capability-image';
