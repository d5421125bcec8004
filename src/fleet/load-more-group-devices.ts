// The command a device group's "Load more…" row runs (internal: never in the palette): the next page of the group's
// devices, then the group redrawn.
import * as vscode from 'vscode';
import { InternalCommandId } from '../commands/ids';
import type { FleetModel } from './fleet-model';

/** Pages one "Load more" brings (a group's first page is already 500 devices). */
const LOAD_MORE_PAGES = 4;

export function registerLoadMoreGroupDevices(fleet: FleetModel): vscode.Disposable {
  return vscode.commands.registerCommand(InternalCommandId.loadMoreGroupDevices, async (arg: { tenantId: string; productId: string; groupId: string }) => {
    const pager = await fleet.groupDevices(arg.tenantId, arg.groupId);
    await pager.loadMore(LOAD_MORE_PAGES);
    fleet.redraw({ tenantId: arg.tenantId, part: 'group', productId: arg.productId, groupId: arg.groupId });
  });
}
