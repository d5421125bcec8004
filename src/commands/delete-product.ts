import type { CommandModule } from '../common/command-registry';
import { deleteProduct as run } from '../fleet/product-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere product delete: refused while devices are in the product. */
export const deleteProduct: CommandModule<Services> = {
  id: CommandId.deleteProduct,
  run: (services, arg) => run(fleetDeps(services), arg),
};
