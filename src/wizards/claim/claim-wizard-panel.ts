// Host side of the claim wizard: connects the plain-TypeScript wizard (src/wizards/claim) to the signed-in account,
// its tenants and catalogs, the attached boards and the fleet backend of each (security service or ARM), renders its view into the page after every change and
// keeps its state with the page so a reload resumes where the user was.
import * as vscode from 'vscode';
import { CommandId } from '../../commands/ids';
import { isBoardTarget } from '../../boards';
import { scopeDescription } from '../../fleet/fleet-target';
import type { Services } from '../../services';
import { ClaimWizard, type ClaimWizardDeps } from './claim-wizard';
import { CLAIM_WIZARD_VIEW_TYPE, claimContract, type ClaimWizardState, type NextStepAction } from './claim-contract';
import type { ToHostOf, ToWebviewOf } from '../../views/shared/contract';
import { WebviewPanelHost, type PanelContext } from '../../views/webview-panel-host';
import type { PanelKind } from '../../views/webview-panel-manager';

type ToWebview = ToWebviewOf<typeof claimContract>;
type ToHost = ToHostOf<typeof claimContract>;

export class ClaimWizardPanel extends WebviewPanelHost<ToWebview, ToHost, ClaimWizardState> {
  readonly wizard: ClaimWizard;
  private started: Promise<void> | undefined;
  private renderScheduled = false;
  private lastState = '';
  private certificateWizardExists = false;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly services: Services,
    context: PanelContext,
    private boardKey?: string,
  ) {
    super(panel, claimContract, context, { entry: 'claim' });
    this.wizard = new ClaimWizard(this.deps(), () => this.scheduleRender());
    const { tenants, devices } = services;
    this._register(tenants.onDidChange(() => void this.started?.then(() => this.wizard.reloadAccount())));
    this._register(devices.model.onDidChangeBoards(() => void this.started?.then(() => this.wizard.reloadBoards())));
    this._register(devices.model.onDidChangeBoard(() => void this.started?.then(() => this.wizard.reloadBoards())));
    void vscode.commands.getCommands(true).then((ids) => {
      this.certificateWizardExists = ids.includes(CommandId.validateCaCertificate);
      this.scheduleRender();
    });
  }

  /** Opened again (e.g. from another board's context menu). */
  preferBoard(boardKey: string): void {
    if (this.started) this.wizard.preferBoard(boardKey);
    else this.boardKey = boardKey;
  }

  protected async onReady(state: ClaimWizardState | undefined): Promise<void> {
    // The first page to say ready starts the wizard (from its kept state after a window reload); later ones — the
    // panel shown again after hiding — get the wizard as it is: the host's state is the newer one.
    this.started ??= this.wizard.start(state, this.boardKey);
    this.render();
    await this.started;
    this.render();
  }

  protected async onMessage(message: ToHost): Promise<void> {
    await this.started;
    switch (message.type) {
      case 'selectScope':
        return this.wizard.selectScope(message.scopeId);
      case 'selectProduct':
        return this.wizard.selectProduct(message.productId);
      case 'selectGroup':
        return this.wizard.selectGroup(message.groupId);
      case 'selectBoard':
        return this.wizard.selectBoard(message.boardKey);
      case 'next':
        return this.wizard.next();
      case 'back':
        return this.wizard.back();
      case 'confirm':
        return this.wizard.confirm(message.typedName);
      case 'refresh':
        return this.wizard.refresh();
      case 'signIn':
        await vscode.commands.executeCommand(CommandId.signIn);
        return;
      case 'nextStep':
        return this.nextStep(message.action);
    }
  }

  private async nextStep(action: NextStepAction): Promise<void> {
    const result = this.wizard.view().result;
    switch (action) {
      case 'claimAnother':
        return this.wizard.claimAnother();
      case 'close':
        return this.dispose();
      case 'wifi': {
        const board = this.services.devices.model.boards.find((b) => b.deviceId?.toUpperCase() === result?.deviceId.toUpperCase());
        await vscode.commands.executeCommand(CommandId.addWifiNetwork, board ? { boardKey: board.key } : undefined);
        return;
      }
      case 'certificate':
        // The certificate wizard on where the board was claimed: the tenant, or the catalog (by its resource ID).
        await vscode.commands.executeCommand(CommandId.validateCaCertificate, result ? { tenantId: result.scopeId } : undefined);
        return;
    }
  }

  private scheduleRender(): void {
    if (this.renderScheduled || this.isDisposed) return;
    this.renderScheduled = true;
    queueMicrotask(() => {
      this.renderScheduled = false;
      this.render();
    });
  }

  private render(): void {
    if (this.isDisposed) return;
    const state = this.wizard.state();
    const key = JSON.stringify(state);
    if (key !== this.lastState) {
      this.lastState = key;
      this.persist(state);
    }
    this.post({ type: 'render', view: this.wizard.view() });
  }

  private deps(): ClaimWizardDeps {
    const { tenants, devices, log } = this.services;
    return {
      account: async () => {
        const account = await tenants.account();
        return account && { username: account.username, displayName: account.displayName, directoryId: account.directoryId };
      },
      scopes: () => tenants.scopes(),
      describeScope: scopeDescription,
      selectedTenantId: async () => (await tenants.selectedTenant())?.Id,
      boards: async () => {
        await devices.model.start();
        return devices.model.boards.map((b) => ({
          key: b.key,
          name: b.descriptor.name,
          deviceId: b.deviceId,
          securityState: b.facts?.securityState,
          osVersion: b.facts?.osVersion,
          connection: b.connectionPath,
          problem: b.factsError,
        }));
      },
      claims: this.services.claims.locator,
      products: async (scope) => (await tenants.backendFor(scope)).listProducts(scope),
      deviceGroups: async (scope, productId) => (await tenants.backendFor(scope)).listDeviceGroups(scope, productId),
      claim: async (scope, deviceId, groupId) => {
        const where = `${scope.kind === 'catalog' ? 'catalog' : 'tenant'} ${scope.name}`;
        log.info(`Claiming device ${deviceId.slice(0, 16)}… into ${where} (${scope.id})${groupId ? ` and its device group ${groupId}` : ''}`);
        try {
          await (await tenants.backendFor(scope)).claimDevice(scope, deviceId, groupId ? { groupId } : {});
        } catch (err) {
          log.warn(`Claiming device ${deviceId.slice(0, 16)}… failed: ${err instanceof Error ? err.message : String(err)}`);
          // The tab was closed while the service worked: the result still reaches the user.
          if (this.isDisposed) void vscode.window.showErrorMessage(`Claiming the board into ${scope.name} failed: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
        log.info(`Successfully claimed device ID '${deviceId}' into ${scope.kind === 'catalog' ? 'catalog' : 'tenant'} '${scope.name}' with ID '${scope.id}'.`);
        if (this.isDisposed) void vscode.window.showInformationMessage(`The board is now claimed into ${scope.name}.`);
        // Views and the claim status learn where the board is now.
        tenants.refresh();
      },
      nextSteps: () => ({ wifi: true, certificate: this.certificateWizardExists }),
    };
  }
}

export const claimWizardPanel: PanelKind<Services, ClaimWizardPanel> = {
  viewType: CLAIM_WIZARD_VIEW_TYPE,
  title: 'Claim Device',
  create: (panel, services, context, argument) => new ClaimWizardPanel(panel, services, context, isBoardTarget(argument) ? argument.boardKey : undefined),
  reopen: (existing, argument) => {
    if (isBoardTarget(argument)) existing.preferBoard(argument.boardKey);
  },
};
