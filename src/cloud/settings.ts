// The cloud settings the extension exposes (authority host, client ID, API endpoint, scopes), their defaults
// (the real Azure Sphere public client), and validation that turns a bad value into a clear message up front.
import { InvalidArgumentError } from './errors';

/** Plain fields so the editor layer can build a Partial<CloudSettings> of overrides; resolved values are frozen. */
export interface CloudSettings {
  /** Identity authority host, e.g. `https://login.microsoftonline.com` or the emulator's `https://127.0.0.1:PORT`. */
  authorityHost: string;
  /** Authority tenant segment: `organizations` (work or school accounts only), `common` or a directory GUID. */
  tenant: string;
  /** Public client application ID. */
  clientId: string;
  /** Security service API root, e.g. `https://prod.core.sphere.azure.net/` (a trailing `/v2` is accepted and dropped: requests name their version). */
  apiEndpoint: string;
  /** Scopes requested for the security service API. */
  apiScopes: readonly string[];
  /** Azure Resource Manager base URL (IoT Hub / DPS certificates). */
  armEndpoint: string;
  /** Scopes requested for ARM. */
  armScopes: readonly string[];
}

/** The Azure Sphere CLI's public client, API and scope (docs/cloud-api.md#client-ids-scopes-and-audiences); `/organizations` so AAD refuses personal accounts. */
export const DEFAULT_CLOUD_SETTINGS: CloudSettings = Object.freeze({
  authorityHost: 'https://login.microsoftonline.com',
  tenant: 'organizations',
  clientId: '0B1C8F7E-28D2-4378-97E2-7D7D63F7C87F',
  apiEndpoint: 'https://prod.core.sphere.azure.net/',
  apiScopes: Object.freeze(['https://sphere.azure.net/api/user_impersonation']),
  armEndpoint: 'https://management.azure.com/',
  armScopes: Object.freeze(['https://management.azure.com/user_impersonation']),
});

/**
 * Hosts msal knows by itself (its built-in alias list). Any other host must be listed in `knownAuthorities`,
 * otherwise msal asks login.microsoftonline.com for instance discovery, which a local authority cannot answer.
 */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_ALIASES = new Set(['organizations', 'common', 'consumers']);

function httpsBase(name: string, value: string, trailingSlash: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`Setting "${name}" is not a URL: "${value}".`);
  }
  if (url.protocol !== 'https:') {
    throw new InvalidArgumentError(`Setting "${name}" must be an https:// URL (tokens are never sent in the clear), got "${value}".`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new InvalidArgumentError(`Setting "${name}" must not contain a query, fragment or credentials: "${url.origin}${url.pathname}".`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}${trailingSlash ? '/' : ''}`;
}

function scopeList(name: string, scopes: readonly string[]): readonly string[] {
  if (scopes.length === 0) throw new InvalidArgumentError(`Setting "${name}" needs at least one scope.`);
  for (const scope of scopes) {
    if (!scope || /\s/.test(scope)) throw new InvalidArgumentError(`Setting "${name}" has an invalid scope: "${scope}".`);
  }
  return Object.freeze([...scopes]);
}

/** Fills defaults and validates; throws InvalidArgumentError naming the bad setting. */
export function resolveCloudSettings(overrides: Partial<CloudSettings> = {}): CloudSettings {
  const merged = { ...DEFAULT_CLOUD_SETTINGS, ...overrides };
  const authorityHost = httpsBase('authorityHost', merged.authorityHost, false);
  if (new URL(authorityHost).pathname !== '/') {
    throw new InvalidArgumentError(`Setting "authorityHost" must be a bare host such as https://login.microsoftonline.com, without a path: "${merged.authorityHost}".`);
  }
  const tenant = merged.tenant.trim();
  if (!TENANT_ALIASES.has(tenant.toLowerCase()) && !GUID.test(tenant) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenant)) {
    throw new InvalidArgumentError(`Setting "tenant" must be "organizations", "common", a directory GUID or a domain, got "${merged.tenant}".`);
  }
  if (!GUID.test(merged.clientId)) {
    throw new InvalidArgumentError(`Setting "clientId" must be an application (client) ID GUID, got "${merged.clientId}".`);
  }
  return Object.freeze({
    authorityHost,
    tenant,
    clientId: merged.clientId,
    apiEndpoint: httpsBase('apiEndpoint', merged.apiEndpoint.replace(/\/v2\/?$/i, '/'), true),
    apiScopes: scopeList('apiScopes', merged.apiScopes),
    armEndpoint: httpsBase('armEndpoint', merged.armEndpoint, true),
    armScopes: scopeList('armScopes', merged.armScopes),
  });
}

/** The full authority URL msal is configured with. */
export function authorityUrl(settings: CloudSettings): string {
  return `${settings.authorityHost}/${settings.tenant}`;
}

/** `knownAuthorities` for msal: empty for Microsoft's hosts (keeps msal's alias list), else the host with its port. */
export function knownAuthoritiesFor(settings: CloudSettings): string[] {
  const host = new URL(settings.authorityHost).host;
  return MICROSOFT_AUTHORITY_HOSTS.has(host.toLowerCase()) ? [] : [host];
}
