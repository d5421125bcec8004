import type { Services } from '../services';
import type * as vscode from 'vscode';
import type { DeviceModel } from '../boards';
import type { ClaimStatus } from '../tenants/claim-status';
import type { TenantModel } from '../tenants/tenant-model';
import type { FleetModel } from './fleet-model';

/** What the fleet flows use. */
export interface FleetDeps {
  readonly tenants: TenantModel;
  readonly fleet: FleetModel;
  readonly devices: DeviceModel;
  readonly claims: ClaimStatus;
  readonly log: vscode.LogOutputChannel;
}

/** What the fleet commands take from the services. */
export function fleetDeps({ tenants, fleet, devices, claims, log }: Services): FleetDeps {
  return { tenants, fleet, devices: devices.model, claims, log };
}
