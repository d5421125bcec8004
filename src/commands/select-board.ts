import type { CommandModule } from '../common/command-registry';
import { resolveBoard } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Makes a board the one the Wi-Fi view and the status-bar indicator follow (clicking a board node does this). */
export const selectBoard: CommandModule<Services> = {
  id: CommandId.selectBoard,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { purpose: 'Select the board to work with' });
    devices.model.select(board.key);
    return board.key;
  },
};
