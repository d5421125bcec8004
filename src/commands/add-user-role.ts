import type { CommandModule } from '../common/command-registry';
import { addUserRole as run } from '../fleet/tenant-admin-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere role add: a user's role in the tenant. */
export const addUserRole: CommandModule<Services> = {
  id: CommandId.addUserRole,
  run: (services, arg) => run(fleetDeps(services), arg),
};
