import type { CommandModule } from '../common/command-registry';
import { createDeployment as run } from '../fleet/image-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere device-group deployment create: one or more images to a device group. */
export const createDeployment: CommandModule<Services> = {
  id: CommandId.createDeployment,
  run: (services, arg) => run(fleetDeps(services), arg),
};
