import type { CommandModule } from '../common/command-registry';
import { setInterfaceUp } from '../boards/interface-actions';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Brings a network interface of a board up (PATCH /net/interfaces/{name}). */
export const enableNetworkInterface: CommandModule<Services> = {
  id: CommandId.enableNetworkInterface,
  run: ({ devices }, arg) => setInterfaceUp(devices, arg, true),
};
