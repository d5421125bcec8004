// Device groups: create one (name, OS feed, update policy), create a product's five defaults, change a group's
// settings (name — tenants only, a catalog's group is named by its resource path —, description, OS feed, update
// policy, crash dump collection), delete one (refused while devices are in it, saying how many).
import * as vscode from 'vscode';
import { osFeedOf, updatePolicyOf, type DeviceGroupSettings, type FleetDeviceGroup, type OsFeed, type UpdatePolicyName } from '../cloud/backend/fleet-backend';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, groupOf, productOf, scopeOf } from './fleet-target';
import { askDescription, askFleetName } from './name-input';
import { deleteWhenEmpty } from './delete-when-empty';
import { withOperationProgress } from './operation-progress';

/** What a scripted caller may give; the settings' wire names (numbers for the OS feed and policy) are taken too. */
interface GroupInput {
  readonly setting?: string;
  readonly name?: string;
  readonly description?: string;
  readonly osFeed?: OsFeed | number;
  readonly osFeedType?: OsFeed | number;
  readonly updatePolicy?: UpdatePolicyName | number;
  readonly allowCrashDumps?: boolean;
  readonly allowCrashDumpsCollection?: boolean;
}

function given(input: GroupInput): DeviceGroupSettings {
  const feed = input.osFeed ?? input.osFeedType;
  const crashDumps = input.allowCrashDumps ?? input.allowCrashDumpsCollection;
  return {
    ...(feed !== undefined && { osFeed: osFeedOf(feed) }),
    ...(input.updatePolicy !== undefined && { updatePolicy: updatePolicyOf(input.updatePolicy) }),
    ...(crashDumps !== undefined && { allowCrashDumps: crashDumps }),
  };
}

const OS_FEEDS: { label: string; description: string; value: OsFeed }[] = [
  { label: 'Retail', description: 'the OS release devices get', value: 'Retail' },
  { label: 'Retail Evaluation', description: 'the next OS, two weeks early, for testing', value: 'RetailEval' },
];
const POLICIES: { label: string; description: string; value: UpdatePolicyName }[] = [
  { label: 'Update all', description: 'OS and application updates', value: 'UpdateAll' },
  { label: 'No application updates', description: 'OS updates only (No3rdPartyAppUpdates): sideloaded apps stay', value: 'No3rdPartyAppUpdates' },
];

async function pick<T>(items: readonly { label: string; description?: string; value: T }[], title: string, value: T | undefined): Promise<T> {
  if (value !== undefined) return value;
  const picked = await vscode.window.showQuickPick(items, { title });
  if (!picked) throw new CancelledError();
  return picked.value;
}

export async function createDeviceGroup(deps: FleetDeps, arg: unknown): Promise<FleetDeviceGroup> {
  const target = fleetArg(arg);
  const input = target as GroupInput;
  const settings = given(input);
  const scope = await scopeOf(deps.tenants, target);
  const product = await productOf(deps.fleet, scope, target, 'Create a device group in which product?');
  const name = await askFleetName(scope, 'device group', `New device group in ${product.name}`, '', input.name);
  const description = await askDescription(`Description of ${name}`, '', input.description ?? (input.name !== undefined ? '' : undefined));
  const osFeed = await pick(OS_FEEDS, `OS feed of ${name}`, settings.osFeed);
  const updatePolicy = await pick(POLICIES, `Updates of ${name}`, settings.updatePolicy);
  const backend = await deps.fleet.backend(scope);
  const group = await withOperationProgress(`Creating device group "${name}" in ${product.name}`, (onProgress) =>
    backend.createDeviceGroup(scope, product.id, { name, description: description || undefined, osFeed, updatePolicy }, { onProgress }),
  );
  deps.fleet.changed({ scope, part: 'product', productId: product.id });
  return group;
}

