// The command a device group's "Load more…" row runs (internal: never in the palette): the next page of the group's
// devices, then the group redrawn.
import * as vscode from 'vscode';
import { InternalCommandId } from '../commands/ids';
import type { FleetModel } from './fleet-model';

export function registerLoadMoreGroupDevices(fleet: FleetModel): vscode.Disposable {
  return vscode.commands.registerCommand(InternalCommandId.loadMoreGroupDevices, async (arg: { tenantId: string; productId: string; groupId: string }) => {
    const pager = await fleet.groupDevices(arg.tenantId, arg.groupId);
    await pager.loadMore();
    fleet.redraw({ tenantId: arg.tenantId, part: 'group', productId: arg.productId, groupId: arg.groupId });
  });
}
