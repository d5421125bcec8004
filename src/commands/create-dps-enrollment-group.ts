import { join } from 'node:path';
import type { CommandModule } from '../common/command-registry';
import { createDpsEnrollmentGroup as enroll } from '../iot/dps-enrollment-flow';
import type { Services } from '../services';
import { CommandId } from './ids';

/** An X.509 enrollment group trusting the board's tenant CA, assigning to a linked hub; the board is linked through it. */
export const createDpsEnrollmentGroup: CommandModule<Services> = {
  id: CommandId.createDpsEnrollmentGroup,
  run: ({ context, devices, tenants, claims, iot, log }, arg) => enroll({ devices: devices.model, tenants, claims, iot, log, samplesDir: join(context.globalStorageUri.fsPath, 'samples') }, arg),
};
