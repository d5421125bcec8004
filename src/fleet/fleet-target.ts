// What a fleet command acts on: the tree node it was run on (they carry their scope — a tenant or a catalog — and
// productId, groupId, device), a plain object with the same fields (scripted callers, "No products — Create…" rows,
// where `tenantId` may name a tenant or a catalog's resource ID), or nothing — then the selected tenant and a pick.
import * as vscode from 'vscode';
import type { FleetDeviceGroup, FleetProduct, FleetScope } from '../cloud/backend/fleet-backend';
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

/**
 * A legacy tenant, for what only tenants have (users and roles, renaming, the error report): a catalog is refused
 * with where its counterpart lives.
 */
export async function tenantOf(tenants: TenantModel, arg: FleetArg, what: string): Promise<FleetScope> {
  const scope = await scopeOf(tenants, arg, `${what}: in which tenant?`);
  if (scope.kind === 'catalog') {
    throw new UserFacingError(
      `${what} is for Azure Sphere tenants. ${scope.name} is a catalog, an Azure resource: who may do what there is Azure role assignments (Access control (IAM) on the catalog in the Azure portal, or az role assignment), and its name is part of its resource ID.`,
    );
  }
  return scope;
}

const words = (scope: FleetScope): string => (scope.kind === 'catalog' ? 'catalog' : 'tenant');

export async function productOf(fleet: FleetModel, scope: FleetScope, arg: FleetArg, purpose: string): Promise<FleetProduct> {
  const products = await fleet.products(scope);
  if (arg.productId) {
    const found = products.find((p) => p.id.toLowerCase() === arg.productId!.toLowerCase());
    if (!found) throw new UserFacingError(`Product ${arg.productId} is not in this ${words(scope)} (any more).`);
    return found;
  }
  if (products.length === 0) throw new UserFacingError(`This ${words(scope)} has no products yet; create one first (Create Product…).`);
  const picked = await vscode.window.showQuickPick(products.map((p) => ({ label: p.name, description: p.description || undefined, product: p })), { title: purpose });
  if (!picked) throw new CancelledError();
  return picked.product;
}

export async function groupOf(fleet: FleetModel, scope: FleetScope, arg: FleetArg, purpose: string): Promise<FleetDeviceGroup> {
  const product = await productOf(fleet, scope, arg, purpose);
  const groups = await fleet.groups(scope, product.id);
  if (arg.groupId) {
    const found = groups.find((g) => g.id.toLowerCase() === arg.groupId!.toLowerCase());
    if (!found) throw new UserFacingError(`Device group ${arg.groupId} is not in product "${product.name}" (any more).`);
    return found;
  }
  if (groups.length === 0) throw new UserFacingError(`Product "${product.name}" has no device groups; create them first (Create Default Device Groups).`);
  const picked = await vscode.window.showQuickPick(groups.map((g) => ({ label: g.name, description: g.description || undefined, group: g })), { title: `${purpose} (${product.name})` });
  if (!picked) throw new CancelledError();
  return picked.group;
}
