// The list of command modules the extension registers. Adding a command: a module here, its id in ids.ts,
// its entry in package.json (scripts/check-commands.mjs fails the build otherwise).
import type { CommandModule } from '../common/commandRegistry';
import type { Services } from '../services';
import { openSettings } from './openSettings';
import { showLog } from './showLog';
import { signIn } from './signIn';
import { signInWithDeviceCode } from './signInWithDeviceCode';
import { signOut } from './signOut';
import { refreshAccounts } from './refreshAccounts';
import { registerUser } from './registerUser';
import { selectTenant } from './selectTenant';
import { startLocalServices } from './startLocalServices';
import { stopLocalServices } from './stopLocalServices';

export const allCommands: readonly CommandModule<Services>[] = [showLog, openSettings, signIn, signInWithDeviceCode, signOut, selectTenant, refreshAccounts, registerUser, startLocalServices, stopLocalServices];
