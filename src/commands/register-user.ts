import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { UserFacingError } from '../common/errors';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Registers the signed-in user with Azure Sphere (azsphere register-user), which the service needs once. */
export const registerUser: CommandModule<Services> = {
  id: CommandId.registerUser,
  async run({ tenants, log }) {
    const account = await tenants.account();
    if (!account) throw new UserFacingError('Sign in to Azure Sphere first, then register your account.');
    const principal = await tenants.registerUser();
    log.info(`Registered ${principal.Mail} with Azure Sphere`);
    void vscode.window.showInformationMessage(`${principal.Mail} is registered with Azure Sphere.`);
  },
};
