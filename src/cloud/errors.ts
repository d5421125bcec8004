// Error types of the cloud side. Every message is written for a person and never carries a token:
// callers show `message` as is, and code branches on the class or on `code`.

/** Base of every error raised by src/cloud, so callers can tell ours from programming errors. */
export class CloudError extends Error {
  constructor(
    message: string,
    /** A stable machine-readable reason, e.g. `personal_account`, `not_found`. */
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input caught before anything was sent. */
export class InvalidArgumentError extends CloudError {
  constructor(message: string) {
    super(message, 'invalid_argument');
  }
}

/** The person cancelled, or the caller's AbortSignal fired: the one CancelledError, shared with the editor layer. */
export { CancelledError } from '../common/errors';
