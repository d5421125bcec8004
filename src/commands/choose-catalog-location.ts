import { chooseCatalogLocation as run } from '../catalogs/choose-catalog-location';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** az sphere catalog list --subscription --resource-group, as the Accounts view's choice of where to look. */
export const chooseCatalogLocation: CommandModule<Services> = {
  id: CommandId.chooseCatalogLocation,
  run: ({ signIn, tenants }, arg) => run(signIn, tenants, arg),
};
