// Moves a device — from the fleet tree, the claimed devices, or the attached board's own node — into another device
// group of its product (a device in no product may go to any group), in a tenant or a catalog. A group of another
// product is refused before anything is sent; the move waits for the service, with its progress and the service's
// reason if it fails.
import * as vscode from 'vscode';
import { isBoardTarget } from '../boards';
import { resolveClaimedBoard } from '../boards/claimed-board';
import type { FleetDeviceGroup, FleetScope } from '../cloud/backend/fleet-backend';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, scopeOf } from './fleet-target';
import { withOperationProgress } from './operation-progress';

export interface DeviceMove {
  readonly deviceId: string;
  readonly from: string | null;
  readonly to: FleetDeviceGroup;
}

export async function moveDeviceToGroup(deps: FleetDeps, arg: unknown): Promise<DeviceMove> {
  const target = fleetArg(arg);
  const toGroupId = (arg as { toGroupId?: string } | undefined)?.toGroupId;
  let scope: FleetScope;
  let deviceId: string;
  let groupHint: string | undefined;
  if (isBoardTarget(arg)) {
    const claimed = await resolveClaimedBoard(deps, arg, { purpose: 'Move which board?', whyTenant: 'holds its device groups' });
    scope = claimed.scope;
    deviceId = claimed.deviceId;
  } else {
    scope = await scopeOf(deps.tenants, target);
    const id = target.device?.DeviceId;
    if (!id) throw new UserFacingError('Run Move to Device Group on a device (in a device group, under "Claimed in", or an attached board).');
    deviceId = id;
    groupHint = target.device?.DeviceGroupId ?? target.groupId;
  }
  const backend = await deps.fleet.backend(scope);
  const device = await backend.getDevice(scope, deviceId, { groupId: groupHint });
  const products = await deps.fleet.products(scope);
  const candidates: FleetDeviceGroup[] = [];
  for (const product of products) {
    if (device.productId && !toGroupId && product.id.toLowerCase() !== device.productId.toLowerCase()) continue;
    candidates.push(...(await deps.fleet.groups(scope, product.id)));
  }
  let to: FleetDeviceGroup | undefined;
  if (toGroupId) {
    to = candidates.find((g) => g.id.toLowerCase() === toGroupId.toLowerCase());
    if (!to) throw new UserFacingError(`Device group ${toGroupId} is not in ${scope.name}. Nothing was moved.`);
  } else {
    const others = candidates.filter((g) => g.id.toLowerCase() !== (device.groupId ?? '').toLowerCase());
    if (others.length === 0) throw new UserFacingError(device.productId ? "The device's product has no other device group to move it to." : `${scope.name} has no device groups yet; create a product with its default groups first.`);
    const productName = new Map(products.map((p) => [p.id, p.name]));
    const picked = await vscode.window.showQuickPick(
      others.map((g) => ({ label: g.name, description: productName.get(g.productId) ?? '', group: g })),
      { title: `Move device ${deviceId.slice(0, 12)}… to which device group?` },
    );
    if (!picked) throw new CancelledError();
    to = picked.group;
  }
  const dest = to;
  // withinProduct: a group of another product is refused by the backend before the move is sent.
  await withOperationProgress(`Moving device ${deviceId.slice(0, 12)}… to "${dest.name}"`, (onProgress) =>
    backend.moveDevice(scope, deviceId, dest.id, { withinProduct: true, fromGroupId: device.groupId, onProgress }),
  );
  deps.log.info(`Moved device ${deviceId} to device group "${dest.name}" (${dest.id}).`);
  deps.fleet.changed(device.productId && device.productId.toLowerCase() === dest.productId.toLowerCase() ? { scope, part: 'product', productId: dest.productId } : { scope, part: 'products' });
  deps.tenants.devicesChanged();
  return { deviceId, from: device.groupId ?? null, to: dest };
}
