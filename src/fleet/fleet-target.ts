// What a fleet command acts on: the tree node it was run on (they carry tenantId, productId, groupId, device), a plain
// object with the same fields (scripted callers, "No products — Create…" rows), or nothing — then the selected tenant
// and a pick.
import * as vscode from 'vscode';
import type { DeviceGroup, Product } from '../cloud/sphere-api-types';
import { CancelledError, UserFacingError } from '../common/errors';
import type { TenantModel } from '../tenants/tenant-model';
import type { FleetModel } from './fleet-model';

export interface FleetArg {
  readonly tenantId?: string;
  readonly productId?: string;
  readonly groupId?: string;
  readonly device?: { readonly DeviceId: string; readonly ProductId?: string | null; readonly DeviceGroupId?: string | null };
  readonly tenant?: { readonly Id: string };
}

export function fleetArg(arg: unknown): FleetArg {
  return arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as FleetArg) : {};
}

/** The tenant: the node's, else the selected one. */
export async function tenantOf(tenants: TenantModel, arg: FleetArg): Promise<{ id: string; name: string }> {
  if (!(await tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first (Azure Sphere: Sign In).');
  const all = await tenants.tenants();
  let id = arg.tenantId ?? arg.tenant?.Id ?? (await tenants.selectedTenant())?.Id;
  if (!id) {
    if (all.length === 0) throw new UserFacingError('You hold a role in no Azure Sphere tenant yet.');
    if (all.length === 1) id = all[0]!.Id;
    else {
      const picked = await vscode.window.showQuickPick(
        all.map((t) => ({ label: t.Name, description: t.Roles.join(', '), id: t.Id })),
        { title: 'Which tenant?', placeHolder: 'No tenant is selected (Azure Sphere: Select Tenant sets one for next time)' },
      );
      if (!picked) throw new CancelledError();
      id = picked.id;
    }
  }
  const tenant = all.find((t) => t.Id.toLowerCase() === id.toLowerCase());
  if (!tenant) throw new UserFacingError(`You hold no role in tenant ${id}.`);
  return { id: tenant.Id, name: tenant.Name };
}

export async function productOf(fleet: FleetModel, tenantId: string, arg: FleetArg, purpose: string): Promise<Product> {
  const products = await fleet.products(tenantId);
  if (arg.productId) {
    const found = products.find((p) => p.Id.toLowerCase() === arg.productId!.toLowerCase());
    if (!found) throw new UserFacingError(`Product ${arg.productId} is not in this tenant (any more).`);
    return found;
  }
  if (products.length === 0) throw new UserFacingError('This tenant has no products yet; create one first (Create Product…).');
  const picked = await vscode.window.showQuickPick(products.map((p) => ({ label: p.Name, description: p.Description ?? undefined, product: p })), { title: purpose });
  if (!picked) throw new CancelledError();
  return picked.product;
}

export async function groupOf(fleet: FleetModel, tenantId: string, arg: FleetArg, purpose: string): Promise<DeviceGroup> {
  const product = await productOf(fleet, tenantId, arg, purpose);
  const groups = await fleet.groups(tenantId, product.Id);
  if (arg.groupId) {
    const found = groups.find((g) => g.Id.toLowerCase() === arg.groupId!.toLowerCase());
    if (!found) throw new UserFacingError(`Device group ${arg.groupId} is not in product "${product.Name}" (any more).`);
    return found;
  }
  if (groups.length === 0) throw new UserFacingError(`Product "${product.Name}" has no device groups; create them first (Create Default Device Groups).`);
  const picked = await vscode.window.showQuickPick(groups.map((g) => ({ label: g.Name, description: g.Description ?? undefined, group: g })), { title: `${purpose} (${product.Name})` });
  if (!picked) throw new CancelledError();
  return picked.group;
}
