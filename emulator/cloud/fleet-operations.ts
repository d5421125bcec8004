// Runs the fleet's Operations as the service does (learn.microsoft.com/rest/api/azure-sphere/async-operations/get):
// the request answers at once with the Operation InProgress (State 1); a moment later the work is checked against
// the state as it is then and the Operation ends Complete (2, the work applied) or Failed (3, with the service's
// reason in Error — e.g. a device moved into a group while its deletion ran). Both ends are journal records, so an
// Operation acknowledged before a restart is finished after it. A delay of 0 ends each Operation within its request.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context';
import type { FleetWork } from './fleet-model';
import { ErrorCode, OperationState, type Operation } from './model';

/** How long an Operation stays InProgress unless the emulator is told otherwise. */
export const DEFAULT_OPERATION_DELAY_MS = 300;

export class FleetOperations {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly ctx: EmulatorContext,
    private delayMs: number = DEFAULT_OPERATION_DELAY_MS,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    // What was still running when the emulator stopped runs on now.
    for (const id of this.fleet.pending.keys()) this.schedule(id);
  }

  private get fleet() {
    return this.ctx.store.state.fleet;
  }

  setDelay(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0) throw new Error(`the operation delay must be a whole number of milliseconds ≥ 0, not ${ms}`);
    this.delayMs = ms;
  }

  /**
   * Starts `work` as an Operation of `type` (`operationId` when the work must name its Operation); resolves with the
   * Operation as the response shows it, once journaled.
   */
  async start(type: number, tenantId: string, resourceLocation: string | null, work: FleetWork, operationId: string = randomUUID()): Promise<Operation> {
    const now = new Date(this.ctx.clock.now()).toISOString();
    const operation: Operation = {
      OperationId: operationId,
      OperationType: type,
      State: OperationState.InProgress,
      TenantId: tenantId,
      CreatedDateUTC: now,
      StartedDateUTC: now,
      CompletedDateUTC: null,
      DetailsLocation: null,
      ResourceLocation: resourceLocation,
      Error: null,
    };
    const started = this.ctx.store.commit({ t: 'fleetOperation', operation, work });
    if (this.delayMs === 0) {
      const ended = this.finish(operation.OperationId);
      await started;
      return ended ?? operation;
    }
    this.schedule(operation.OperationId);
    await started;
    return operation;
  }

  private schedule(id: string): void {
    if (this.closed || this.timers.has(id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      try {
        this.finish(id);
      } catch (err) {
        this.log(`operation ${id} could not be finished: ${(err as Error).message}`);
      }
    }, this.delayMs);
    this.timers.set(id, timer);
  }

  /** Ends a running Operation now: Complete when its work can be done, Failed with the reason when not. */
  private finish(id: string): Operation | undefined {
    const running = this.fleet.pending.get(id);
    if (!running || this.closed) return undefined;
    const failure = this.whyItFails(running.work);
    const operation: Operation = {
      ...running.operation,
      State: failure ? OperationState.Failed : OperationState.Complete,
      CompletedDateUTC: new Date(this.ctx.clock.now()).toISOString(),
      Error: failure ?? null,
    };
    this.ctx.store.commit({ t: 'fleetOperationEnd', operation }).catch((err: unknown) => this.log(`operation ${id}: ${(err as Error).message}`));
    return operation;
  }

  /** What stands in the way of `work` now, in the service's error shape; undefined when nothing does. */
  private whyItFails(work: FleetWork): { Code: number; Message: string } | undefined {
    const fleet = this.fleet;
    switch (work.kind) {
      case 'createProduct':
        if (work.defaultGroupIds && !fleet.products.has(work.product.id)) {
          return { Code: ErrorCode.NotFound, Message: `Product '${work.product.name}' was deleted before its default device groups were created.` };
        }
        return undefined;
      case 'deleteProduct': {
        const product = fleet.products.get(work.productId);
        if (!product) return undefined;
        const devices = [...fleet.deviceCounts(fleet.groupsOf(product.id).map((g) => g.id)).values()].reduce((a, b) => a + b, 0);
        if (devices > 0) return { Code: ErrorCode.Conflict, Message: `Product '${product.name}' cannot be deleted: its device groups hold ${devicesText(devices)}. Move them to a device group of another product first.` };
        return undefined;
      }
      case 'deleteDeviceGroup': {
        const group = fleet.groups.get(work.groupId);
        if (!group) return undefined;
        const devices = fleet.deviceCount(group.id);
        if (devices > 0) return { Code: ErrorCode.Conflict, Message: `Device group '${group.name}' cannot be deleted: it holds ${devicesText(devices)}. Move them to another device group first.` };
        return undefined;
      }
      case 'deploy': {
        if (!fleet.groups.has(work.deployment.groupId)) {
          return { Code: ErrorCode.NotFound, Message: `Device group '${work.deployment.groupId}' was deleted before the deployment reached it.` };
        }
        const missing = work.deployment.imageIds.find((id) => !fleet.image(work.deployment.tenantId, id));
        if (missing) return { Code: ErrorCode.NotFound, Message: `Image '${missing}' is no longer in the tenant, so the deployment cannot reach the devices.` };
        return undefined;
      }
      case 'imageUpload':
        return undefined;
    }
  }

  /** Ends every running Operation now, as its timer would (a test hook: what a test does meanwhile is then certain to come first). */
  settle(): void {
    for (const [id, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.timers.delete(id);
      this.finish(id);
    }
  }

  /** Stops the timers; what is still running ends after the next start on this state folder. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

export function devicesText(n: number): string {
  return n === 1 ? '1 device' : `${n} devices`;
}
