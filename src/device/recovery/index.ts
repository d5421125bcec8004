// Board recovery over the recovery UART (plain TypeScript, no editor dependency): image sets, XMODEM, the session.
export { RecoveryError, isRecoveryError, type RecoveryErrorCode } from './recovery-error';
export {
  RECOVERY_MANIFEST_FILE,
  parseRecoveryManifest,
  loadRecoveryImagesFromFolder,
  downloadRecoveryImages,
  verifyImage,
  sha256Hex,
  type FetchBytes,
  type RecoveryImageEntry,
  type RecoveryImageSet,
  type RecoveryManifest,
} from './image-set';
export { recoverBoard, TRANSCRIPT, type RecoverBoardOptions, type RecoveryProgress, type RecoveryResult } from './recover-board';
export { openRecoveryPort, type RecoveryPort } from './recovery-port';
export { RECOVERY_BAUD_RATE } from './recovery-console';
