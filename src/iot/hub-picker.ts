// Picks an IoT hub or a DPS the signed-in account can reach through ARM (every subscription it sees), as the CA
// wizard lists them. A command given a hub (`{ hub: HubRef }`, from a tree node or a test) skips the question.
import * as vscode from 'vscode';
import type { ArmCertificateClient, HubRef } from '../cloud/arm-certificate-client';
import { CancelledError, UserFacingError } from '../common/errors';
import { listHubChoices, type HubChoice } from '../wizards/certificate/proof-in-one-go';

const WORDS: Record<HubRef['kind'], { plural: string; none: string }> = {
  iotHub: { plural: 'IoT hubs', none: 'No IoT hub in the subscriptions your account can see. Create one in the Azure portal (or `az iot hub create`), then try again.' },
  dps: { plural: 'provisioning services', none: 'No Device Provisioning Service in the subscriptions your account can see. Create one in the Azure portal (or `az iot dps create`), then try again.' },
};

export function hubFromArg(arg: unknown, kind: HubRef['kind'], key: 'hub' | 'dps' = kind === 'dps' ? 'dps' : 'hub'): HubRef | undefined {
  const ref = (arg as Record<string, unknown> | undefined)?.[key] as HubRef | undefined;
  return ref && ref.kind === kind && typeof ref.name === 'string' ? ref : undefined;
}

export async function pickHub(arm: ArmCertificateClient, kind: HubRef['kind'], title: string, only?: (choice: HubChoice) => boolean): Promise<HubRef> {
  const choices = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Looking for ${WORDS[kind].plural}…` }, () => listHubChoices(arm));
  const mine = choices.filter((c) => c.ref.kind === kind && (!only || only(c)));
  if (mine.length === 0) throw new UserFacingError(WORDS[kind].none);
  const picked = await vscode.window.showQuickPick(
    mine.map((c) => ({ label: c.label, description: c.description, choice: c })),
    { title, placeHolder: `Which of your ${WORDS[kind].plural}?`, ignoreFocusOut: true },
  );
  if (!picked) throw new CancelledError();
  return picked.choice.ref;
}