export async function createDefaultDeviceGroups(deps: FleetDeps, arg: unknown): Promise<FleetDeviceGroup[]> {
  const target = fleetArg(arg);
  const scope = await scopeOf(deps.tenants, target);
  const product = await productOf(deps.fleet, scope, target, 'Create the default device groups of which product?');
  const backend = await deps.fleet.backend(scope);
  const groups = await withOperationProgress(`Creating the default device groups of ${product.name}`, (onProgress) => backend.createDefaultDeviceGroups(scope, product.id, { onProgress }));
  deps.fleet.changed({ scope, part: 'product', productId: product.id });
  return groups;
}

export const GROUP_SETTINGS = ['Rename…', 'Change Description…', 'OS Feed…', 'Update Policy…', 'Crash Dump Collection…'] as const;

export async function updateDeviceGroup(deps: FleetDeps, arg: unknown): Promise<FleetDeviceGroup> {
  const target = fleetArg(arg);
  const input = target as GroupInput;
  const settings = given(input);
  const scope = await scopeOf(deps.tenants, target);
  const group = await groupOf(deps.fleet, scope, target, 'Change which device group?');
  const offered = scope.kind === 'catalog' ? GROUP_SETTINGS.filter((s) => s !== 'Rename…') : [...GROUP_SETTINGS];
  const setting =
    input.setting ??
    (input.name !== undefined ? 'Rename…' : input.description !== undefined ? 'Change Description…' : settings.osFeed !== undefined ? 'OS Feed…' : settings.updatePolicy !== undefined ? 'Update Policy…' : settings.allowCrashDumps !== undefined ? 'Crash Dump Collection…' : undefined) ??
    (await vscode.window.showQuickPick(offered, { title: `Change device group "${group.name}"` }));
  if (!setting) throw new CancelledError();
  let changes: DeviceGroupSettings & { name?: string };
  switch (setting) {
    case 'Rename…':
      if (scope.kind === 'catalog') throw new UserFacingError(`A catalog's device group is named by its resource path, so "${group.name}" cannot be renamed; create a group with the new name and move the devices there. Nothing was changed.`);
      changes = { name: await askFleetName(scope, 'device group', `Rename device group "${group.name}"`, group.name, input.name) };
      break;
    case 'Change Description…':
      changes = { description: (await askDescription(`Description of ${group.name}`, group.description, input.description)) ?? '' };
      break;
    case 'OS Feed…':
      changes = { osFeed: await pick(OS_FEEDS, `OS feed of ${group.name}`, settings.osFeed) };
      break;
    case 'Update Policy…':
      changes = { updatePolicy: await pick(POLICIES, `Updates of ${group.name}`, settings.updatePolicy) };
      break;
    case 'Crash Dump Collection…':
      changes = {
        allowCrashDumps: await pick(
          [
            { label: 'Allow', description: 'devices send crash dumps (they may hold personal data)', value: true },
            { label: 'Do not allow', value: false },
          ],
          `Crash dump collection of ${group.name}`,
          settings.allowCrashDumps,
        ),
      };
      break;
    default:
      throw new UserFacingError(`"${setting}" is not a device group setting; choose one of ${offered.join(', ')}.`);
  }
  const backend = await deps.fleet.backend(scope);
  const updated = await withOperationProgress(`Changing device group "${group.name}"`, (onProgress) => backend.updateDeviceGroup(scope, group.id, changes, { onProgress }));
  deps.fleet.changed({ scope, part: 'product', productId: group.productId });
  return updated;
}

export async function deleteDeviceGroup(deps: FleetDeps, arg: unknown): Promise<void> {
  const target = fleetArg(arg);
  const scope = await scopeOf(deps.tenants, target);
  const group = await groupOf(deps.fleet, scope, target, 'Delete which device group?');
  const backend = await deps.fleet.backend(scope);
  await deleteWhenEmpty(backend, scope, {
    what: `Device group "${group.name}"`,
    within: { groupId: group.id },
    moveTo: 'another group',
    question: `Delete device group "${group.name}"?`,
    delete: (onProgress) => backend.deleteDeviceGroup(scope, group.id, { onProgress }),
  });
  deps.fleet.changed({ scope, part: 'product', productId: group.productId });
}
