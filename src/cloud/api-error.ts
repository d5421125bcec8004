// Turns an unsuccessful HTTP response from the security service or ARM into a CloudApiError whose message says
// what failed and why, in words a person can act on. Server text is scrubbed of secrets before it is kept.
import { CloudError } from './errors';
import { redactSecrets } from './redact';

/** The security service's ErrorResponse `Code` values (docs/cloud-api.md#security-service-errors). */
export const SPHERE_ERROR_CODES: Readonly<Record<number, string>> = Object.freeze({
  0: 'OperationFailed',
  1: 'TenantInMigration',
  2: 'TenantMigrationRequired',
  3: 'ClientUpdateRequired',
  4: 'InternalServerError',
  5: 'BadRequest',
  6: 'Forbidden',
  7: 'Conflict',
  8: 'NotFound',
});

export class CloudApiError extends CloudError {
  constructor(
    message: string,
    code: string,
    /** HTTP status (0 when the failure was not an HTTP response, e.g. a failed Operation). */
    readonly status: number,
    /** The server's own error text, scrubbed. */
    readonly serverMessage: string | undefined,
    /** The server's request ID, for support. */
    readonly requestId: string | undefined,
  ) {
    super(message, code);
  }
}

interface ParsedError {
  readonly code?: string;
  readonly message?: string;
}

/** Reads `{Code, Message}` (security service), `{error:{code,message}}` (ARM), `{Message:"ErrorCode:X;…"}` (IoT Hub) or
 * `{errorCode, message}` (DPS). */
export function parseErrorBody(body: Buffer): ParsedError {
  const text = body.toString('utf8').trim();
  if (!text) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: text.length > 300 ? `${text.slice(0, 300)}…` : text };
  }
  if (!json || typeof json !== 'object') return typeof json === 'string' ? { message: json } : {};
  const obj = json as Record<string, unknown>;
  const inner = obj.error && typeof obj.error === 'object' ? (obj.error as Record<string, unknown>) : obj;
  // DPS: {errorCode: 400004, message}; IoT Hub: {Message: "ErrorCode:DeviceNotFound;text", ExceptionMessage}.
  const rawCode = inner.Code ?? inner.code ?? inner.errorCode;
  const rawMessage = inner.Message ?? inner.message ?? (typeof obj.error === 'string' ? obj.error_description ?? obj.error : undefined);
  const hubStyle = typeof rawMessage === 'string' ? /^ErrorCode:(\w+);\s*([\s\S]*)$/.exec(rawMessage) : null;
  if (hubStyle && rawCode === undefined) return { code: hubStyle[1], message: hubStyle[2] || undefined };
  const code =
    typeof rawCode === 'number' ? (inner.errorCode !== undefined ? String(rawCode) : SPHERE_ERROR_CODES[rawCode] ?? String(rawCode)) : typeof rawCode === 'string' ? rawCode : undefined;
  return { code, message: typeof rawMessage === 'string' ? rawMessage : undefined };
}

const STATUS_HINTS: Readonly<Record<number, string>> = {
  400: 'the request was not valid',
  401: 'the sign-in was not accepted; sign in again',
  403: 'your account does not have a role that allows this (ask a tenant Administrator)',
  404: 'it was not found',
  409: 'it conflicts with the current state',
  429: 'the service is throttling requests; try again later',
};

/**
 * Builds the error for `what` (e.g. `Claiming device 1234…`) from a response. The message reads
 * `<what> failed: <server message> (<Code>, HTTP <status>)`, or a hint for the status when the server gave no text.
 */
export function apiErrorFrom(what: string, status: number, headers: Readonly<Record<string, string>>, body: Buffer): CloudApiError {
  const parsed = parseErrorBody(body);
  const serverMessage = parsed.message ? redactSecrets(parsed.message) : undefined;
  const reason = serverMessage?.replace(/\.+\s*$/, '') ?? STATUS_HINTS[status] ?? (status >= 500 ? 'the service had an internal error' : 'unexpected response');
  const code = parsed.code ?? `http_${status}`;
  const tag = parsed.code ? `${parsed.code}, HTTP ${status}` : `HTTP ${status}`;
  const requestId = headers['x-ms-request-id'] ?? headers['x-request-id'] ?? headers['request-id'];
  return new CloudApiError(`${what} failed: ${reason} (${tag}).`, code, status, serverMessage, requestId);
}
