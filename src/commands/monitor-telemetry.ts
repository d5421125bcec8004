import type { CommandModule } from '../common/command-registry';
import { linkFromArg } from '../iot/link-target';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Opens the telemetry monitor of a board's hub link (the node it was run on, or one picked). Returns the editor's URI. */
export const monitorTelemetry: CommandModule<Services> = {
  id: CommandId.monitorTelemetry,
  async run({ devices, iot, telemetry, signIn }, arg) {
    const link = await linkFromArg(devices.model, iot, arg, 'Monitor the telemetry of which hub link?');
    return telemetry.open(link, (await signIn.getClients()).transport);
  },
};
