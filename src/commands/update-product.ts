import type { CommandModule } from '../common/command-registry';
import { updateProduct as run } from '../fleet/product-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere product update: rename a product or change its description. */
export const updateProduct: CommandModule<Services> = {
  id: CommandId.updateProduct,
  run: (services, arg) => run(fleetDeps(services), arg),
};
