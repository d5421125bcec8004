// Which device group "Enable Development" and "Enable Cloud Test" put a board in, and what to tell the person when
// there is nothing to move. As `azsphere device enable-development` / `enable-cloud-test` do: development goes to the
// product's "Development" group (no cloud app updates, so sideloaded apps stay), cloud test to its "Field Test" group.
// Groups are found by name, case-insensitively, as the service compares group names
// (learn.microsoft.com/azure-sphere/reference/azsphere-device-group).
import { UpdatePolicy, type Device, type DeviceGroup } from './sphere-api-types';

export type GroupTarget = 'development' | 'fieldTest';

const GROUP_NAMES: Readonly<Record<GroupTarget, string>> = { development: 'Development', fieldTest: 'Field Test' };

export type GroupPlan =
  /** Move the device into `group`. `warning` names a reason the move may not give what was asked for. */
  | { readonly kind: 'move'; readonly group: DeviceGroup; readonly message: string; readonly warning?: string }
  /** The device is in that group already: nothing to send. */
  | { readonly kind: 'alreadyThere'; readonly group: DeviceGroup; readonly message: string; readonly warning?: string }
  /** The device is in no product, so there is no group to pick: no move. */
  | { readonly kind: 'noProduct'; readonly message: string }
  /** The product has no group of that name: no move. */
  | { readonly kind: 'noSuchGroup'; readonly message: string };

function byName(groups: readonly DeviceGroup[], name: string): DeviceGroup | undefined {
  const wanted = name.toLowerCase();
  return groups.find((g) => g.Name.trim().toLowerCase() === wanted);
}

/** The product's "Development" group, if it has one. */
export function developmentGroupFor(groups: readonly DeviceGroup[]): DeviceGroup | undefined {
  return byName(groups, GROUP_NAMES.development);
}

/** The product's "Field Test" group, if it has one. */
export function fieldTestGroupFor(groups: readonly DeviceGroup[]): DeviceGroup | undefined {
  return byName(groups, GROUP_NAMES.fieldTest);
}

/**
 * Decides the device group change for `target`. `groups` are the groups of the device's product (ignored when the
 * device is in none); `productName` only makes the messages clearer.
 */
export function planGroupChange(target: GroupTarget, device: Device, groups: readonly DeviceGroup[], productName?: string): GroupPlan {
  const short = `${device.DeviceId.slice(0, 8)}…`;
  const groupName = GROUP_NAMES[target];
  if (!device.ProductId) {
    const effect =
      target === 'development'
        ? 'It gets no app deployments from the cloud there, so sideloaded apps stay.'
        : 'Cloud deployments reach a device only through a device group: assign it to a product’s Field Test group to test them.';
    return { kind: 'noProduct', message: `Device ${short} is in no product, so its device group was left unchanged. ${effect}` };
  }
  const product = productName ? `Product "${productName}"` : `Product ${device.ProductId}`;
  const group = target === 'development' ? developmentGroupFor(groups) : fieldTestGroupFor(groups);
  if (!group) {
    return {
      kind: 'noSuchGroup',
      message: `${product} has no device group named "${groupName}", so device ${short} was left in its group. Create one (or recreate the product's default groups) and try again.`,
    };
  }
  const warning = policyWarning(target, group);
  const where = `the "${group.Name}" device group`;
  if (device.DeviceGroupId?.toLowerCase() === group.Id.toLowerCase()) {
    return { kind: 'alreadyThere', group, message: `Device ${short} is already in ${where}.`, ...(warning ? { warning } : {}) };
  }
  return { kind: 'move', group, message: `Moving device ${short} to ${where}.`, ...(warning ? { warning } : {}) };
}

/** A group found by name may have been changed: say when its update policy works against the target. */
function policyWarning(target: GroupTarget, group: DeviceGroup): string | undefined {
  if (target === 'development' && group.UpdatePolicy !== UpdatePolicy.No3rdPartyAppUpdates) {
    return `The "${group.Name}" group accepts app updates from the cloud, so a deployment may replace apps you sideload.`;
  }
  if (target === 'fieldTest' && group.UpdatePolicy === UpdatePolicy.No3rdPartyAppUpdates) {
    return `The "${group.Name}" group takes no app updates from the cloud, so deployments will not reach the device.`;
  }
  return undefined;
}
