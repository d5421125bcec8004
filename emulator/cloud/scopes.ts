// Which resource (API) a scope string asks for, as Azure AD decides it: one resource per token, scopes written as
// `<resource URI>/<scope name>` or `<resource URI>/.default`; a bare name (User.Read) means Microsoft Graph.
import { aad, type AadError } from './aad-errors';

export const SPHERE_API_AUDIENCE = 'https://sphere.azure.net/api';
export const ARM_AUDIENCE = 'https://management.azure.com';
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

interface ResourceDefinition {
  audience: string;
  identifiers: string[];
  scopeNames: string[];
}

const RESOURCES: ResourceDefinition[] = [
  { audience: SPHERE_API_AUDIENCE, identifiers: [SPHERE_API_AUDIENCE, 'https://firstparty.sphere.azure.net/api'], scopeNames: ['user_impersonation'] },
  { audience: ARM_AUDIENCE, identifiers: [ARM_AUDIENCE, 'https://management.core.windows.net'], scopeNames: ['user_impersonation'] },
  { audience: GRAPH_AUDIENCE, identifiers: [GRAPH_AUDIENCE, '00000003-0000-0000-c000-000000000000'], scopeNames: ['User.Read', 'email', 'profile', 'openid'] },
];

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface ResolvedScopes {
  audience: string;
  /** The `scp` claim: scope names without the resource prefix. */
  scp: string;
  /** Echoed in the token response's `scope`, so msal files the token under what it asked for. */
  granted: string;
  offlineAccess: boolean;
}

export function resolveScopes(scopeParam: string, tenantLabel: string): ResolvedScopes | AadError {
  const requested = scopeParam.split(/\s+/).filter((s) => s.length > 0);
  let resource: ResourceDefinition | undefined;
  const names: string[] = [];
  const resourceScopes: string[] = [];
  for (const scope of requested) {
    if (OIDC_SCOPES.has(scope)) continue;
    const slash = scope.lastIndexOf('/');
    const identifier = slash === -1 ? GRAPH_AUDIENCE : scope.slice(0, slash).replace(/\/+$/, '');
    const name = slash === -1 ? scope : scope.slice(slash + 1);
    const found = RESOURCES.find((r) => r.identifiers.some((id) => id.toLowerCase() === identifier.toLowerCase()));
    if (!found) return aad.resourceNotFound(identifier, tenantLabel);
    if (resource && resource !== found) return aad.multipleResources(scopeParam);
    resource = found;
    if (name === '.default') names.push(...found.scopeNames.filter((n) => !OIDC_SCOPES.has(n)));
    else if (found.scopeNames.includes(name)) names.push(name);
    else return aad.invalidScope(scope);
    resourceScopes.push(scope);
  }
  const target = resource ?? RESOURCES[2]!;
  const scp = names.length > 0 ? [...new Set(names)].join(' ') : 'User.Read';
  const oidc = requested.filter((s) => OIDC_SCOPES.has(s));
  return {
    audience: target.audience,
    scp,
    granted: [...(resourceScopes.length > 0 ? resourceScopes : [`${GRAPH_AUDIENCE}/User.Read`]), ...oidc].join(' '),
    offlineAccess: requested.includes('offline_access'),
  };
}
