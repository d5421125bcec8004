import { signInWith } from '../auth/sign-in-flow';
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Signs in with a work or school account through the browser. */
export const signIn: CommandModule<Services> = {
  id: CommandId.signIn,
  run: ({ authProvider, log }) => signInWith(authProvider, 'browser', log),
};
