import type { CommandModule } from '../common/command-registry';
import { linkFromArg } from '../iot/link-target';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Stops showing a hub link under the board; the identity on the hub (and any enrollment group) is left as it is. */
export const forgetIotHubLink: CommandModule<Services> = {
  id: CommandId.forgetIotHubLink,
  async run({ devices, iot }, arg) {
    const link = await linkFromArg(devices.model, iot, arg, 'Forget which hub link?');
    await iot.removeLink(link);
  },
};
