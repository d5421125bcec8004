// Turns what goes wrong talking to a board into one sentence for the user. Device errors already say what happened
// in the board's own words (docs/device-rest-api.md#error-codes); we add which board and what was being done. Input
// that was refused before sending says only what is wrong with it.
import { isDeviceError } from '../device';
import { UserFacingError } from '../common/errors';
import type { AttachedBoard } from './attached-board';

/** Something went wrong with one board: it says which, so "Troubleshoot Connection" can look at that board. */
export class BoardFailure extends UserFacingError {
  constructor(message: string, detail: string, readonly boardKey: string, options: { cause: unknown }) {
    super(message, detail, options);
    this.name = 'BoardFailure';
  }
}

export function boardError(board: AttachedBoard, doing: string, err: unknown): unknown {
  if (err instanceof UserFacingError || !isDeviceError(err)) return err;
  if (err.code === 'INVALID_INPUT') return new UserFacingError(err.message, `${doing} on ${board.label}: refused before sending (${err.field ?? 'input'})`, { cause: err });
  return new BoardFailure(`Could not ${doing} on ${board.label}: ${err.message}`, `${err.code}${err.deviceError === undefined ? '' : ` device error ${err.deviceError}`}`, board.key, { cause: err });
}

/** Runs `task` and rethrows a device failure as a message about `board`. */
export async function onBoard<T>(board: AttachedBoard, doing: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    throw boardError(board, doing, err);
  }
}
