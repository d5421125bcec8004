// Persists msal's token cache through an injected SecretStore: load before each cache access, save after a change.
// When the last account is gone (sign-out) the entry is deleted rather than left as an empty shell.
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { SecretStore } from './secret-store';

export class SecretStoreCachePlugin implements ICachePlugin {
  constructor(
    private readonly store: SecretStore,
    /** One key per environment (authority host + client ID): the host, port included, is part of account identity. */
    readonly key: string,
  ) {}

  /**
   * Loads the stored cache. msal merges it into its in-memory cache (it never drops entries), so an account removed
   * by another window stays in memory until the engine is told (SignInEngine.handleExternalCacheChange).
   */
  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const saved = await this.store.get(this.key);
    if (saved) context.tokenCache.deserialize(saved);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const serialized = context.tokenCache.serialize();
    if (holdsNoAccounts(serialized)) {
      await this.store.delete(this.key);
    } else {
      await this.store.store(this.key, serialized);
    }
  }
}

function holdsNoAccounts(serialized: string): boolean {
  try {
    const parsed = JSON.parse(serialized) as Record<string, Record<string, unknown> | undefined>;
    return ['Account', 'RefreshToken', 'AccessToken', 'IdToken'].every((section) => Object.keys(parsed[section] ?? {}).length === 0);
  } catch {
    return false;
  }
}

/** The SecretStore key for one environment's token cache. */
export function tokenCacheKey(authorityHost: string, clientId: string): string {
  return `sphere-explorer.token-cache:${new URL(authorityHost).host.toLowerCase()}:${clientId.toLowerCase()}`;
}
