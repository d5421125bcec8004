// What a fleet command acts on: the tree node it was run on (they carry their scope — a tenant or a catalog — and
// productId, groupId, device), a plain object with the same fields (scripted callers, "No products — Create…" rows,
// where `tenantId` may name a tenant or a catalog's resource ID), or nothing — then the selected tenant and a pick.
import * as vscode from 'vscode';
import type { FleetScope } from '../cloud/backend/fleet-backend';
import type { DeviceGroup, Product } from '../cloud/sphere-api-types';
import { CancelledError, UserFacingError } from '../common/errors';
import { tenantScope, type TenantModel } from '../tenants/tenant-model';
import type { FleetModel } from './fleet-model';

export interface FleetArg {
  /** The tenant or catalog, as the tree nodes carry it. */
  readonly scope?: FleetScope;
  /** A tenant's GUID or a catalog's resource ID. */
  readonly tenantId?: string;
  readonly productId?: string;
  readonly groupId?: string;
  readonly device?: { readonly DeviceId: string; readonly ProductId?: string | null; readonly DeviceGroupId?: string | null };
  readonly tenant?: { readonly Id: string };
}

export function fleetArg(arg: unknown): FleetArg {
  return arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as FleetArg) : {};
}

/** Words for a scope in pickers and messages. */
export function scopeDescription(scope: FleetScope): string {
  return scope.kind === 'catalog' ? `catalog · resource group ${scope.resourceGroup ?? '?'}` : `tenant · ${(scope.roles ?? []).join(', ') || 'no role'}`;
}

/** The tenant or catalog a fleet command works on: the node's, the one named, the selected tenant, or a pick. */
export async function scopeOf(tenants: TenantModel, arg: FleetArg, purpose = 'In which tenant or catalog?'): Promise<FleetScope> {
  if (arg.scope) return arg.scope;
  if (!(await tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first (Azure Sphere: Sign In).');
  const id = arg.tenantId ?? arg.tenant?.Id;
  if (id) {
    const found = (await tenants.scopes()).find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (!found) throw new UserFacingError(id.startsWith('/') ? `Catalog ${id} is not among the catalogs you can see.` : `You hold no role in tenant ${id}.`);
    return found;
  }
  const selected = await tenants.selectedTenant();
  if (selected) return tenantScope(selected);
  const all = await tenants.scopes();
  if (all.length === 0) throw new UserFacingError('You have no Azure Sphere tenant and can see no catalog yet.');
  if (all.length === 1) return all[0]!;
  const picked = await vscode.window.showQuickPick(
    all.map((s) => ({ label: s.name, description: scopeDescription(s), scope: s })),
    { title: purpose, placeHolder: 'No tenant is selected (Azure Sphere: Select Tenant sets one for next time)' },
  );
  if (!picked) throw new CancelledError();
  return picked.scope;
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
