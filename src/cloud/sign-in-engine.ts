// Sign-in with msal-node's PublicClientApplication: interactive (system browser + loopback form_post redirect),
// device code, silent acquisition with refresh, sign-out. Everything editor-specific is injected — the browser
// opener, the device-code UI and the SecretStore holding the token cache — so the VS Code AuthenticationProvider
// is a thin adapter over this class. No token ever reaches a log line or an error message.
import * as http from 'node:http';
import {
  AuthError,
  InteractionRequiredAuthError,
  LogLevel,
  ProtocolMode,
  PublicClientApplication,
  ServerError,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type DeviceCodeRequest,
} from '@azure/msal-node';
import { throwIfAborted } from './abort';
import { CancelledError, CloudError } from './errors';
import { HttpsTransport } from './https-transport';
import type { Logger } from '../common/logger';
import { safeLogger } from './logger';
import { toDisposable, type IDisposable } from '../common/lifecycle';
import { MsalNetworkModule } from './msal-network-module';
import { isPersonalAccountRefusal, isPersonalAccountTenant, PersonalAccountError } from './personal-account';
import { redactSecrets } from './redact';
import type { SecretStore } from './secret-store';
import { authorityUrl, knownAuthoritiesFor, resolveCloudSettings, type CloudSettings } from './settings';
import { SecretStoreCachePlugin, tokenCacheKey } from './token-cache-plugin';

/** A signed-in account as the editor shows it; no secrets. */
export interface SignedInAccount {
  /** Stable ID (`<objectId>.<tenantId>`), usable as the session ID. */
  readonly id: string;
  /** Sign-in name, e.g. `ada@contoso.com`. */
  readonly username: string;
  readonly displayName: string;
  /** The user's home directory (Microsoft Entra tenant) ID. */
  readonly directoryId: string;
}

export interface AccessToken {
  /** The bearer token. Hand it to an Authorization header and nowhere else. */
  readonly token: string;
  readonly expiresOn: Date | undefined;
  readonly scopes: readonly string[];
  readonly account: SignedInAccount;
}

/** Anything that can give the API clients a bearer token for a set of scopes (the engine, or a test double). */
export interface AccessTokenProvider {
  getAccessToken(scopes: readonly string[], options?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<AccessToken>;
}

/** What the device-code UI is given: show the code, offer "copy" and "open", close when `close` is called. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  /** The authority's own instruction sentence. */
  readonly message: string;
  readonly expiresOn: Date;
  /** Opens the verification page with the injected browser opener. */
  openVerificationPage(): Promise<void>;
}

/** Shows the prompt; may return a function that hides it again (called when the flow ends either way). */
export type DeviceCodeUi = (prompt: DeviceCodePrompt) => void | (() => void);

export interface SignInEngineOptions {
  readonly settings?: Partial<CloudSettings>;
  readonly secretStore: SecretStore;
  /** Opens a URL in the person's browser (VS Code: `env.openExternal`). */
  readonly openBrowser: (url: string) => Promise<void>;
  /** Shows a device code; required only for `signInWithDeviceCode`. */
  readonly showDeviceCode?: DeviceCodeUi;
  /** Extra CA (PEM) to trust, e.g. the local cloud emulator's. Ignored when `transport` is given. */
  readonly extraCaPem?: string | readonly string[];
  /** Share one transport with the API clients; otherwise the engine makes (and closes) its own. */
  readonly transport?: HttpsTransport;
  readonly logger?: Logger;
  /** Forward msal's verbose diagnostics (already PII-free) to the logger. */
  readonly verboseMsalLogging?: boolean;
}

/** Sign-in failed for a reason other than cancellation or a personal account; `message` is safe to show. */
export class SignInError extends CloudError {
  constructor(message: string, code: string) {
    super(message, code);
  }
}

/** There is no usable session: nobody signed in, or the refresh token was revoked/expired. */
export class SignInRequiredError extends CloudError {
  constructor(message: string) {
    super(message, 'sign_in_required');
  }
}

/** The marker our cancellation sends to msal's loopback listener, so its ServerError is recognisable. */
const CANCEL_ERROR_DESCRIPTION = 'sphere-explorer: sign-in cancelled';

