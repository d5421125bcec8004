import { join } from 'node:path';
import type { CommandModule } from '../common/command-registry';
import { connectBoardToIotHub as connect } from '../iot/connect-board-flow';
import type { Services } from '../services';
import { CommandId } from './ids';

/** az iot hub device-identity create --am x509_ca, for the attached board: its lower-case device ID on a chosen hub. */
export const connectBoardToIotHub: CommandModule<Services> = {
  id: CommandId.connectBoardToIotHub,
  run: ({ context, devices, tenants, claims, iot, log }, arg) => connect({ devices: devices.model, tenants, claims, iot, log, samplesDir: join(context.globalStorageUri.fsPath, 'samples') }, arg),
};
