import type { CommandModule } from '../common/command-registry';
import { moveDeviceToGroup as run } from '../fleet/move-device-flow';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere device update --device-group: within the device's product. */
export const moveDeviceToGroup: CommandModule<Services> = {
  id: CommandId.moveDeviceToGroup,
  run: (services, arg) => run(fleetDeps(services), arg),
};
