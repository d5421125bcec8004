import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { telemetryUriFromArg } from '../iot/link-target';
import { CommandId } from './ids';

/** Resumes a stopped telemetry editor's stream; new lines are added below the kept ones. */
export const resumeTelemetryMonitor: CommandModule<Services> = {
  id: CommandId.resumeTelemetryMonitor,
  run: ({ telemetry }, arg) => telemetry.resume(telemetryUriFromArg(arg)),
};
