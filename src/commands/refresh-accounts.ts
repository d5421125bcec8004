import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Reloads the account, its tenants and roles from the service. */
export const refreshAccounts: CommandModule<Services> = {
  id: CommandId.refreshAccounts,
  run({ tenants }) {
    tenants.refresh();
  },
};
