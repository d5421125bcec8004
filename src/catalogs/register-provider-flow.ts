// A subscription where Microsoft.AzureSphere is not registered can hold no catalog: the Accounts view says so on a
// row, and this registers the provider there (what `az provider register --namespace Microsoft.AzureSphere` does) after
// asking, with progress until ARM says Registered; ARM itself decides whether the account may (Owner or Contributor
// of the subscription).
import * as vscode from 'vscode';
import { AZURE_SPHERE_NAMESPACE } from '../cloud/arm-sphere/arm-errors';
import { requireSubscriptionId } from '../cloud/arm-sphere/arm-names';
import type { SignInService } from '../auth/sign-in-service';
import { CancelledError, UserFacingError } from '../common/errors';
import { progressMessage } from '../fleet/operation-progress';
import type { TenantModel } from '../tenants/tenant-model';

export const REGISTER = 'Register';

export async function registerAzureSphereProvider(signIn: SignInService, tenants: TenantModel, log: vscode.LogOutputChannel, arg: unknown): Promise<string> {
  const given = (arg && typeof arg === 'object' ? arg : {}) as { subscriptionId?: string; subscriptionName?: string };
  if (!given.subscriptionId) throw new UserFacingError('Run this on a subscription row of the Accounts view ("… cannot hold catalogs yet").');
  const subscriptionId = requireSubscriptionId(given.subscriptionId);
  const name = given.subscriptionName ?? subscriptionId;
  const answer = await vscode.window.showWarningMessage(
    `Register the ${AZURE_SPHERE_NAMESPACE} resource provider in subscription ${name}?`,
    { modal: true, detail: 'Once per subscription: then Azure Sphere catalogs can be created and listed there. It needs the Owner or Contributor role on the subscription.' },
    REGISTER,
  );
  if (answer !== REGISTER) throw new CancelledError();
  const { armSphere } = await signIn.getClients();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Registering ${AZURE_SPHERE_NAMESPACE} in ${name}` }, (progress) =>
    armSphere.registerProvider(subscriptionId, { onProgress: (p) => progress.report({ message: progressMessage(p) }) }),
  );
  log.info(`Registered ${AZURE_SPHERE_NAMESPACE} in subscription ${name} (${subscriptionId}).`);
  tenants.refresh();
  void vscode.window.showInformationMessage(`${AZURE_SPHERE_NAMESPACE} is registered in ${name}: its catalogs are listed in the Accounts view.`);
  return subscriptionId;
}
