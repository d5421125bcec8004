import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { telemetryUriFromArg } from '../iot/link-target';
import { CommandId } from './ids';

/** Stops the stream of the telemetry editor it is run from (its lines stay). */
export const stopTelemetryMonitor: CommandModule<Services> = {
  id: CommandId.stopTelemetryMonitor,
  run: ({ telemetry }, arg) => telemetry.stop(telemetryUriFromArg(arg)),
};
