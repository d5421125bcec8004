// The command a "Load more…" row runs (internal: never in the palette): the next pages of a device group's devices,
// or of all a catalog's devices when no group is given, then that node redrawn.
import * as vscode from 'vscode';
import type { FleetScope } from '../cloud/backend/fleet-backend';
import { InternalCommandId } from '../commands/ids';
import type { FleetModel } from './fleet-model';

/** Pages one "Load more" brings (a group's first page is already 500 devices). */
const LOAD_MORE_PAGES = 4;

export function registerLoadMoreGroupDevices(fleet: FleetModel): vscode.Disposable {
  return vscode.commands.registerCommand(InternalCommandId.loadMoreGroupDevices, async (arg: { scope: FleetScope; productId?: string; groupId?: string }) => {
    const pager = arg.groupId ? await fleet.groupDevices(arg.scope, arg.groupId) : await fleet.scopeDevices(arg.scope);
    await pager.loadMore(LOAD_MORE_PAGES);
    fleet.redraw(arg.groupId && arg.productId ? { scope: arg.scope, part: 'group', productId: arg.productId, groupId: arg.groupId } : { scope: arg.scope, part: 'devices' });
  });
}
