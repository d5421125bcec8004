import { signInWith } from '../auth/sign-in-flow';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Signs in with a device code, for a browser on another device (or none on this one). */
export const signInWithDeviceCode: CommandModule<Services> = {
  id: CommandId.signInWithDeviceCode,
  run: ({ authProvider, log }) => signInWith(authProvider, 'deviceCode', log),
};
