import type { CommandModule } from '../common/command-registry';
import { onBoard, resolveBoard } from '../boards';
import { readBoardApps } from '../boards/board-apps';
import { appMemoryText } from '../boards/cli-text';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device app show-memory-stats: GET /stats/memory/groups/applications, with each app's name. */
export const showAppMemoryStats: CommandModule<Services> = {
  id: CommandId.showAppMemoryStats,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Memory statistics of which board?' });
    const client = await devices.model.client(board.key);
    const [stats, apps] = await onBoard(board, 'read the applications\' memory statistics', () => Promise.all([client.getAppMemoryStats(), readBoardApps(client)]));
    devices.reports.show(`Application memory: ${board.label}`, appMemoryText(stats, apps));
    return stats;
  },
};
