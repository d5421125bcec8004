import type { CommandModule } from '../common/command-registry';
import { createDefaultDeviceGroups as run } from '../fleet/device-group-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere product device-group create-defaults. */
export const createDefaultDeviceGroups: CommandModule<Services> = {
  id: CommandId.createDefaultDeviceGroups,
  run: (services, arg) => run(fleetDeps(services), arg),
};
