// "Enable Development" and "Enable Cloud Test", as `azsphere device enable-development` / `enable-cloud-test` do them:
// the tenant the board is claimed into issues a capability file for it (AppDevelopment, or none), the device moves to
// its product's Development (or Field Test) group when it is in a product, and the board installs the file and
// restarts with it. Each step is logged in the CLI's words. Sign-in and the claim are checked before anything is sent.
import * as vscode from 'vscode';
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
  const { board, deviceId, tenant } = await resolveClaimedBoard({ devices, tenants, claims }, arg, {
    purpose: mode === 'development' ? 'Enable development mode on which board?' : 'Enable cloud test mode on which board?',
    whyTenant: 'can issue its capability file',
  });
  const api = await tenants.apiClient();
  const client = await devices.client(board.key);

  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${words.title} on ${board.label}`, cancellable: false }, async (progress) => {
    const step = (message: string): void => {
      log.info(message);
      progress.report({ message });
    };
    step(words.getting);
    const file = await api.createCapabilityImage(tenant.Id, deviceId, words.capabilities);
    step('Successfully downloaded device capability configuration.');

    const device = await api.getDevice(tenant.Id, deviceId);
    const groups = device.ProductId ? await api.listDeviceGroups(tenant.Id, device.ProductId) : [];
    const productName = device.ProductId ? (await api.listProducts(tenant.Id)).find((p) => p.Id === device.ProductId)?.Name : undefined;
    const plan = planGroupChange(mode === 'development' ? 'development' : 'fieldTest', device, groups, productName);
    if (plan.kind === 'move') {
      step(`Setting device group ID '${plan.group.Id}' for device with ID '${deviceId}'.`);
      await api.moveDeviceToGroup(tenant.Id, deviceId, plan.group.Id);
    }
    step(plan.message);
    if ('warning' in plan && plan.warning) log.warn(plan.warning);

    step(words.enabling);
    const onPhase = (phase: CapabilityPhase): void => step(phase === 'restarting' ? 'The device is rebooting.' : 'Applying device capability configuration to device.');
    const update = await onBoard(board, 'apply the capability configuration', () => applyCapabilityImage(client, file, { onPhase }));
    step('Successfully applied device capability configuration to device.');
    await devices.reloadFacts(board.key);
    devices.contentChanged(board, 'apps');
    return { board, tenantName: tenant.Name, capabilities: update.capabilities, group: plan };
  });
}
