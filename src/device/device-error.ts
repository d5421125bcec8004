// One error class for everything that goes wrong talking to a board, so callers (UI, CLI) can switch on `code`.

export type DeviceErrorCode =
  | 'INVALID_INPUT' // rejected before sending; nothing reached the board
  | 'DEVICE_ERROR' // the board answered with an HTTP error status (see httpStatus / deviceError)
  | 'TIMEOUT' // no answer in time
  | 'CONNECTION_FAILED' // could not reach the board (refused, link down)
  | 'CONNECTION_LOST' // the connection broke mid-request
  | 'LINK_DOWN' // the serial port vanished or was closed
  | 'TLS_UNTRUSTED' // certificate did not verify against the configured CA
  | 'TLS_PIN_MISMATCH' // certificate differs from the one pinned for this device ID
  | 'BAD_RESPONSE' // the board answered with something that is not the documented JSON
  | 'UNSUPPORTED' // the board's REST API version is too old for the call
  | 'SERIAL_UNAVAILABLE' // the serialport module could not be loaded
  | 'DISPOSED'; // the client/service was disposed

export interface DeviceErrorDetails {
  httpStatus?: number;
  deviceError?: number;
  cause?: unknown;
  /** For INVALID_INPUT: which field was wrong. */
  field?: string;
  /** For connection errors: the request may have reached the board although no answer came back. */
  mayHaveReachedDevice?: boolean;
}

export class DeviceError extends Error {
  readonly code: DeviceErrorCode;
  readonly httpStatus?: number;
  readonly deviceError?: number;
  readonly field?: string;
  readonly mayHaveReachedDevice: boolean;

  constructor(code: DeviceErrorCode, message: string, details: DeviceErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DeviceError';
    this.code = code;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.deviceError !== undefined) this.deviceError = details.deviceError;
    if (details.field !== undefined) this.field = details.field;
    this.mayHaveReachedDevice = details.mayHaveReachedDevice ?? false;
  }
}

export function isDeviceError(err: unknown, code?: DeviceErrorCode): err is DeviceError {
  return err instanceof DeviceError && (code === undefined || err.code === code);
}
