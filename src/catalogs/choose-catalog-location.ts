// Where catalogs are listed from: a subscription (or all the account can see) and, in one subscription, a resource
// group (or all) — picked from what ARM lists for the signed-in account, kept in the user's settings (IDs and names,
// nothing secret), and the Accounts view redrawn from them.
import * as vscode from 'vscode';
import { CancelledError, UserFacingError } from '../common/errors';
import type { SignInService } from '../auth/sign-in-service';
import { CATALOGS_SECTION, catalogLocation, type TenantModel } from '../tenants/tenant-model';

export const ALL_SUBSCRIPTIONS = 'All subscriptions';
export const ALL_RESOURCE_GROUPS = 'All resource groups';

export interface CatalogLocation {
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
}

/** Scripted callers may give `{ subscriptionId, resourceGroup }` ('' for all); otherwise the person picks. */
export async function chooseCatalogLocation(signIn: SignInService, tenants: TenantModel, arg: unknown): Promise<CatalogLocation> {
  if (!(await tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first: catalogs are listed for the signed-in account.');
  const { armSphere } = await signIn.getClients();
  const given = (arg && typeof arg === 'object' ? arg : {}) as { subscriptionId?: string; resourceGroup?: string };
  const current = catalogLocation();
  const subscriptions = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing Azure subscriptions' }, () => armSphere.listSubscriptions());
  let subscriptionId = given.subscriptionId;
  if (subscriptionId === undefined) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: ALL_SUBSCRIPTIONS, description: current.subscriptionId ? undefined : 'current', id: '' },
        ...subscriptions.map((s) => ({ label: s.displayName, description: `${s.subscriptionId}${s.subscriptionId === current.subscriptionId ? ' · current' : ''}`, id: s.subscriptionId })),
      ],
      { title: 'List catalogs from which subscription?' },
    );
    if (!picked) throw new CancelledError();
    subscriptionId = picked.id;
  }
  const subscription = subscriptions.find((s) => s.subscriptionId.toLowerCase() === subscriptionId!.toLowerCase());
  if (subscriptionId && !subscription) throw new UserFacingError(`Subscription ${subscriptionId} is not among the ${subscriptions.length} subscriptions this account can see. Nothing was changed.`);
  let resourceGroup = subscriptionId ? given.resourceGroup : '';
  if (resourceGroup === undefined) {
    const groups = await armSphere.listResourceGroups(subscription!.subscriptionId);
    const picked = await vscode.window.showQuickPick(
      [
        { label: ALL_RESOURCE_GROUPS, description: current.resourceGroup ? undefined : 'current', name: '' },
        ...groups.map((g) => ({ label: g.name, description: [g.location, g.name === current.resourceGroup ? 'current' : undefined].filter(Boolean).join(' · '), name: g.name })),
      ],
      { title: `List catalogs from which resource group of ${subscription!.displayName}?` },
    );
    if (!picked) throw new CancelledError();
    resourceGroup = picked.name;
  }
  const config = vscode.workspace.getConfiguration(CATALOGS_SECTION);
  await config.update('subscription', subscription?.subscriptionId ?? '', vscode.ConfigurationTarget.Global);
  await config.update('resourceGroup', resourceGroup ?? '', vscode.ConfigurationTarget.Global);
  tenants.refresh();
  return { ...(subscription && { subscriptionId: subscription.subscriptionId }), ...(resourceGroup && { resourceGroup }) };
}
