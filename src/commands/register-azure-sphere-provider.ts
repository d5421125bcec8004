import { registerAzureSphereProvider as run } from '../catalogs/register-provider-flow';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** az provider register --namespace Microsoft.AzureSphere, for a subscription the Accounts view shows without it. */
export const registerAzureSphereProvider: CommandModule<Services> = {
  id: CommandId.registerAzureSphereProvider,
  run: ({ signIn, tenants, log }, arg) => run(signIn, tenants, log, arg),
};
