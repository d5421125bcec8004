import type { CommandModule } from '../common/command-registry';
import { downloadErrorReport as run } from '../fleet/tenant-admin-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere tenant download-error-report, as CSV. */
export const downloadErrorReport: CommandModule<Services> = {
  id: CommandId.downloadErrorReport,
  run: (services, arg) => run(fleetDeps(services), arg),
};
