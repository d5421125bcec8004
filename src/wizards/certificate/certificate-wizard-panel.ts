// Host side of the certificate-validation wizard: builds the vscode-free CertificateWizard for a tenant or catalog
// (the one the command resolved; after a window reload, the one the kept page names) with the signed-in clients and
// that scope's FleetBackend, supplies the save dialog, and translates between it and the page — each change of the
// wizard is posted as one `view` and persisted, so hiding or reloading brings the same page back.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { FleetScope } from '../../cloud/backend/fleet-backend';
import type { Services } from '../../services';
import { CertificateWizard, type SaveFileRequest } from './certificate-wizard';
import { CERTIFICATE_WIZARD_VIEW_TYPE, certificateContract, type CertificateState, type CertificateToHost, type CertificateToWebview, type CertificateView } from './certificate-contract';
import { WebviewPanelHost, type PanelContext } from '../../views/webview-panel-host';
import type { PanelKind } from '../../views/webview-panel-manager';

/** Set once possession of the tenant CA was proved in this window (walkthrough completion). */
export const CA_PROVEN_CONTEXT = 'sphereExplorer.caProven';

export class CertificateWizardPanel extends WebviewPanelHost<CertificateToWebview, CertificateToHost, CertificateState> {
  private wizard: Promise<CertificateWizard | undefined> | undefined;
  private lastView: CertificateView | undefined;
  private caProven = false;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly services: Services,
    context: PanelContext,
    /** The tenant or catalog the command resolved; undefined when VS Code revives the panel after a reload. */
    private scope: FleetScope | undefined,
  ) {
    super(panel, certificateContract, context, { entry: 'certificate' });
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'sphere.svg');
    if (scope) panel.title = panelTitle(scope);
  }

  /** The page as last sent (for tests and support). */
  get view(): CertificateView | undefined {
    return this.lastView;
  }

  /** The tenant or catalog the wizard works on now. */
  get currentScope(): FleetScope | undefined {
    return this.scope;
  }

  /** Opened again, for `scope`: the same one keeps its page; another starts over for it. */
  async openedFor(scope: FleetScope | undefined): Promise<void> {
    if (!scope || scope.id === this.scope?.id) return;
    this.scope = scope;
    this.panel.title = panelTitle(scope);
    this.wizard = this.createWizard(undefined);
    await (await this.wizard)?.start();
  }

  protected async onReady(state: CertificateState | undefined): Promise<void> {
    if (this.wizard) {
      const existing = await this.wizard;
      if (existing) this.show(existing.current());
      else if (this.lastView) this.show(this.lastView);
      return;
    }
    this.wizard = this.createWizard(state);
    await (await this.wizard)?.start();
  }

  protected async onMessage(message: CertificateToHost): Promise<void> {
    const wizard = await this.wizard;
    if (!wizard) {
      // Not signed in, or the tenant or catalog was not found, when the panel opened: try again now (the person may
      // have fixed it meanwhile).
      this.wizard = this.createWizard(this.lastView?.scopeId ? this.lastView : undefined);
      await (await this.wizard)?.start();
      return;
    }
    await wizard.handle(message);
  }

  protected override onError(err: unknown, message: CertificateToHost | undefined): void {
    super.onError(err, message);
    const view = this.lastView ?? emptyView(this.scope);
    this.show({ ...view, busy: undefined, error: { title: 'Something went wrong', message: err instanceof Error ? err.message : String(err), canRetry: false } });
  }

  private async createWizard(state: CertificateState | undefined): Promise<CertificateWizard | undefined> {
    const { tenants, signIn, log } = this.services;
    const scope = await this.resolveScope(state);
    if (!scope) return undefined;
    this.scope = scope;
    this.panel.title = panelTitle(scope);
    const [{ arm }, backend] = await Promise.all([signIn.getClients(), tenants.backendFor(scope)]);
    return new CertificateWizard(
      {
        scope,
        backend,
        arm,
        chooseSaveFile: (request) => chooseSaveFile(request),
        render: (view) => this.show(view),
        log: (line) => log.info(line),
      },
      state,
    );
  }

  /**
   * The scope to work on: the command's, else (after a reload) the one the kept page names, looked up again among
   * the account's tenants and catalogs, else the selected tenant. Undefined — with the page saying why — when there is none.
   */
  private async resolveScope(state: CertificateState | undefined): Promise<FleetScope | undefined> {
    const { tenants } = this.services;
    const signedIn = !!(await tenants.account());
    const kept = state ? { id: state.scopeId, name: state.scopeName, kind: state.scopeKind } : undefined;
    if (!signedIn) {
      this.show({
        ...emptyView(this.scope ?? kept),
        error: { title: 'Sign in first', message: 'The wizard works on a tenant or catalog of your Azure Sphere account: sign in (Accounts view), then press Try Again.', canRetry: true },
      });
      return undefined;
    }
    if (this.scope) return this.scope;
    const wanted = kept?.id;
    if (wanted) {
      const found = (await tenants.scopes()).find((s) => s.id.toLowerCase() === wanted.toLowerCase());
      if (found) return found;
      this.show({
        ...emptyView(kept),
        error: { title: `${kept.kind === 'catalog' ? 'Catalog' : 'Tenant'} not found`, message: `The signed-in account no longer sees the ${kept.kind === 'catalog' ? 'catalog' : 'tenant'} "${kept.name}". Sign in with the account that holds it and press Try Again, or open the wizard from another tenant or catalog.`, canRetry: true },
      });
      return undefined;
    }
    const selected = await tenants.selectedTenant();
    if (selected) return (await tenants.scopes()).find((s) => s.id === selected.Id);
    this.show({
      ...emptyView(undefined),
      error: { title: 'Choose a tenant or catalog', message: 'Open the wizard from a tenant or catalog in the Accounts view (right-click → Validate CA Certificate), or select a tenant, then press Try Again.', canRetry: true },
    });
    return undefined;
  }

  private show(view: CertificateView): void {
    // The walkthrough's last step is done once a hub shows the CA verified, or a checked proof is saved for one.
    if (!this.caProven && (view.hubResult?.verified || view.proof)) {
      this.caProven = true;
      void vscode.commands.executeCommand('setContext', CA_PROVEN_CONTEXT, true);
    }
    this.lastView = view;
    this.post({ type: 'view', view });
    this.persist(view);
  }
}

function emptyView(scope: Pick<FleetScope, 'id' | 'name' | 'kind'> | undefined): CertificateView {
  return { step: 'certificates', scopeId: scope?.id ?? '', scopeKind: scope?.kind ?? 'legacy', scopeName: scope?.name ?? '', certificates: [], downloads: [] };
}

function panelTitle(scope: Pick<FleetScope, 'name' | 'kind'>): string {
  return `Validate CA Certificate — ${scope.name}`;
}

/** The save dialog, opening in the workspace folder (else the home folder) with the suggested name. */
async function chooseSaveFile(request: SaveFileRequest): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const uri = await vscode.window.showSaveDialog({
    title: request.title,
    defaultUri: vscode.Uri.joinPath(folder, request.suggestedName),
    filters: { ...request.filters },
    saveLabel: 'Save',
  });
  return uri?.fsPath;
}

export const certificateWizardPanel: PanelKind<Services, CertificateWizardPanel> = {
  viewType: CERTIFICATE_WIZARD_VIEW_TYPE,
  title: 'Validate CA Certificate',
  create: (panel, services, context, argument) => new CertificateWizardPanel(panel, services, context, argument as FleetScope | undefined),
  reopen: (existing, argument) => void existing.openedFor(argument as FleetScope | undefined),
};
