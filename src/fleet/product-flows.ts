// Products: create (with the five default device groups unless declined, as `azsphere product create` / `az sphere
// product create`), rename (tenants only: a catalog's product is named by its resource path) or re-describe, delete
// (refused while devices are in it, saying how many). The waits — Operations, ARM long-running operations, 429s —
// show their progress, and a failure says the service's reason.
import * as vscode from 'vscode';
import type { FleetProduct } from '../cloud/backend/fleet-backend';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, productOf, scopeOf } from './fleet-target';
import { askDescription, askFleetName } from './name-input';
import { deleteWhenEmpty } from './delete-when-empty';
import { withOperationProgress } from './operation-progress';

interface ProductInput {
  readonly name?: string;
  readonly description?: string;
  readonly createDefaultGroups?: boolean;
}

export const WITH_DEFAULT_GROUPS = 'With the five default device groups';
export const WITHOUT_GROUPS = 'Without device groups';

export async function createProduct(deps: FleetDeps, arg: unknown): Promise<FleetProduct> {
  const target = fleetArg(arg);
  const input = target as ProductInput;
  const scope = await scopeOf(deps.tenants, target, 'Create a product in which tenant or catalog?');
  const name = await askFleetName(scope, 'product', `New product in ${scope.name}`, '', input.name);
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
  const backend = await deps.fleet.backend(scope);
  const product = await withOperationProgress(`Creating product "${name}" in ${scope.name}`, (onProgress) =>
    backend.createProduct(scope, { name, description: description || undefined, createDefaultGroups: withDefaults }, { onProgress }),
  );
  deps.log.info(`Created product "${product.name}" (${product.id}) in ${scope.name}${withDefaults ? ' with the default device groups' : ''}.`);
  deps.fleet.changed({ scope, part: 'products' });
  return product;
}

export const RENAME = 'Rename…';
export const CHANGE_DESCRIPTION = 'Change Description…';

export async function updateProduct(deps: FleetDeps, arg: unknown): Promise<FleetProduct> {
  const target = fleetArg(arg);
  const input = target as ProductInput;
  const scope = await scopeOf(deps.tenants, target);
  const product = await productOf(deps.fleet, scope, target, 'Change which product?');
  // A catalog's product is named by its resource path: only its description can change.
  const choices = scope.kind === 'catalog' ? [CHANGE_DESCRIPTION] : [RENAME, CHANGE_DESCRIPTION];
  let what: string | undefined = input.name !== undefined ? RENAME : input.description !== undefined ? CHANGE_DESCRIPTION : undefined;
  what ??= (await vscode.window.showQuickPick(choices, { title: `Change product "${product.name}"` })) ?? undefined;
  if (!what) throw new CancelledError();
  if (what === RENAME && scope.kind === 'catalog') {
    throw new UserFacingError(`A catalog's product is named by its resource path, so "${product.name}" cannot be renamed; create a product with the new name and move the devices there. Nothing was changed.`);
  }
  const changes =
    what === RENAME
      ? { name: await askFleetName(scope, 'product', `Rename product "${product.name}"`, product.name, input.name) }
      : { description: (await askDescription(`Description of ${product.name}`, product.description, input.description)) ?? '' };
  const backend = await deps.fleet.backend(scope);
  const updated = await withOperationProgress(`Changing product "${product.name}"`, (onProgress) => backend.updateProduct(scope, product.id, changes, { onProgress }));
  deps.fleet.changed({ scope, part: 'products' });
  return updated;
}

export async function deleteProduct(deps: FleetDeps, arg: unknown): Promise<void> {
  const target = fleetArg(arg);
  const scope = await scopeOf(deps.tenants, target);
  const product = await productOf(deps.fleet, scope, target, 'Delete which product?');
  const backend = await deps.fleet.backend(scope);
  await deleteWhenEmpty(backend, scope, {
    what: `Product "${product.name}"`,
    within: { productId: product.id },
    moveTo: 'a group of another product',
    question: `Delete product "${product.name}" and its device groups?`,
    delete: (onProgress) => backend.deleteProduct(scope, product.id, { onProgress }),
  });
  deps.log.info(`Deleted product "${product.name}" (${product.id}).`);
  deps.fleet.changed({ scope, part: 'products' });
}
