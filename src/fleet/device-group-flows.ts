// Device groups: create one (name, OS feed, update policy), create a product's five defaults, change a group's
// settings (name, description, OS feed, update policy, crash dump collection), delete one (refused while devices are
// in it, saying how many).
import * as vscode from 'vscode';
import { OsFeedType, UpdatePolicy, type DeviceGroup } from '../cloud/sphere-api-types';
import type { DeviceGroupChanges } from '../cloud/sphere-api-client';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, groupOf, productOf, tenantOf } from './fleet-target';
import { askDescription, askFleetName } from './name-input';
import { withOperationProgress } from './operation-progress';

interface GroupInput extends DeviceGroupChanges {
  readonly setting?: string;
}

const OS_FEEDS = [
  { label: 'Retail', description: 'the OS release devices get', value: OsFeedType.Retail },
  { label: 'Retail Evaluation', description: 'the next OS, two weeks early, for testing', value: OsFeedType.RetailEval },
];
const POLICIES = [
  { label: 'Update all', description: 'OS and application updates', value: UpdatePolicy.UpdateAll },
  { label: 'No application updates', description: 'OS updates only (No3rdPartyAppUpdates): sideloaded apps stay', value: UpdatePolicy.No3rdPartyAppUpdates },
];

async function pick<T>(items: readonly { label: string; description?: string; value: T }[], title: string, given: T | undefined): Promise<T> {
  if (given !== undefined) return given;
  const picked = await vscode.window.showQuickPick(items, { title });
  if (!picked) throw new CancelledError();
  return picked.value;
}

export async function createDeviceGroup(deps: FleetDeps, arg: unknown): Promise<DeviceGroup> {
  const target = fleetArg(arg);
  const input = target as GroupInput;
  const tenant = await tenantOf(deps.tenants, target);
  const product = await productOf(deps.fleet, tenant.id, target, 'Create a device group in which product?');
  const name = await askFleetName('device group', `New device group in ${product.Name}`, '', input.name);
  const description = await askDescription(`Description of ${name}`, '', input.description ?? (input.name !== undefined ? '' : undefined));
  const osFeedType = await pick(OS_FEEDS, `OS feed of ${name}`, input.osFeedType);
  const updatePolicy = await pick(POLICIES, `Updates of ${name}`, input.updatePolicy);
  const group = await (await deps.fleet.api()).createDeviceGroup(tenant.id, { productId: product.Id, name, description: description || undefined, osFeedType, updatePolicy });
  deps.fleet.changed({ tenantId: tenant.id, part: 'product', productId: product.Id });
  return group;
}

export async function createDefaultDeviceGroups(deps: FleetDeps, arg: unknown): Promise<DeviceGroup[]> {
  const target = fleetArg(arg);
  const tenant = await tenantOf(deps.tenants, target);
  const product = await productOf(deps.fleet, tenant.id, target, 'Create the default device groups of which product?');
  const groups = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating the default device groups of ${product.Name}` }, async () =>
    (await deps.fleet.api()).createDefaultDeviceGroups(tenant.id, product.Id),
  );
  deps.fleet.changed({ tenantId: tenant.id, part: 'product', productId: product.Id });
  return groups;
}

export const GROUP_SETTINGS = ['Rename…', 'Change Description…', 'OS Feed…', 'Update Policy…', 'Crash Dump Collection…'] as const;

export async function updateDeviceGroup(deps: FleetDeps, arg: unknown): Promise<DeviceGroup> {
  const target = fleetArg(arg);
  const input = target as GroupInput;
  const tenant = await tenantOf(deps.tenants, target);
  const group = await groupOf(deps.fleet, tenant.id, target, 'Change which device group?');
  const setting =
    input.setting ??
    (input.name !== undefined ? 'Rename…' : input.description !== undefined ? 'Change Description…' : input.osFeedType !== undefined ? 'OS Feed…' : input.updatePolicy !== undefined ? 'Update Policy…' : input.allowCrashDumpsCollection !== undefined ? 'Crash Dump Collection…' : undefined) ??
    (await vscode.window.showQuickPick([...GROUP_SETTINGS], { title: `Change device group "${group.Name}"` }));
  if (!setting) throw new CancelledError();
  let changes: DeviceGroupChanges;
  switch (setting) {
    case 'Rename…':
      changes = { name: await askFleetName('device group', `Rename device group "${group.Name}"`, group.Name, input.name) };
      break;
    case 'Change Description…':
      changes = { description: (await askDescription(`Description of ${group.Name}`, group.Description ?? '', input.description)) ?? '' };
      break;
    case 'OS Feed…':
      changes = { osFeedType: await pick(OS_FEEDS, `OS feed of ${group.Name}`, input.osFeedType) };
      break;
    case 'Update Policy…':
      changes = { updatePolicy: await pick(POLICIES, `Updates of ${group.Name}`, input.updatePolicy) };
      break;
    case 'Crash Dump Collection…':
      changes = {
        allowCrashDumpsCollection: await pick(
          [
            { label: 'Allow', description: 'devices send crash dumps (they may hold personal data)', value: true },
            { label: 'Do not allow', value: false },
          ],
          `Crash dump collection of ${group.Name}`,
          input.allowCrashDumpsCollection,
        ),
      };
      break;
    default:
      throw new UserFacingError(`"${setting}" is not a device group setting; choose one of ${GROUP_SETTINGS.join(', ')}.`);
  }
  const updated = await (await deps.fleet.api()).updateDeviceGroup(tenant.id, group.Id, changes);
  deps.fleet.changed({ tenantId: tenant.id, part: 'product', productId: group.ProductId });
  return updated;
}

export const DELETE_GROUP = 'Delete';

export async function deleteDeviceGroup(deps: FleetDeps, arg: unknown): Promise<void> {
  const target = fleetArg(arg);
  const tenant = await tenantOf(deps.tenants, target);
  const group = await groupOf(deps.fleet, tenant.id, target, 'Delete which device group?');
  const api = await deps.fleet.api();
  const count = await api.countDevicesInGroup(tenant.id, group.Id);
  if (count > 0) {
    throw new UserFacingError(`Device group "${group.Name}" still has ${count.toLocaleString('en-US')} device${count === 1 ? '' : 's'}; move ${count === 1 ? 'it' : 'them'} to another group first. Nothing was deleted.`);
  }
  const answer = await vscode.window.showWarningMessage(`Delete device group "${group.Name}"?`, { modal: true, detail: 'Its deployments go with it. This cannot be undone.' }, DELETE_GROUP);
  if (answer !== DELETE_GROUP) throw new CancelledError();
  await withOperationProgress(`Deleting device group "${group.Name}"`, (onProgress) => api.deleteDeviceGroup(tenant.id, group.Id, { onProgress }));
  deps.fleet.changed({ tenantId: tenant.id, part: 'product', productId: group.ProductId });
}
