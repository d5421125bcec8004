// What goes wrong recovering a board, with a code callers can switch on. Messages name the step and never include
// image bytes.

export type RecoveryErrorCode =
  | 'INVALID_IMAGES' // the image set is incomplete, malformed or does not match its manifest; nothing was sent
  | 'NO_RECOVERY_PORT' // the board has no known recovery UART
  | 'PORT_FAILED' // the recovery UART could not be opened, or closed under us
  | 'BOARD_NOT_FOUND' // the board never entered recovery mode
  | 'TRANSFER_FAILED' // an XMODEM transfer failed (too many retries, cancelled by the board, timeouts)
  | 'BOARD_ERROR' // the board's recovery bootloader reported an error
  | 'CANCELLED'; // the user cancelled between transfers

export class RecoveryError extends Error {
  constructor(readonly code: RecoveryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecoveryError';
  }
}

export const isRecoveryError = (err: unknown, code?: RecoveryErrorCode): err is RecoveryError =>
  err instanceof RecoveryError && (code === undefined || err.code === code);
