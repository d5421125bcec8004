// Owns the sign-in engine for the editor: builds it on first use (msal-node loads then, not at activation),
// rebuilds it when the cloud settings change, and reports account changes.
import * as vscode from 'vscode';
import type { SignedInAccount, SignInEngine } from '../cloud/signInEngine';
import { Disposable, toDisposable } from '../common/lifecycle';
import { CLOUD_SECTION, readCloudConfiguration } from './cloudConfiguration';
import { secretStorageStore } from './secretStorageStore';

export class SignInService extends Disposable {
  private engine: Promise<SignInEngine> | undefined;
  private readonly _onDidChangeAccounts = this._register(new vscode.EventEmitter<SignedInAccount[]>());
  /** Fires after a sign-in or sign-out here, in another window, or when the settings point elsewhere. */
  readonly onDidChangeAccounts = this._onDidChangeAccounts.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(CLOUD_SECTION)) {
          this.log.info('Cloud settings changed: the next sign-in uses them');
          void this.reset();
        }
      }),
    );
    this._register(
      secrets.onDidChange(async () => {
        // Another window signed in or out: the shared cache changed under us.
        const engine = await this.engine?.catch(() => undefined);
        await engine?.handleExternalCacheChange();
      }),
    );
    this._register(toDisposable(() => void this.engine?.then((e) => e.dispose(), () => undefined)));
  }

  /** The engine for the current settings. Throws a clear error for bad settings. */
  getEngine(): Promise<SignInEngine> {
    this.engine ??= this.createEngine();
    this.engine.catch(() => (this.engine = undefined));
    return this.engine;
  }

  private async createEngine(): Promise<SignInEngine> {
    const { settings, extraCaPem } = readCloudConfiguration();
    // Loaded here, on first use, so activation does not pay for msal-node. (A dynamic import of our own
    // TypeScript names the emitted .js file; esbuild bundles it into the host bundle, evaluated lazily.)
    const { SignInEngine } = await import('../cloud/signInEngine.js');
    const engine = new SignInEngine({
      settings,
      extraCaPem,
      secretStore: secretStorageStore(this.secrets),
      openBrowser: async (url) => {
        await vscode.env.openExternal(vscode.Uri.parse(url, true));
      },
      showDeviceCode: (prompt) => showDeviceCode(prompt),
      logger: (level, message) => this.log[level](message),
    });
    engine.onDidChangeAccounts((accounts) => this._onDidChangeAccounts.fire(accounts));
    this.log.info(`Signing in at ${engine.settings.authorityHost}/${engine.settings.tenant}`);
    return engine;
  }

  /** Drops the engine; if there was one, builds the next from the current settings and reports its accounts. */
  private async reset(): Promise<void> {
    const previous = this.engine;
    this.engine = undefined;
    const engine = await previous?.catch(() => undefined);
    if (!engine) return;
    engine.dispose();
    if (this.isDisposed) return;
    try {
      this._onDidChangeAccounts.fire(await (await this.getEngine()).getAccounts());
    } catch (err) {
      this.log.warn(`The new cloud settings cannot be used: ${err instanceof Error ? err.message : String(err)}`);
      this._onDidChangeAccounts.fire([]);
    }
  }
}

/** Shows a device code until the flow ends: a progress notification with the code, and copy/open actions. */
function showDeviceCode(prompt: import('../cloud/signInEngine').DeviceCodePrompt): () => void {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Azure Sphere sign-in: enter code ${prompt.userCode} at ${prompt.verificationUri}`,
    },
    () => done,
  );
  const copyAndOpen = 'Copy Code and Open Browser';
  void vscode.window
    .showInformationMessage(`To sign in, open ${prompt.verificationUri} and enter the code ${prompt.userCode}.`, copyAndOpen)
    .then(async (picked) => {
      if (picked === copyAndOpen) {
        await vscode.env.clipboard.writeText(prompt.userCode);
        await prompt.openVerificationPage();
      }
    });
  return finish;
}