export class SignInEngine implements AccessTokenProvider {
  readonly settings: CloudSettings;
  private pca: PublicClientApplication;
  private readonly pcaConfig: Configuration;
  private readonly network: MsalNetworkModule;
  private readonly transport: HttpsTransport;
  private readonly ownsTransport: boolean;
  private readonly log: Logger;
  private readonly cacheKey: string;
  /** The account chosen by the last sign-in in this process; otherwise the first cached account is used. */
  private preferredAccountId: string | undefined;
  /**
   * The last token per account and scope set. msal's silent call reads and writes the whole persisted cache each
   * time (about a millisecond); API clients ask for a token per request, so a still-fresh token is reused here.
   */
  private readonly recentTokens = new Map<string, AccessToken>();
  private readonly accountListeners = new Set<(accounts: SignedInAccount[]) => void>();

  constructor(private readonly options: SignInEngineOptions) {
    this.settings = resolveCloudSettings(options.settings);
    this.log = safeLogger(options.logger);
    this.ownsTransport = !options.transport;
    this.transport = options.transport ?? new HttpsTransport({ extraCaPem: options.extraCaPem });
    this.cacheKey = tokenCacheKey(this.settings.authorityHost, this.settings.clientId);
    const log = this.log;
    this.network = new MsalNetworkModule(this.transport);
    const config: Configuration = {
      auth: {
        clientId: this.settings.clientId,
        authority: authorityUrl(this.settings),
        knownAuthorities: knownAuthoritiesFor(this.settings),
      },
      cache: { cachePlugin: new SecretStoreCachePlugin(options.secretStore, this.cacheKey) },
      system: {
        protocolMode: ProtocolMode.AAD,
        networkClient: this.network,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: options.verboseMsalLogging ? LogLevel.Verbose : LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return;
            log[level <= LogLevel.Error ? 'error' : level === LogLevel.Warning ? 'warn' : 'debug'](`msal: ${message}`);
          },
        },
      },
    };
    this.pcaConfig = config;
    this.pca = new PublicClientApplication(config);
  }

  /** Signs in through the system browser; the redirect comes back to msal's loopback listener as a form_post. */
  async signInInteractive(options: { loginHint?: string; scopes?: readonly string[]; signal?: AbortSignal } = {}): Promise<SignedInAccount> {
    throwIfAborted(options.signal);
    const cancel = new LoopbackCanceller(options.signal);
    try {
      const result = await this.pca.acquireTokenInteractive({
        scopes: [...(options.scopes ?? this.settings.apiScopes)],
        loginHint: options.loginHint,
        prompt: options.loginHint ? undefined : 'select_account',
        openBrowser: async (url) => {
          cancel.armFor(url);
          this.log.info(`Opening the browser for sign-in at ${new URL(url).origin}.`);
          await this.options.openBrowser(url);
        },
        successTemplate: 'Signed in to Sphere Explorer. You can close this window and return to the editor.',
        errorTemplate: 'Sign-in did not complete. Return to the editor for details.',
      });
      const account = await this.accept(result);
      await this.notifyAccountsChanged();
      return account;
    } catch (err) {
      if (cancel.fired || options.signal?.aborted) throw new CancelledError('Sign-in was cancelled.');
      throw this.translate(err, 'interactive');
    } finally {
      cancel.dispose();
    }
  }

  /** Signs in with a device code shown through the injected UI; polls the authority until approved, expired or cancelled. */
  async signInWithDeviceCode(options: { scopes?: readonly string[]; signal?: AbortSignal } = {}): Promise<SignedInAccount> {
    const ui = this.options.showDeviceCode;
    if (!ui) throw new SignInError('Device-code sign-in needs a way to show the code (showDeviceCode was not provided).', 'no_device_code_ui');
    throwIfAborted(options.signal);
    const shown: { close?: () => void } = {};
    const request: DeviceCodeRequest = {
      scopes: [...(options.scopes ?? this.settings.apiScopes)],
      deviceCodeCallback: (response) => {
        this.log.info('Showing a device code for sign-in.');
        const close = ui({
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          message: response.message,
          expiresOn: new Date(Date.now() + response.expiresIn * 1000),
          openVerificationPage: () => this.options.openBrowser(response.verificationUri),
        });
        if (typeof close === 'function') shown.close = close;
      },
    };
    // msal checks `request.cancel` before each poll; flipping it is its supported way to stop.
    const onAbort = (): void => {
      request.cancel = true;
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.pca.acquireTokenByDeviceCode(request);
      if (!result) throw new SignInError('Device-code sign-in returned no result.', 'no_result');
      const account = await this.accept(result);
      await this.notifyAccountsChanged();
      return account;
    } catch (err) {
      if (options.signal?.aborted) throw new CancelledError('Sign-in was cancelled.');
      throw this.translate(err, 'device code');
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      shown.close?.();
    }
  }

  /**
   * Called with the accounts after this engine signs someone in or out (an AuthenticationProvider turns it into
   * onDidChangeSessions). Changes made by another window show up through the SecretStore on the next access.
   */
  onDidChangeAccounts(listener: (accounts: SignedInAccount[]) => void): IDisposable {
    this.accountListeners.add(listener);
    return toDisposable(() => void this.accountListeners.delete(listener));
  }

  /**
   * Tells the engine the SecretStore entry was changed by someone else (VS Code: SecretStorage.onDidChange for
   * another window's sign-in or sign-out): drops reused tokens and reports the accounts now stored.
   */
  async handleExternalCacheChange(): Promise<void> {
    this.recentTokens.clear();
    this.preferredAccountId = undefined;
    // msal only ever merges a loaded cache into memory; a fresh client starts from exactly what is stored.
    this.pca = new PublicClientApplication(this.pcaConfig);
    await this.notifyAccountsChanged();
  }

  private async notifyAccountsChanged(): Promise<void> {
    if (this.accountListeners.size === 0) return;
    const accounts = await this.getAccounts();
    for (const listener of [...this.accountListeners]) {
      try {
        listener(accounts);
      } catch (err) {
        this.log.warn(`An account-change listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Accounts in the persisted cache (also after a restart). */
  async getAccounts(): Promise<SignedInAccount[]> {
    const accounts = await this.pca.getAllAccounts();
    return accounts.map(toSignedInAccount);
  }

  /** The account tokens are issued for, or undefined when nobody is signed in. */
  async currentAccount(): Promise<SignedInAccount | undefined> {
    const info = await this.currentAccountInfo();
    return info ? toSignedInAccount(info) : undefined;
  }

  /**
   * A token for `scopes` from the cache, refreshed with the refresh token when it is (nearly) expired or
   * `forceRefresh` is set. Never shows UI: throws SignInRequiredError when a new sign-in is needed.
   */
  async getAccessToken(scopes: readonly string[], options: { forceRefresh?: boolean; signal?: AbortSignal } = {}): Promise<AccessToken> {
    throwIfAborted(options.signal);
    const memoKey = `${this.preferredAccountId ?? ''}|${[...scopes].sort().join(' ')}`;
    const recent = this.recentTokens.get(memoKey);
    if (recent && !options.forceRefresh && this.preferredAccountId && isFresh(recent)) return recent;
    const account = await this.currentAccountInfo();
    if (!account) throw new SignInRequiredError('You are not signed in to Azure Sphere. Sign in first.');
    let result: AuthenticationResult;
    try {
      result = await this.pca.acquireTokenSilent({ account, scopes: [...scopes], forceRefresh: options.forceRefresh ?? false });
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError || (err instanceof ServerError && err.errorCode === 'invalid_grant')) {
        // invalid_grant on the refresh-token grant: the refresh token expired or was revoked.
        throw new SignInRequiredError(`Your Azure Sphere sign-in for ${account.username} has expired or was revoked. Sign in again.`);
      }
      throw this.translate(err, 'silent');
    }
    throwIfAborted(options.signal);
    const signedIn = await this.accept(result);
    const token: AccessToken = { token: result.accessToken, expiresOn: result.expiresOn ?? undefined, scopes: result.scopes, account: signedIn };
    this.recentTokens.set(`${signedIn.id}|${[...scopes].sort().join(' ')}`, token);
    return token;
  }

  /** Removes the account (default: the current one) and its tokens from the cache and the SecretStore. */
  async signOut(accountId?: string): Promise<void> {
    const accounts = await this.pca.getAllAccounts();
    const targets = accountId ? accounts.filter((a) => a.homeAccountId === accountId) : await this.currentAccountInfo().then((a) => (a ? [a] : []));
    for (const account of targets) {
      await this.pca.signOut({ account });
      this.log.info(`Signed out ${account.username}.`);
    }
    if (!accountId || accountId === this.preferredAccountId) this.preferredAccountId = undefined;
    this.recentTokens.clear();
    if (targets.length > 0) await this.notifyAccountsChanged();
  }

  /** Releases network resources (the transport, if the engine created it). */
  dispose(): void {
    if (this.ownsTransport) this.transport.close();
  }

  private async currentAccountInfo(): Promise<AccountInfo | undefined> {
    const accounts = await this.pca.getAllAccounts();
    return accounts.find((a) => a.homeAccountId === this.preferredAccountId) ?? accounts[0];
  }

  /** Refuses a personal account (and forgets its tokens), otherwise makes the account current. */
  private async accept(result: AuthenticationResult): Promise<SignedInAccount> {
    const account = result.account;
    if (!account) throw new SignInError('The authority returned tokens without an account.', 'no_account');
    if (isPersonalAccountTenant(result.tenantId) || isPersonalAccountTenant(account.tenantId)) {
      await this.pca.signOut({ account });
      throw new PersonalAccountError(account.username || undefined);
    }
    if (this.preferredAccountId !== account.homeAccountId) this.recentTokens.clear();
    this.preferredAccountId = account.homeAccountId;
    return toSignedInAccount(account);
  }

  private translate(err: unknown, flow: string): Error {
    if (err instanceof CloudError || err instanceof CancelledError) return err;
    if (err instanceof AuthError) {
      // Prefer what the authority itself said: some msal paths keep only the bare error code.
      const seen = this.network.authorityErrorFor(err.correlationId);
      if (isPersonalAccountRefusal(seen?.error ?? err.errorCode, seen?.description ?? err.errorMessage)) return new PersonalAccountError();
      const host = new URL(this.settings.authorityHost).host;
      const detail = redactSecrets(err.errorMessage || err.message);
      this.log.warn(`Sign-in (${flow}) failed: ${err.errorCode}: ${detail}`);
      switch (err.errorCode) {
        case 'endpoints_resolution_error':
          return new SignInError(`Could not reach the sign-in authority ${host} or read its configuration. Check the network and the authority host setting.`, err.errorCode);
        case 'expired_token':
        case 'code_expired':
          return new SignInError('The device code expired before sign-in was completed. Start the sign-in again.', err.errorCode);
        case 'access_denied':
          return new SignInError(`The sign-in authority refused the sign-in: ${detail}`, err.errorCode);
        default:
          return new SignInError(`Sign-in failed (${err.errorCode}): ${detail}`, err.errorCode);
      }
    }
    const message = err instanceof Error ? err.message : String(err);
    return new SignInError(`Sign-in failed: ${redactSecrets(message)}`, 'unknown');
  }
}

/** msal renews a token 5 minutes before it expires; reuse one only while msal itself would. */
const RENEWAL_OFFSET_MS = 5 * 60_000;

function isFresh(token: AccessToken): boolean {
  return token.expiresOn !== undefined && token.expiresOn.getTime() - Date.now() > RENEWAL_OFFSET_MS;
}

function toSignedInAccount(account: AccountInfo): SignedInAccount {
  return { id: account.homeAccountId, username: account.username, displayName: account.name ?? account.username, directoryId: account.tenantId };
}

/**
 * Cancels an interactive sign-in that is waiting for the browser: msal's loopback listener has no cancel switch,
 * so we post it the same error response an authority would, carrying the request's own `state`.
 */
class LoopbackCanceller {
  fired = false;
  private target: { port: number; state: string } | undefined;
  private readonly onAbort = (): void => this.fire();

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  armFor(authorizeUrl: string): void {
    const url = new URL(authorizeUrl);
    const redirect = url.searchParams.get('redirect_uri');
    const state = url.searchParams.get('state');
    if (redirect && state) this.target = { port: Number(new URL(redirect).port), state };
    if (this.signal?.aborted) this.fire();
  }

  private fire(): void {
    if (!this.target || this.fired) return;
    this.fired = true;
    const body = new URLSearchParams({ error: 'access_denied', error_description: CANCEL_ERROR_DESCRIPTION, state: this.target.state }).toString();
    // msal listens on 127.0.0.1 (its redirect URI says localhost); talk to the address it actually bound.
    const req = http.request({ host: '127.0.0.1', port: this.target.port, method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    req.on('response', (res) => res.resume());
    req.on('error', () => undefined); // the listener may already be gone: nothing left to cancel
    req.end(body);
  }

  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
