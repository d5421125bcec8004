import type { CommandModule } from '../common/command-registry';
import { removeUserRole as run } from '../fleet/tenant-admin-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere role delete: one of a user's roles, after confirmation. */
export const removeUserRole: CommandModule<Services> = {
  id: CommandId.removeUserRole,
  run: (services, arg) => run(fleetDeps(services), arg),
};
