// How an app command finds the app it acts on: the app node it was run on, else a pick from the board's
// applications (the debugging server is not offered: it is the board's, not the developer's).
import * as vscode from 'vscode';
import { CancelledError, UserFacingError } from '../common/errors';
import type { AttachedBoard } from './attached-board';
import { appSummary, isAppTarget, readBoardApps, type BoardApp } from './board-apps';
import { resolveBoard } from './board-picker';
import type { DeviceModel } from './device-model';
import { onBoard } from './device-errors';

export interface ResolvedApp {
  readonly board: AttachedBoard;
  readonly app: BoardApp;
}

export interface AppQuestion {
  /** The picker's title, e.g. "Start which application?". */
  readonly purpose: string;
  /** What the command does, for "‹board› has no application to ‹action›", e.g. "start". */
  readonly action: string;
  /** Which apps make sense (e.g. only stopped ones for Start). */
  readonly offer?: (app: BoardApp) => boolean;
}

export async function resolveApp(devices: DeviceModel, arg: unknown, question: AppQuestion): Promise<ResolvedApp> {
  const { purpose, action, offer = () => true } = question;
  const board = await resolveBoard(devices, isAppTarget(arg) ? { boardKey: arg.boardKey } : arg, { preferSelected: true, purpose });
  const client = await devices.client(board.key);
  const apps = await onBoard(board, 'list the applications', () => readBoardApps(client));
  if (isAppTarget(arg)) {
    const app = apps.find((a) => a.componentId.toLowerCase() === arg.componentId.toLowerCase());
    if (!app) throw new UserFacingError(`Application ${arg.componentId} is no longer on ${board.label}.`);
    return { board, app };
  }
  const offered = apps.filter((a) => !a.isDebugServer && offer(a));
  if (offered.length === 0) throw new UserFacingError(`${board.label} has no application to ${action}. Deploy one with "Azure Sphere: Deploy Image Package…".`);
  const picked = await vscode.window.showQuickPick(
    offered.map((app) => ({ label: app.name || app.componentId, description: appSummary(app), detail: app.componentId, app })),
    { title: purpose, placeHolder: `Which application on ${board.label}?` },
  );
  if (!picked) throw new CancelledError();
  return { board, app: picked.app };
}
