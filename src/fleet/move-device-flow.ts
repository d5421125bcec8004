// Moves a device — from the fleet tree, the tenant's claimed devices, or the attached board's own node — into another
// device group of its product (a device in no product may go to any group). A group of another product is refused
// before anything is sent; the move is an Operation, with its progress and the service's reason if it fails.
import * as vscode from 'vscode';
import { isBoardTarget } from '../boards';
import { resolveClaimedBoard } from '../boards/claimed-board';
import type { DeviceGroup } from '../cloud/sphere-api-types';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, tenantOf } from './fleet-target';
import { withOperationProgress } from './operation-progress';

export interface DeviceMove {
  readonly deviceId: string;
  readonly from: string | null;
  readonly to: DeviceGroup;
}

export async function moveDeviceToGroup(deps: FleetDeps, arg: unknown): Promise<DeviceMove> {
  const target = fleetArg(arg);
  const toGroupId = (arg as { toGroupId?: string } | undefined)?.toGroupId;
  let tenantId: string;
  let deviceId: string;
  if (isBoardTarget(arg)) {
    const claimed = await resolveClaimedBoard(deps, arg, { purpose: 'Move which board?', whyTenant: 'holds its device groups' });
    tenantId = claimed.tenant.Id;
    deviceId = claimed.deviceId;
  } else {
    tenantId = (await tenantOf(deps.tenants, target)).id;
    const id = target.device?.DeviceId;
    if (!id) throw new UserFacingError('Run Move to Device Group on a device (in a device group, under "Claimed in", or an attached board).');
    deviceId = id;
  }
  const api = await deps.fleet.api();
  const device = await api.getDevice(tenantId, deviceId);
  const products = await deps.fleet.products(tenantId);
  const candidates: DeviceGroup[] = [];
  for (const product of products) {
    if (device.ProductId && product.Id.toLowerCase() !== device.ProductId.toLowerCase()) continue;
    candidates.push(...(await deps.fleet.groups(tenantId, product.Id)));
  }
  let to: DeviceGroup | undefined;
  if (toGroupId) {
    to = (await api.getDeviceGroup(tenantId, toGroupId));
  } else {
    const others = candidates.filter((g) => g.Id !== device.DeviceGroupId);
    if (others.length === 0) throw new UserFacingError(device.ProductId ? 'The device\'s product has no other device group to move it to.' : 'This tenant has no device groups yet; create a product with its default groups first.');
    const productName = new Map(products.map((p) => [p.Id, p.Name]));
    const picked = await vscode.window.showQuickPick(
      others.map((g) => ({ label: g.Name, description: productName.get(g.ProductId) ?? '', group: g })),
      { title: `Move device ${deviceId.slice(0, 12)}… to which device group?` },
    );
    if (!picked) throw new CancelledError();
    to = picked.group;
  }
  // withinProduct: a group of another product is refused by the client before the move is sent.
  await withOperationProgress(`Moving device ${deviceId.slice(0, 12)}… to "${to.Name}"`, (onProgress) => api.moveDeviceToGroup(tenantId, deviceId, to.Id, { withinProduct: true, onProgress }));
  deps.log.info(`Moved device ${deviceId} to device group "${to.Name}" (${to.Id}).`);
  deps.fleet.changed(device.ProductId && device.ProductId === to.ProductId ? { tenantId, part: 'product', productId: to.ProductId } : { tenantId, part: 'products' });
  deps.tenants.devicesChanged();
  return { deviceId, from: device.DeviceGroupId, to };
}
