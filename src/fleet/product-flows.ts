// Products: create (with the five default device groups unless declined, as `azsphere product create`), rename or
// re-describe, delete (refused while devices are in it, saying how many). Creates and deletes are Operations: their
// progress shows, a failure says the service's reason, and the client makes a retried create harmless.
import * as vscode from 'vscode';
import type { Product } from '../cloud/sphere-api-types';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, productOf, tenantOf } from './fleet-target';
import { askDescription, askFleetName } from './name-input';
import { withOperationProgress } from './operation-progress';

interface ProductInput {
  readonly name?: string;
  readonly description?: string;
  readonly createDefaultGroups?: boolean;
}

export const WITH_DEFAULT_GROUPS = 'With the five default device groups';
export const WITHOUT_GROUPS = 'Without device groups';

export async function createProduct(deps: FleetDeps, arg: unknown): Promise<Product> {
  const target = fleetArg(arg);
  const input = target as ProductInput;
  const tenant = await tenantOf(deps.tenants, target);
  const name = await askFleetName('product', `New product in ${tenant.name}`, '', input.name);
  const description = await askDescription(`Description of ${name}`, '', input.description ?? (input.name !== undefined ? '' : undefined));
  let withDefaults = input.createDefaultGroups;
  if (withDefaults === undefined) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: WITH_DEFAULT_GROUPS, description: 'Development, Field Test, Production, Production OS Evaluation, Field Test OS Evaluation', value: true },
        { label: WITHOUT_GROUPS, value: false },
      ],
      { title: `Device groups of ${name}` },
    );
    if (!picked) throw new CancelledError();
    withDefaults = picked.value;
  }
  const api = await deps.fleet.api();
  const product = await withOperationProgress(`Creating product "${name}" in ${tenant.name}`, (onProgress) =>
    api.createProduct(tenant.id, { name, description: description || undefined, createDefaultGroups: withDefaults, onProgress }),
  );
  deps.log.info(`Created product "${product.Name}" (${product.Id}) in ${tenant.name}${withDefaults ? ' with the default device groups' : ''}.`);
  deps.fleet.changed({ tenantId: tenant.id, part: 'products' });
  return product;
}

export const RENAME = 'Rename…';
export const CHANGE_DESCRIPTION = 'Change Description…';

export async function updateProduct(deps: FleetDeps, arg: unknown): Promise<Product> {
  const target = fleetArg(arg);
  const input = target as ProductInput;
  const tenant = await tenantOf(deps.tenants, target);
  const product = await productOf(deps.fleet, tenant.id, target, 'Change which product?');
  let what: string | undefined = input.name !== undefined ? RENAME : input.description !== undefined ? CHANGE_DESCRIPTION : undefined;
  what ??= (await vscode.window.showQuickPick([RENAME, CHANGE_DESCRIPTION], { title: `Change product "${product.Name}"` })) ?? undefined;
  if (!what) throw new CancelledError();
  const changes =
    what === RENAME
      ? { name: await askFleetName('product', `Rename product "${product.Name}"`, product.Name, input.name) }
      : { description: (await askDescription(`Description of ${product.Name}`, product.Description ?? '', input.description)) ?? '' };
  const api = await deps.fleet.api();
  const updated = await api.updateProduct(tenant.id, product.Id, changes);
  deps.fleet.changed({ tenantId: tenant.id, part: 'products' });
  return updated;
}

export const DELETE = 'Delete';

export async function deleteProduct(deps: FleetDeps, arg: unknown): Promise<void> {
  const target = fleetArg(arg);
  const tenant = await tenantOf(deps.tenants, target);
  const product = await productOf(deps.fleet, tenant.id, target, 'Delete which product?');
  const api = await deps.fleet.api();
  const count = await api.countDevicesInProduct(tenant.id, product.Id);
  if (count > 0) {
    throw new UserFacingError(`Product "${product.Name}" still has ${count.toLocaleString('en-US')} device${count === 1 ? '' : 's'}; move ${count === 1 ? 'it' : 'them'} to a group of another product first. Nothing was deleted.`);
  }
  const answer = await vscode.window.showWarningMessage(`Delete product "${product.Name}" and its device groups?`, { modal: true, detail: 'Its deployments go with it. This cannot be undone.' }, DELETE);
  if (answer !== DELETE) throw new CancelledError();
  await withOperationProgress(`Deleting product "${product.Name}"`, (onProgress) => api.deleteProduct(tenant.id, product.Id, { onProgress }));
  deps.log.info(`Deleted product "${product.Name}" (${product.Id}).`);
  deps.fleet.changed({ tenantId: tenant.id, part: 'products' });
}
