// Azure Sphere only works with work or school (Microsoft Entra ID) accounts. A personal Microsoft account is
// recognised by its fixed tenant (the `tid` of learn.microsoft.com/entra/identity-platform/id-token-claims-reference)
// and gets an explanation of what to use instead.
import { CloudError } from './errors';

/** The tenant every personal Microsoft account (outlook.com, hotmail.com, live.com) belongs to. */
export const PERSONAL_ACCOUNT_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export function isPersonalAccountTenant(tenantId: string | undefined): boolean {
  return (tenantId ?? '').toLowerCase() === PERSONAL_ACCOUNT_TENANT_ID;
}

/** The explanation shown when a personal account signs in (or is refused by the `/organizations` authority). */
export function personalAccountMessage(username?: string): string {
  const who = username ? ` (${username})` : '';
  return (
    `You signed in with a personal Microsoft account${who}. Azure Sphere needs a work or school account ` +
    '(Microsoft Entra ID); personal accounts such as outlook.com, hotmail.com or live.com addresses cannot be used. ' +
    'Sign in with the account your organization gave you, or ask your administrator for one. ' +
    'Without an organization, create a free Microsoft Entra tenant (https://learn.microsoft.com/entra/fundamentals/create-new-tenant), ' +
    'add a user to it, and sign in with that work account.'
  );
}

export class PersonalAccountError extends CloudError {
  constructor(readonly username?: string) {
    super(personalAccountMessage(username), 'personal_account');
  }
}

/**
 * True when an authority refusal is AAD saying "this personal account is not allowed here" (AADSTS50020 from
 * `/organizations`, naming live.com or the personal-account tenant), as opposed to any other access_denied.
 */
export function isPersonalAccountRefusal(errorCode: string, description: string): boolean {
  if (errorCode !== 'access_denied' && errorCode !== 'invalid_grant' && errorCode !== 'unauthorized_client') return false;
  const text = description.toLowerCase();
  if (text.includes(PERSONAL_ACCOUNT_TENANT_ID)) return true;
  // AADSTS50020 alone also covers a work account from another directory; only a personal-account hint makes it ours.
  return text.includes('aadsts50020') && (text.includes('live.com') || text.includes('personal') || text.includes('microsoft account'));
}
