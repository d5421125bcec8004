import type { CommandModule } from '../common/command-registry';
import { renameTenant as run } from '../fleet/tenant-admin-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere tenant update --new-name. */
export const renameTenant: CommandModule<Services> = {
  id: CommandId.renameTenant,
  run: (services, arg) => run(fleetDeps(services), arg),
};
