// Sphere Explorer's sign-in as a VS Code authentication provider, so the account shows in the Accounts menu
// and other code asks vscode.authentication for sessions. A thin adapter over src/cloud's SignInEngine.
import * as vscode from 'vscode';
import type { SignedInAccount } from '../cloud/sign-in-engine';
import { Disposable } from '../common/lifecycle';
import type { SignInService } from './sign-in-service';

export const AUTH_PROVIDER_ID = 'sphereExplorer';
export const AUTH_PROVIDER_LABEL = 'Azure Sphere';

export type SignInMethod = 'browser' | 'deviceCode';

export class SphereAuthenticationProvider extends Disposable implements vscode.AuthenticationProvider {
  private readonly _onDidChangeSessions = this._register(new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
  readonly onDidChangeSessions = this._onDidChangeSessions.event;
  private known = new Map<string, SignedInAccount>();
  /** How the next createSession signs in; set by the sign-in commands, asked for otherwise. */
  nextMethod: SignInMethod | undefined;

  constructor(private readonly signIn: SignInService) {
    super();
    this._register(signIn.onDidChangeAccounts((accounts) => this.accountsChanged(accounts)));
  }

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    const engine = await this.signIn.getEngine();
    this.remember(await engine.getAccounts());
    if (!(await engine.currentAccount())) return [];
    try {
      const token = await engine.getAccessToken(scopesOrDefault(scopes, engine.settings.apiScopes));
      return [toSession(token.account, token.token, token.scopes)];
    } catch {
      return []; // the account must sign in again: no session to offer until then
    }
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const method = this.nextMethod ?? (await pickMethod());
    this.nextMethod = undefined;
    const engine = await this.signIn.getEngine();
    const wanted = scopesOrDefault(scopes, engine.settings.apiScopes);
    const account = await this.signIn.trackSignIn(async () => vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Signing in to Azure Sphere…', cancellable: true },
      (_progress, cancel) => {
        const abort = new AbortController();
        cancel.onCancellationRequested(() => abort.abort());
        return method === 'browser'
          ? engine.signInInteractive({ scopes: wanted, signal: abort.signal })
          : engine.signInWithDeviceCode({ scopes: wanted, signal: abort.signal });
      },
    ));
    const token = await engine.getAccessToken(wanted);
    return toSession(account, token.token, token.scopes);
  }

  async removeSession(sessionId: string): Promise<void> {
    const engine = await this.signIn.getEngine();
    await engine.signOut(sessionId);
  }

  private remember(accounts: SignedInAccount[]): void {
    this.known = new Map(accounts.map((a) => [a.id, a]));
  }

  private accountsChanged(accounts: SignedInAccount[]): void {
    const before = this.known;
    this.remember(accounts);
    const added = accounts.filter((a) => !before.has(a.id));
    const removed = [...before.values()].filter((a) => !this.known.has(a.id));
    if (added.length || removed.length) {
      this._onDidChangeSessions.fire({
        added: added.map((a) => toSession(a, '', [])),
        removed: removed.map((a) => toSession(a, '', [])),
        changed: [],
      });
    }
  }
}

/** No scopes asked for means the security service API's. */
function scopesOrDefault(scopes: readonly string[] | undefined, apiScopes: readonly string[]): readonly string[] {
  return scopes && scopes.length > 0 ? scopes : apiScopes;
}

function toSession(account: SignedInAccount, accessToken: string, scopes: readonly string[]): vscode.AuthenticationSession {
  return { id: account.id, accessToken, account: { id: account.id, label: account.username }, scopes };
}

async function pickMethod(): Promise<SignInMethod> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: '$(globe) Sign in with the browser', method: 'browser' as const },
      { label: '$(key) Sign in with a device code', description: 'for a browser on another device', method: 'deviceCode' as const },
    ],
    { title: 'Sign in to Azure Sphere with a work or school account', ignoreFocusOut: true },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.method;
}
