// The command a device group's "Load more…" row runs (internal: never in the palette): the next page of the group's
// devices, then the group redrawn.
import * as vscode from 'vscode';
import type { FleetScope } from '../cloud/backend/fleet-backend';
import { InternalCommandId } from '../commands/ids';
import type { FleetModel } from './fleet-model';

/** Pages one "Load more" brings (a group's first page is already 500 devices). */
const LOAD_MORE_PAGES = 4;

export function registerLoadMoreGroupDevices(fleet: FleetModel): vscode.Disposable {
  return vscode.commands.registerCommand(InternalCommandId.loadMoreGroupDevices, async (arg: { scope: FleetScope; productId: string; groupId: string }) => {
    const pager = await fleet.groupDevices(arg.scope, arg.groupId);
    await pager.loadMore(LOAD_MORE_PAGES);
    fleet.redraw({ scope: arg.scope, part: 'group', productId: arg.productId, groupId: arg.groupId });
  });
}
