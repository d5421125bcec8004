// The error report (learn.microsoft.com/rest/api/azure-sphere/error-reporting/list): `GET /getDeviceInsights`, the
// events devices of the tenant reported — seeded ones for the seeded devices, and what boards send with their update
// check (device-update-api.ts) — newest first, at most the 1,000 a report holds, a page at a time. Any role reads it
// ("a Reader has access to … any error reporting data", learn.microsoft.com/azure-sphere/deployment/manage-users-roles).
import type { EmulatorContext } from './context';
import { READ_ROLES, type FleetLookup } from './fleet-guard';
import { insightV2 } from './fleet-model';
import { continuationToken } from './fleet-paging';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { User } from './model';

export class FleetInsightRoutes {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly look: FleetLookup,
  ) {}

  route(req: EmuRequest, tenantId: string, w: string[], user: User): EmuResponse | undefined {
    if (req.method === 'GET' && w.length === 1 && w[0] === 'getdeviceinsights') return this.list(req, tenantId, user);
    return undefined;
  }

  private list(req: EmuRequest, tenantId: string, user: User): EmuResponse {
    const tenant = this.look.guard.tenantFor(tenantId, user, READ_ROLES, 'read error reports');
    const key = `insights:${tenant.id}`;
    const page = this.look.page(req, key);
    const events = this.ctx.store.state.fleet.events.get(tenant.id) ?? [];
    // Positions are event sequence numbers, which only grow: events reported between pages never shift a page.
    const items = [];
    let i = events.length - 1;
    if (page.position !== undefined) while (i >= 0 && events[i]!.seq > page.position) i--;
    for (; i >= 0 && items.length < page.pageSize; i--) items.push(events[i]!);
    const next = i >= 0 ? continuationToken(key, events[i]!.seq) : null;
    return jsonResponse(200, { Items: items.map(insightV2), ContinuationToken: next });
  }
}
