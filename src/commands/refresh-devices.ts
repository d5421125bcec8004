import type { CommandModule } from '../common/command-registry';
import { isBoardTarget } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Looks for boards now and reads each board's facts again (or just the given board's). */
export const refreshDevices: CommandModule<Services> = {
  id: CommandId.refreshDevices,
  async run({ devices }, arg) {
    await devices.model.rescan();
    const boards = isBoardTarget(arg) ? devices.model.boards.filter((b) => b.key === arg.boardKey) : devices.model.boards;
    await Promise.all(boards.map((b) => devices.model.reloadFacts(b.key)));
    devices.wifi.refreshNetworks();
  },
};
