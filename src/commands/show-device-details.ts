import type { CommandModule } from '../common/command-registry';
import { resolveBoard } from '../boards';
import { boardDetailsText } from '../boards/cli-text';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device show-attached, and more: device ID, connection path, OS version, security state. */
export const showDeviceDetails: CommandModule<Services> = {
  id: CommandId.showDeviceDetails,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { purpose: 'Show details of which board?' });
    if (!board.facts) await devices.model.reloadFacts(board.key);
    const lines = boardDetailsText(board);
    devices.reports.show(`Device ${board.label}`, lines);
    return lines;
  },
};
