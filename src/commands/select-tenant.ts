import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError, UserFacingError } from '../common/errors';
import type { Services } from '../services';
import { TenantNode } from '../tree/accounts/accounts-tree';
import { CommandId } from './ids';

/** Selects the tenant later commands act on (from its tree node, or picked from the user's tenants). */
export const selectTenant: CommandModule<Services> = {
  id: CommandId.selectTenant,
  async run({ tenants }, node) {
    if (node instanceof TenantNode) {
      await tenants.selectTenant(node.tenant);
      return;
    }
    if (!(await tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first: tenants belong to your work or school account.');
    const all = await tenants.tenants();
    if (all.length === 0) throw new UserFacingError('Your account holds a role in no Azure Sphere tenant yet.');
    const current = await tenants.selectedTenant();
    const picked = await vscode.window.showQuickPick(
      [...all].sort((a, b) => a.Name.localeCompare(b.Name)).map((t) => ({
        label: t.Name,
        description: t.Roles.join(', '),
        detail: t.Id,
        picked: t.Id === current?.Id,
        iconPath: new vscode.ThemeIcon(t.Id === current?.Id ? 'pass-filled' : 'organization'),
        tenant: t,
      })),
      { title: 'Select an Azure Sphere tenant', placeHolder: current ? `Selected: ${current.Name}` : 'No tenant selected' },
    );
    if (!picked) throw new CancelledError();
    await tenants.selectTenant(picked.tenant);
  },
};
