// How a command finds the board it acts on: the tree node it was run on, else the selected board (when `preferSelected`),
// else the only attached board, else a quick pick. No board attached is a message, not an empty picker.
import * as vscode from 'vscode';
import { CancelledError, UserFacingError } from '../common/errors';
import type { AttachedBoard } from './attached-board';
import type { DeviceModel } from './device-model';

/** What tree nodes and scripted callers pass to device commands. */
export interface BoardTarget {
  readonly boardKey: string;
}

export function isBoardTarget(arg: unknown): arg is BoardTarget {
  return typeof arg === 'object' && arg !== null && typeof (arg as BoardTarget).boardKey === 'string';
}

export const NO_BOARD_MESSAGE =
  'No board is attached. Connect an Azure Sphere board over USB, or run "Azure Sphere: Start Local Cloud Emulator and Simulated Board".';

export async function resolveBoard(devices: DeviceModel, arg: unknown, options: { preferSelected?: boolean; purpose?: string } = {}): Promise<AttachedBoard> {
  await devices.start();
  if (isBoardTarget(arg)) {
    const board = devices.board(arg.boardKey);
    if (!board) throw new UserFacingError('That board is no longer attached.');
    return board;
  }
  const boards = devices.boards;
  if (boards.length === 0) throw new UserFacingError(NO_BOARD_MESSAGE);
  if (options.preferSelected && devices.selected) return devices.selected;
  if (boards.length === 1) return boards[0];
  const selectedKey = devices.selected?.key;
  const items = boards.map((board) => ({
    label: board.descriptor.name,
    description: [board.shortId, board.connectionPath].filter(Boolean).join(' · '),
    detail: board.key === selectedKey ? 'Selected board' : undefined,
    board,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: options.purpose ?? 'Select a board', placeHolder: 'Which attached board?' });
  if (!picked) throw new CancelledError();
  return picked.board;
}
