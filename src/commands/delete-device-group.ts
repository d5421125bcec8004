import type { CommandModule } from '../common/command-registry';
import { deleteDeviceGroup as run } from '../fleet/device-group-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere device-group delete: refused while devices are in the group, saying how many. */
export const deleteDeviceGroup: CommandModule<Services> = {
  id: CommandId.deleteDeviceGroup,
  run: (services, arg) => run(fleetDeps(services), arg),
};
