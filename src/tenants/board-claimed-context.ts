// The context key `sphereExplorer.boardClaimed`: the selected board is claimed into one of the user's tenants.
// The walkthrough's claim step completes on it, and menus can tell a claimed board from an unclaimed one.
import * as vscode from 'vscode';
import { combinedDisposable, type IDisposable } from '../common/lifecycle';
import type { DeviceModel } from '../boards';
import type { ClaimStatus } from './claim-status';

export const BOARD_CLAIMED_CONTEXT = 'sphereExplorer.boardClaimed';

export function trackSelectedBoardClaimed(devices: DeviceModel, claims: ClaimStatus): IDisposable {
  let current = false;
  const update = () => {
    const deviceId = devices.selected?.deviceId;
    const claimed = !!deviceId && claims.locationFor(deviceId)?.kind === 'tenant';
    if (claimed === current) return;
    current = claimed;
    void vscode.commands.executeCommand('setContext', BOARD_CLAIMED_CONTEXT, claimed);
  };
  // The device ID becomes known once the board has answered; that is a board change, not a selection change.
  return combinedDisposable(devices.onDidChangeSelection(update), devices.onDidChangeBoard(update), claims.onDidChange(update));
}
