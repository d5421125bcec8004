// "Enable Development" and "Enable Cloud Test", as `azsphere device enable-development` / `enable-cloud-test` do them:
// the tenant or catalog the board is claimed into issues a capability file for it (AppDevelopment, or none), the
// device moves to its product's Development (or Field Test) group when it is in a product, and the board installs the
// file and restarts with it. Each step is logged in the CLI's words. Sign-in and the claim are checked before anything
// is sent. The cloud side goes through the FleetBackend of the scope where the board is claimed (the security service
// for a tenant, Azure Resource Manager for a catalog), so both work alike.
import * as vscode from 'vscode';
import { osFeedNumber, updatePolicyNumber, type FleetDevice, type FleetDeviceGroup } from '../cloud/backend/fleet-backend';
import type { Device, DeviceGroup } from '../cloud/sphere-api-types';
import type { ClaimStatus } from '../tenants/claim-status';
import type { TenantModel } from '../tenants/tenant-model';
import { planGroupChange, type GroupPlan } from '../cloud/development-mode';
import { applyCapabilityImage, type CapabilityPhase } from '../device';
import { DeviceCapability } from '../device/image-package';
import type { AttachedBoard } from './attached-board';
import { resolveClaimedBoard } from './claimed-board';
import type { DeviceModel } from './device-model';
import { onBoard } from './device-errors';

export type DevelopmentMode = 'development' | 'cloudTest';

export interface DevelopmentModeDeps {
  readonly devices: DeviceModel;
  readonly tenants: TenantModel;
  readonly claims: ClaimStatus;
  readonly log: vscode.LogOutputChannel;
}

export interface DevelopmentModeChange {
  readonly board: AttachedBoard;
  /** The tenant's or catalog's name. */
  readonly tenantName: string;
  readonly capabilities: readonly number[];
  readonly group: GroupPlan;
}

const WORDS: Record<DevelopmentMode, { title: string; getting: string; enabling: string; capabilities: number[] }> = {
  development: {
    title: 'Enabling development mode',
    getting: 'Getting device capability configuration for application development.',
    enabling: 'Enabling application development capability on attached device.',
    capabilities: [DeviceCapability.enableAppDevelopment],
  },
  cloudTest: {
    title: 'Enabling cloud test mode',
    getting: 'Getting device capability configuration for cloud test (no capabilities).',
    enabling: 'Removing application development capability from attached device.',
    capabilities: [],
  },
};

export async function changeDevelopmentMode(deps: DevelopmentModeDeps, arg: unknown, mode: DevelopmentMode): Promise<DevelopmentModeChange> {
  const { devices, tenants, claims, log } = deps;
  const words = WORDS[mode];
  const { board, deviceId, scope } = await resolveClaimedBoard({ devices, tenants, claims }, arg, {
    purpose: mode === 'development' ? 'Enable development mode on which board?' : 'Enable cloud test mode on which board?',
    whyTenant: 'can issue its capability file',
  });
  const fleet = await tenants.backendFor(scope);
  const client = await devices.client(board.key);

  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${words.title} on ${board.label}`, cancellable: false }, async (progress) => {
    const step = (message: string): void => {
      log.info(message);
      progress.report({ message });
    };
    step(words.getting);
    // Where the device is decides both the capability file's request (a catalog's device is addressed under its
    // group) and the group move: read it once.
    const device = await fleet.getDevice(scope, deviceId);
    const file = await fleet.createCapabilityImage(scope, deviceId, words.capabilities, device.groupId ? { groupId: device.groupId } : {});
    step('Successfully downloaded device capability configuration.');

    const groups = device.productId ? await fleet.listDeviceGroups(scope, device.productId) : [];
    const productName = device.productId ? (await fleet.listProducts(scope)).find((p) => p.id === device.productId)?.name : undefined;
    const plan = planGroupChange(mode === 'development' ? 'development' : 'fieldTest', asDevice(device, scope.id), groups.map((g) => asDeviceGroup(g, scope.id)), productName);
    if (plan.kind === 'move') {
      step(`Setting device group ID '${plan.group.Id}' for device with ID '${deviceId}'.`);
      await fleet.moveDevice(scope, deviceId, plan.group.Id, device.groupId ? { fromGroupId: device.groupId } : {});
    }
    step(plan.message);
    if ('warning' in plan && plan.warning) log.warn(plan.warning);

    step(words.enabling);
    const onPhase = (phase: CapabilityPhase): void => step(phase === 'restarting' ? 'The device is rebooting.' : 'Applying device capability configuration to device.');
    const update = await onBoard(board, 'apply the capability configuration', () => applyCapabilityImage(client, file, { onPhase }));
    step('Successfully applied device capability configuration to device.');
    await devices.reloadFacts(board.key);
    devices.contentChanged(board, 'apps');
    return { board, tenantName: scope.name, capabilities: update.capabilities, group: plan };
  });
}

// planGroupChange (src/cloud/development-mode.ts) decides on the security service's shapes; these carry the fleet
// model's fields it reads, whichever backend they came from.
function asDevice(device: FleetDevice, tenantId: string): Device {
  return {
    DeviceId: device.id,
    TenantId: tenantId,
    ProductId: device.productId ?? null,
    DeviceGroupId: device.groupId ?? null,
    ChipSku: 0,
    LastAvailableOSVersion: device.lastAvailableOsVersion ?? null,
    LastInstalledOSVersion: device.lastInstalledOsVersion ?? null,
    LastOSUpdateUTC: device.lastOsUpdate ?? null,
    LastUpdateRequestUTC: device.lastUpdateRequest ?? null,
  };
}

function asDeviceGroup(group: FleetDeviceGroup, tenantId: string): DeviceGroup {
  return {
    Id: group.id,
    TenantId: tenantId,
    OsFeedType: osFeedNumber(group.osFeed) ?? 0,
    ProductId: group.productId,
    Name: group.name,
    Description: group.description,
    CurrentDeployment: group.currentDeploymentId ? { Id: group.currentDeploymentId } : null,
    UpdatePolicy: updatePolicyNumber(group.updatePolicy) ?? 0,
    AllowCrashDumpsCollection: group.allowCrashDumps,
  };
}
