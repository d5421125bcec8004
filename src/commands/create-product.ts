import type { CommandModule } from '../common/command-registry';
import { createProduct as run } from '../fleet/product-flows';
import type { Services } from '../services';
import { fleetDeps } from '../fleet/fleet-deps';
import { CommandId } from './ids';

/** azsphere product create: a product, with the five default device groups unless declined. */
export const createProduct: CommandModule<Services> = {
  id: CommandId.createProduct,
  run: (services, arg) => run(fleetDeps(services), arg),
};
