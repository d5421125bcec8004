import type { CommandModule } from '../common/command-registry';
import { isBoardTarget } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/**
 * Looks for boards now and reads each board's facts again (or just the given board's), and where boards are claimed
 * and the selected tenant's claimed devices (a claim made elsewhere — the CLI, the portal, a colleague — shows after
 * a refresh).
 */
export const refreshDevices: CommandModule<Services> = {
  id: CommandId.refreshDevices,
  async run({ devices, claims, tenants }, arg) {
    claims.locator.forget();
    tenants.devicesChanged();
    await devices.model.rescan();
    const boards = isBoardTarget(arg) ? devices.model.boards.filter((b) => b.key === arg.boardKey) : devices.model.boards;
    await Promise.all(boards.map((b) => devices.model.reloadFacts(b.key)));
    devices.wifi.refreshNetworks();
  },
};
