import type { CommandModule } from '../common/command-registry';
import { setInterfaceUp } from '../boards/interface-actions';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Takes a network interface of a board down; wlan0 down turns every Wi-Fi call into "Wi-Fi interface is disabled". */
export const disableNetworkInterface: CommandModule<Services> = {
  id: CommandId.disableNetworkInterface,
  run: ({ devices }, arg) => setInterfaceUp(devices, arg, false),
};
