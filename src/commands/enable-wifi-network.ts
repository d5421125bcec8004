import type { CommandModule } from '../common/command-registry';
import { setNetworkEnabled } from '../boards/wifi-actions';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device wifi enable --id: the board may connect to this network again. */
export const enableWifiNetwork: CommandModule<Services> = {
  id: CommandId.enableWifiNetwork,
  run: ({ devices, log }, arg) => setNetworkEnabled(devices, log, arg, true),
};
