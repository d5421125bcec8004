import type { CommandModule } from '../common/command-registry';
import { updateDeviceGroup as run } from '../fleet/device-group-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere device-group update: name, description, OS feed, update policy, crash dump collection. */
export const updateDeviceGroup: CommandModule<Services> = {
  id: CommandId.updateDeviceGroup,
  run: (services, arg) => run(fleetDeps(services), arg),
};
