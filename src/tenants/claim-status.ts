// Where each attached board is claimed, for the editor: the one ClaimLocator (src/cloud/claim-location.ts) fed by
// the signed-in user's tenants and catalogs, forgotten when the account, the tenants or the catalogs change, with a
// VS Code event when a location becomes known. It holds data; the Devices view and the context key turn it into words
// and flags.
import * as vscode from 'vscode';
import { CloudApiError } from '../cloud/api-error';
import type { FleetScope } from '../cloud/backend/fleet-backend';
import { ClaimLocator, type ClaimLocation } from '../cloud/claim-location';
import { Disposable } from '../common/lifecycle';
import type { TenantModel } from './tenant-model';

export class ClaimStatus extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<string>());
  /** Fires with the (upper-case) device ID whose location became known or was forgotten. */
  readonly onDidChange = this._onDidChange.event;
  readonly locator: ClaimLocator;

  constructor(
    private readonly tenants: TenantModel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.locator = new ClaimLocator((scope, deviceId) => isClaimedIn(tenants, scope, deviceId));
    this._register(this.locator.onDidChange((deviceId) => this._onDidChange.fire(deviceId)));
    this._register(tenants.onDidChange(() => this.locator.forget()));
  }

  /**
   * The location when known; undefined while unknown (signed out, still looking, or the service did not answer).
   * Asking starts the lookup; onDidChange says when it is done.
   */
  locationFor(deviceId: string): ClaimLocation | undefined {
    const known = this.locator.peek(deviceId);
    if (!known) void this.lookUp(deviceId);
    return known;
  }

  private async lookUp(deviceId: string): Promise<void> {
    try {
      if (!(await this.tenants.account())) return;
      await this.locator.locate(deviceId, await this.tenants.scopes());
    } catch (err) {
      this.log.warn(`Could not tell where device ${deviceId.slice(0, 16)}… is claimed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * Whether the device is in the scope's fleet: one request to the security service for a tenant; for a catalog, the
 * device found through its backend (ARM answers 404 for a device the catalog does not hold).
 */
export async function isClaimedIn(tenants: TenantModel, scope: FleetScope, deviceId: string): Promise<boolean> {
  if (scope.kind === 'legacy') return (await tenants.apiClient()).isDeviceInTenant(scope.id, deviceId);
  try {
    await (await tenants.backendFor(scope)).getDevice(scope, deviceId);
    return true;
  } catch (err) {
    if (err instanceof CloudApiError && err.status === 404) return false;
    throw err;
  }
}
