// Host side of the certificate-validation wizard: builds the vscode-free CertificateWizard for the selected tenant
// with the signed-in clients, supplies the save dialog, and translates between it and the page — each change of the
// wizard is posted as one `view` and persisted, so hiding or reloading brings the same page back.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Services } from '../../services';
import { CertificateWizard, type SaveFileRequest } from './certificate-wizard';
import { CERTIFICATE_WIZARD_VIEW_TYPE, certificateContract, type CertificateState, type CertificateToHost, type CertificateToWebview, type CertificateView } from './certificate-contract';
import { WebviewPanelHost, type PanelContext } from '../../views/webview-panel-host';
import type { PanelKind } from '../../views/webview-panel-manager';

/** Set once possession of the tenant CA was proved in this window (walkthrough completion). */
export const CA_PROVEN_CONTEXT = 'sphereExplorer.caProven';

export class CertificateWizardPanel extends WebviewPanelHost<CertificateToWebview, CertificateToHost, CertificateState> {
  private wizard: Promise<CertificateWizard | undefined> | undefined;
  private tenantId: string | undefined;
  private lastView: CertificateView | undefined;
  private caProven = false;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly services: Services,
    context: PanelContext,
  ) {
    super(panel, certificateContract, context, { entry: 'certificate' });
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'sphere.svg');
  }

  /** The page as last sent (for tests and support). */
  get view(): CertificateView | undefined {
    return this.lastView;
  }

  /** Opened again: if another tenant is selected now, start over for it. */
  async tenantMayHaveChanged(): Promise<void> {
    const selected = await this.services.tenants.selectedTenant();
    if (selected && selected.Id !== this.tenantId) {
      this.wizard = this.createWizard(undefined);
      await (await this.wizard)?.start();
    }
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
      // Not signed in or no tenant when the panel opened: try again now (the person may have fixed it meanwhile).
      this.wizard = this.createWizard(undefined);
      await (await this.wizard)?.start();
      return;
    }
    await wizard.handle(message);
  }

  protected override onError(err: unknown, message: CertificateToHost | undefined): void {
    super.onError(err, message);
    const view = this.lastView ?? emptyView('');
    this.show({ ...view, busy: undefined, error: { title: 'Something went wrong', message: err instanceof Error ? err.message : String(err), canRetry: false } });
  }

  private async createWizard(state: CertificateState | undefined): Promise<CertificateWizard | undefined> {
    const { tenants, signIn, log } = this.services;
    const tenant = (await tenants.account()) ? await tenants.selectedTenant() : undefined;
    if (!tenant) {
      this.tenantId = undefined;
      this.show({
        ...emptyView(''),
        error: { title: 'Sign in and select a tenant', message: 'The wizard works on the selected Azure Sphere tenant: sign in (Accounts view), select a tenant, then press Try Again.', canRetry: true },
      });
      return undefined;
    }
    this.tenantId = tenant.Id;
    const { api, arm } = await signIn.getClients();
    return new CertificateWizard(
      {
        sphere: api,
        arm,
        tenant: { id: tenant.Id, name: tenant.Name },
        chooseSaveFile: (request) => chooseSaveFile(request),
        render: (view) => this.show(view),
        log: (line) => log.info(line),
      },
      state,
    );
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

function emptyView(tenantName: string): CertificateView {
  return { step: 'certificates', tenantName, certificates: [], downloads: [] };
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
  title: 'Validate Tenant CA Certificate',
  create: (panel, services, context) => new CertificateWizardPanel(panel, services, context),
  reopen: (existing) => void existing.tenantMayHaveChanged(),
};
