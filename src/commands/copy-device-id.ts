import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { UserFacingError } from '../common/errors';
import { resolveBoard } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Copies the full 128-hex-digit device ID (the tree shows only its start). */
export const copyDeviceId: CommandModule<Services> = {
  id: CommandId.copyDeviceId,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { purpose: 'Copy the device ID of which board?' });
    if (!board.deviceId) await devices.model.reloadFacts(board.key);
    const id = board.deviceId;
    if (!id) throw new UserFacingError(`The device ID of ${board.descriptor.name} could not be read: ${board.factsError ?? 'no answer'}`);
    await vscode.env.clipboard.writeText(id);
    void vscode.window.setStatusBarMessage(`Copied device ID ${board.shortId}`, 3000);
    return id;
  },
};
