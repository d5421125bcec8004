import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Reads the selected board's Wi-Fi networks and status again. */
export const refreshWifi: CommandModule<Services> = {
  id: CommandId.refreshWifi,
  async run({ devices }) {
    devices.wifi.refreshNetworks();
    await devices.wifi.refreshStatus().catch(() => undefined);
  },
};
