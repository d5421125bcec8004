// The tenant segment of an authority URL (/{t}/…) and whom it admits, as Azure AD gates sign-in:
// a directory GUID admits its own users; `organizations` every work/school user and no personal account;
// `consumers` personal accounts only; `common` everyone.
import { aad, type AadError } from './aad-errors';
import { PERSONAL_ACCOUNT_DIRECTORY_ID, type Directory, type State, type User } from './model';

export type Authority =
  | { kind: 'common' | 'organizations' | 'consumers'; segment: string }
  | { kind: 'directory'; segment: string; directory: Directory };

export function resolveAuthority(state: State, segment: string): Authority | undefined {
  const lower = segment.toLowerCase();
  if (lower === 'common' || lower === 'organizations' || lower === 'consumers') return { kind: lower, segment: lower };
  const directory = state.directories.get(lower);
  return directory ? { kind: 'directory', segment: lower, directory } : undefined;
}

/** The issuer (and tid) template Azure AD publishes for this authority. */
export function issuerTenantFor(authority: Authority): string {
  if (authority.kind === 'directory') return authority.directory.id;
  if (authority.kind === 'consumers') return PERSONAL_ACCOUNT_DIRECTORY_ID;
  return '{tenantid}';
}

export function identityProviderOf(user: User, baseUrl: string): string {
  return user.directoryId === PERSONAL_ACCOUNT_DIRECTORY_ID ? 'live.com' : `${baseUrl}/${user.directoryId}/`;
}

/** null when the authority admits the user; otherwise the AADSTS error Azure AD gives. */
export function gate(state: State, authority: Authority, user: User, clientId: string, baseUrl: string): AadError | null {
  const personal = user.directoryId === PERSONAL_ACCOUNT_DIRECTORY_ID;
  const idp = identityProviderOf(user, baseUrl);
  const msaName = state.directories.get(PERSONAL_ACCOUNT_DIRECTORY_ID)!.name;
  switch (authority.kind) {
    case 'common':
      return null;
    case 'organizations':
      return personal ? aad.userNotInTenant(idp, msaName, clientId) : null;
    case 'consumers':
      return personal ? null : aad.userNotInTenant(idp, msaName, clientId);
    case 'directory':
      return user.directoryId === authority.directory.id ? null : aad.userNotInTenant(idp, authority.directory.name, clientId);
  }
}
