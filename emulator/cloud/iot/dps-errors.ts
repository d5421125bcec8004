// The DPS error shape, `ProvisioningServiceErrorDetails` of the service and device REST specs
// (Azure/azure-rest-api-specs, specification/deviceprovisioningservices/data-plane/.../2021-10-01/service.json and
// device.json): `{"errorCode": <int>, "trackingId", "message", "timestampUtc"}` with the code repeated in the
// `x-ms-error-code` header. Codes are the HTTP status followed by three digits, as DPS writes them
// (learn.microsoft.com/azure/iot-dps/how-to-troubleshoot-dps lists the statuses); 400004 "Invalid RegistrationId"
// is the one devices commonly meet, the others are the emulator's own.
import { randomUUID } from 'node:crypto';
import { jsonResponse, type EmuResponse } from '../http';

export const DpsErrorCode = {
  BadRequest: 400001,
  InvalidRegistrationId: 400004,
  Unauthorized: 401002,
  NotFound: 404001,
  EnrollmentGroupNotFound: 404201,
  RegistrationNotFound: 404202,
  OperationNotFound: 404203,
  MethodNotAllowed: 405001,
  PreconditionFailed: 412001,
  RequestTooLarge: 413001,
  InternalServerError: 500001,
} as const;

export class DpsError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export function dpsErrorBody(err: DpsError, nowMs: number): Record<string, unknown> {
  return { errorCode: err.errorCode, trackingId: randomUUID(), message: err.message, timestampUtc: new Date(nowMs).toISOString() };
}

export function dpsErrorResponse(err: DpsError, nowMs: number): EmuResponse {
  return jsonResponse(err.status, dpsErrorBody(err, nowMs), { 'x-ms-error-code': String(err.errorCode) });
}
