import type { CommandModule } from '../common/command-registry';
import { setNetworkEnabled } from '../boards/wifi-actions';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device wifi disable --id: the board stops using this network (and disconnects if it is the current one). */
export const disableWifiNetwork: CommandModule<Services> = {
  id: CommandId.disableWifiNetwork,
  run: ({ devices, log }, arg) => setNetworkEnabled(devices, log, arg, false),
};
