// Whether, and where, an attached board is claimed, as far as the signed-in user can see: it is looked up in each of
// the user's tenants (a device claimed into a tenant they hold no role in cannot be seen, so the answer is "not in
// your tenants", never "unclaimed"). Answers are cached per device and forgotten when the account or tenants change.
import * as vscode from 'vscode';
import { findClaimLocation } from '../cloud/claim-location';
import { Disposable } from '../common/lifecycle';
import type { TenantModel } from './tenant-model';

/** How a board's claim label starts when it is claimed into one of the user's tenants. */
export const CLAIMED_IN = 'claimed in ';

export class ClaimStatus extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<string>());
  /** Fires with the device ID whose status became known. */
  readonly onDidChange = this._onDidChange.event;
  private readonly known = new Map<string, string | null>();
  private generation = 0;

  constructor(
    private readonly tenants: TenantModel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      tenants.onDidChange(() => {
        this.generation++;
        const ids = [...this.known.keys()];
        this.known.clear();
        ids.forEach((id) => this._onDidChange.fire(id));
      }),
    );
  }

  /**
   * "claimed in ‹tenant›", "not in your tenants", or undefined while unknown (signed out, still looking, or the
   * service did not answer). The first call starts the lookup; onDidChange says when it is done.
   */
  labelFor(deviceId: string): string | undefined {
    const id = deviceId.toUpperCase();
    if (this.known.has(id)) return this.known.get(id) ?? undefined;
    this.known.set(id, null);
    void this.lookUp(id, this.generation);
    return undefined;
  }

  private async lookUp(deviceId: string, generation: number): Promise<void> {
    let label: string | undefined;
    try {
      if (!(await this.tenants.account())) return;
      const api = await this.tenants.apiClient();
      const where = await findClaimLocation(deviceId, await this.tenants.tenants(), (t, d) => api.isDeviceInTenant(t, d));
      label = where.kind === 'tenant' ? `${CLAIMED_IN}${where.tenant.Name}` : 'not in your tenants';
    } catch (err) {
      this.log.warn(`Could not tell where device ${deviceId.slice(0, 16)}… is claimed: ${err instanceof Error ? err.message : String(err)}`);
      label = undefined;
    }
    if (generation !== this.generation || this.isDisposed) return; // the account or tenants changed meanwhile
    this.known.set(deviceId, label ?? null);
    if (label) this._onDidChange.fire(deviceId);
  }
}
