// Owns the editor's cloud clients — the sign-in engine and the security service and ARM clients, sharing one
// HTTPS transport that trusts the configured extra CA. Builds them on first use (msal-node and node-forge load
// then, not at activation), rebuilds them when the cloud settings change, and reports account changes and
// whether a sign-in is under way.
import * as vscode from 'vscode';
import type { ArmCertificateClient } from '../cloud/arm-certificate-client';
import type { HttpsTransport } from '../cloud/https-transport';
import type { ArmSphereClient } from '../cloud/arm-sphere/arm-sphere-client';
import type { FleetBackend } from '../cloud/backend/fleet-backend';
import type { SignedInAccount, SignInEngine } from '../cloud/sign-in-engine';
import type { SphereApiClient } from '../cloud/sphere-api-client';
import { Disposable, toDisposable } from '../common/lifecycle';
import { CLOUD_SECTION, readCloudConfiguration } from './cloud-configuration';
import { secretStorageStore } from './secret-storage-store';

export interface CloudClients {
  readonly engine: SignInEngine;
  readonly api: SphereApiClient;
  readonly arm: ArmCertificateClient;
  /** Azure Sphere (Legacy): tenants, over the security service client above. */
  readonly legacy: FleetBackend;
  /** Azure Sphere (Integrated): catalogs over ARM. */
  readonly catalogs: FleetBackend;
  /** The ARM client under it: subscriptions, resource groups and the provider's registration. */
  readonly armSphere: ArmSphereClient;
  readonly transport: HttpsTransport;
}

export class SignInService extends Disposable {
  private clients: Promise<CloudClients> | undefined;
  private signingIn = 0;
  private readonly _onDidChangeSigningIn = this._register(new vscode.EventEmitter<boolean>());
  /** Fires true when a sign-in starts and false when it ends (either way). */
  readonly onDidChangeSigningIn = this._onDidChangeSigningIn.event;
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
        const clients = await this.clients?.catch(() => undefined);
        await clients?.engine.handleExternalCacheChange();
      }),
    );
    this._register(toDisposable(() => void this.clients?.then(disposeClients, () => undefined)));
  }

  /** The clients for the current settings. Throws a clear error for bad settings. */
  getClients(): Promise<CloudClients> {
    this.clients ??= this.createClients();
    this.clients.catch(() => (this.clients = undefined));
    return this.clients;
  }

  async getEngine(): Promise<SignInEngine> {
    return (await this.getClients()).engine;
  }

  get isSigningIn(): boolean {
    return this.signingIn > 0;
  }

  /** Marks `flow` as a sign-in under way (the Accounts tree shows a spinner meanwhile). */
  async trackSignIn<T>(flow: () => Promise<T>): Promise<T> {
    if (this.signingIn++ === 0) this._onDidChangeSigningIn.fire(true);
    try {
      return await flow();
    } finally {
      if (--this.signingIn === 0) this._onDidChangeSigningIn.fire(false);
    }
  }

  private async createClients(): Promise<CloudClients> {
    const { settings, extraCaPem } = readCloudConfiguration();
    // Loaded here, on first use, so activation does not pay for msal-node and node-forge. (A dynamic import of
    // our own TypeScript names the emitted .js file; esbuild bundles it into the host bundle, evaluated lazily.)
    const cloud = await import('../cloud/index.js');
    const transport = new cloud.HttpsTransport({ extraCaPem });
    const engine = new cloud.SignInEngine({
      settings,
      transport,
      secretStore: secretStorageStore(this.secrets),
      openBrowser: async (url) => {
        await vscode.env.openExternal(vscode.Uri.parse(url, true));
      },
      showDeviceCode: (prompt) => showDeviceCode(prompt),
      logger: this.log,
    });
    engine.onDidChangeAccounts((accounts) => this._onDidChangeAccounts.fire(accounts));
    const api = new cloud.SphereApiClient({ settings, tokens: engine, transport, logger: this.log });
    const arm = new cloud.ArmCertificateClient({ settings, tokens: engine, transport, logger: this.log });
    const { ArmSphereClient } = await import('../cloud/arm-sphere/index.js');
    const { ArmFleetBackend, LegacyFleetBackend } = await import('../cloud/backend/index.js');
    const armSphere = new ArmSphereClient({ settings, tokens: engine, transport, logger: this.log });
    const catalogs = new ArmFleetBackend(armSphere);
    this.log.info(`Signing in at ${engine.settings.authorityHost}/${engine.settings.tenant}; API ${engine.settings.apiEndpoint}`);
    return { engine, api, arm, armSphere, legacy: new LegacyFleetBackend(api), catalogs, transport };
  }

  /** Drops the engine; if there was one, builds the next from the current settings and reports its accounts. */
  private async reset(): Promise<void> {
    const previous = this.clients;
    this.clients = undefined;
    const clients = await previous?.catch(() => undefined);
    if (!clients) return;
    disposeClients(clients);
    if (this.isDisposed) return;
    try {
      this._onDidChangeAccounts.fire(await (await this.getEngine()).getAccounts());
    } catch (err) {
      this.log.warn(`The new cloud settings cannot be used: ${err instanceof Error ? err.message : String(err)}`);
      this._onDidChangeAccounts.fire([]);
    }
  }
}

function disposeClients(clients: CloudClients): void {
  clients.engine.dispose();
  clients.transport.close();
}

/** Shows a device code until the flow ends: a progress notification with the code, and copy/open actions. */
function showDeviceCode(prompt: import('../cloud/sign-in-engine').DeviceCodePrompt): () => void {
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
