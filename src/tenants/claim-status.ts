// Where each attached board is claimed, for the editor: the one ClaimLocator (src/cloud/claim-location.ts) fed by
// the signed-in user's tenants, forgotten when the account or the tenants change, with a VS Code event when a
// location becomes known. It holds data; the Devices view and the context key turn it into words and flags.
import * as vscode from 'vscode';
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
    this.locator = new ClaimLocator(async (tenantId, deviceId) => (await tenants.apiClient()).isDeviceInTenant(tenantId, deviceId));
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
      await this.locator.locate(deviceId, await this.tenants.tenants());
    } catch (err) {
      this.log.warn(`Could not tell where device ${deviceId.slice(0, 16)}… is claimed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
