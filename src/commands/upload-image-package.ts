import type { CommandModule } from '../common/command-registry';
import { uploadImagePackage as run } from '../fleet/image-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere image add: an image package to the tenant, with progress. */
export const uploadImagePackage: CommandModule<Services> = {
  id: CommandId.uploadImagePackage,
  run: (services, arg) => run(fleetDeps(services), arg),
};
