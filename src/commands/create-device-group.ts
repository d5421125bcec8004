import type { CommandModule } from '../common/command-registry';
import { createDeviceGroup as run } from '../fleet/device-group-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere device-group create: name, OS feed and update policy. */
export const createDeviceGroup: CommandModule<Services> = {
  id: CommandId.createDeviceGroup,
  run: (services, arg) => run(fleetDeps(services), arg),
};
