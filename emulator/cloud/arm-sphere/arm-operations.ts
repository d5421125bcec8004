// ARM long-running operations for Microsoft.AzureSphere (learn.microsoft.com/azure/azure-resource-manager/management/
// async-operations): the first answer is 201/202 (or 200 for a replace) with `Azure-AsyncOperation` (operations whose
// spec says final-state-via azure-async-operation) or `Location` (final-state-via location; sent with
// `Azure-AsyncOperation` too, as the spec's examples show), and `Retry-After` in seconds. The operation status
// resource `{id, name, status: InProgress|Succeeded|Failed|Canceled, startTime, endTime?, error?}` is polled at
// `…/locations/global/operationStatuses/{id}`; the Location URL `…/locations/global/operationResults/{id}` answers 202
// while running, then the final body (200), 204 when the result has none, or the failure's error.
//
// Work the fleet runs as an Operation (product create and delete, device group delete, deployments, image uploads)
// is run by the same FleetOperations as the legacy API, so it takes the same time and fails for the same reasons; the
// ARM operation reports that Operation's state. Everything else the emulator finishes within the request, and its
// operation is Succeeded (or Failed, with the reason) from the first poll.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { FleetWork } from '../fleet-model';
import type { FleetOperations } from '../fleet-operations';
import { jsonResponse, type EmuResponse } from '../http';
import { OperationState } from '../model';
import { ArmSphereError, armCodeOf, armErrorResponse } from './arm-errors';
import { API_VERSION } from './arm-resources';
import type { ArmOperation, ArmOperationStatus } from './sphere-catalogs';

/** Seconds a client should wait between polls. */
export const RETRY_AFTER_SEC = 1;

export type FinalStateVia = 'azure-async-operation' | 'location';

const STATUS_FOR_CODE: Record<string, number> = { BadRequest: 400, Forbidden: 403, NotFound: 404, Conflict: 409 };

export class ArmOperations {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly fleetOperations: FleetOperations,
  ) {}

  private get state() {
    return this.ctx.store.state;
  }

  private now(): string {
    return new Date(this.ctx.clock.now()).toISOString();
  }

  /** Runs `work` as a fleet Operation of `type` and an ARM operation reporting it. */
  async startFleet(subscriptionId: string, type: number, tenantId: string, work: FleetWork, resourceId: string | null, legacyLocation: string | null = null): Promise<ArmOperation> {
    const id = randomUUID();
    const fleetOp = await this.fleetOperations.start(type, tenantId, legacyLocation, work, id);
    const operation: ArmOperation = { id, subscriptionId, startTime: fleetOp.StartedDateUTC, status: 'InProgress', endTime: null, error: null, fleetOperationId: fleetOp.OperationId, resourceId, resultBody: null };
    await this.ctx.store.commit({ t: 'sphereOperation', operation });
    return operation;
  }

  /** An operation the emulator finished within the request. */
  async finished(subscriptionId: string, resourceId: string | null, resultBody: Record<string, unknown> | null = null): Promise<ArmOperation> {
    const at = this.now();
    const operation: ArmOperation = { id: randomUUID(), subscriptionId, startTime: at, status: 'Succeeded', endTime: at, error: null, fleetOperationId: null, resourceId, resultBody };
    await this.ctx.store.commit({ t: 'sphereOperation', operation });
    return operation;
  }

  /** An operation that failed for `message` (the service's reason, read by polling). */
  async failed(subscriptionId: string, code: string, message: string): Promise<ArmOperation> {
    const at = this.now();
    const operation: ArmOperation = { id: randomUUID(), subscriptionId, startTime: at, status: 'Failed', endTime: at, error: { code, message }, fleetOperationId: null, resourceId: null, resultBody: null };
    await this.ctx.store.commit({ t: 'sphereOperation', operation });
    return operation;
  }

  /** The operation as it is now (a fleet Operation's state when one does the work). */
  current(op: ArmOperation): { status: ArmOperationStatus; endTime: string | null; error: { code: string; message: string } | null } {
    if (!op.fleetOperationId) return { status: op.status, endTime: op.endTime, error: op.error };
    const fleetOp = this.state.operations.get(op.fleetOperationId);
    if (!fleetOp || fleetOp.State === OperationState.InProgress) return { status: 'InProgress', endTime: null, error: null };
    if (fleetOp.State === OperationState.Complete) return { status: 'Succeeded', endTime: fleetOp.CompletedDateUTC, error: null };
    return { status: 'Failed', endTime: fleetOp.CompletedDateUTC, error: { code: armCodeOf(fleetOp.Error?.Code ?? 0), message: fleetOp.Error?.Message ?? 'The operation failed.' } };
  }

  statusUrl(op: ArmOperation): string {
    return `${this.ctx.baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.AzureSphere/locations/global/operationStatuses/${op.id}?api-version=${API_VERSION}`;
  }

  resultUrl(op: ArmOperation): string {
    return `${this.ctx.baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.AzureSphere/locations/global/operationResults/${op.id}?api-version=${API_VERSION}`;
  }

  /** The LRO headers of a first answer, as the operation's final-state-via asks. */
  headers(op: ArmOperation, via: FinalStateVia): Record<string, string> {
    const headers: Record<string, string> = { 'azure-asyncoperation': this.statusUrl(op), 'retry-after': String(RETRY_AFTER_SEC) };
    if (via === 'location') headers.location = this.resultUrl(op);
    return headers;
  }

  /** `GET …/operationStatuses/{id}`: the status resource. */
  statusResponse(op: ArmOperation): EmuResponse {
    const now = this.current(op);
    const body: Record<string, unknown> = {
      id: `/subscriptions/${op.subscriptionId}/providers/Microsoft.AzureSphere/locations/global/operationStatuses/${op.id}`,
      name: op.id,
      status: now.status,
      startTime: op.startTime,
    };
    if (now.endTime) body.endTime = now.endTime;
    if (now.status === 'Succeeded') body.percentComplete = 100;
    if (now.error) body.error = now.error;
    return jsonResponse(200, body, now.status === 'InProgress' ? { 'retry-after': String(RETRY_AFTER_SEC) } : {});
  }

  /** `GET …/operationResults/{id}`: 202 while running; then the result (`finalBody`: the resource as GET reads it now), 204, or the error. */
  resultResponse(op: ArmOperation, finalBody: Record<string, unknown> | undefined): EmuResponse {
    const now = this.current(op);
    if (now.status === 'InProgress') return { status: 202, headers: { location: this.resultUrl(op), 'retry-after': String(RETRY_AFTER_SEC) } };
    if (now.status === 'Failed' || now.status === 'Canceled') {
      const error = now.error ?? { code: 'OperationCanceled', message: 'The operation was canceled.' };
      return armErrorResponse(new ArmSphereError(STATUS_FOR_CODE[error.code] ?? 500, error.code, error.message));
    }
    if (op.resultBody) return jsonResponse(200, op.resultBody);
    return finalBody ? jsonResponse(200, finalBody) : { status: 204 };
  }
}
