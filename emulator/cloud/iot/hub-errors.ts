// IoT Hub's service error shape: `{"Message":"ErrorCode:<code>;<text>","ExceptionMessage":"Tracking ID:…"}` and the
// `iothub-errorcode` header, as the registry answers (learn.microsoft.com/rest/api/iothub/common-error-codes lists
// the codes; the Azure IoT SDKs read the code from the message's `ErrorCode:` prefix).
import { randomBytes } from 'node:crypto';
import { jsonResponse, type EmuResponse } from '../http';

export type HubErrorCode =
  | 'ArgumentInvalid'
  | 'DeviceAlreadyExists'
  | 'DeviceNotFound'
  | 'IotHubUnauthorizedAccess'
  | 'PreconditionFailed'
  | 'NotFound'
  | 'RequestEntityTooLarge'
  | 'ServerError';

export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `Tracking ID:<32 hex>-G:0-TimeStamp:MM/DD/YYYY HH:MM:SS`, as the hub writes it. */
function trackingLine(nowMs: number): string {
  const d = new Date(nowMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `Tracking ID:${randomBytes(16).toString('hex')}-G:0-TimeStamp:${stamp}`;
}

export function hubErrorResponse(err: HubError, nowMs: number): EmuResponse {
  return jsonResponse(err.status, { Message: `ErrorCode:${err.code};${err.message}`, ExceptionMessage: trackingLine(nowMs) }, { 'iothub-errorcode': err.code });
}
