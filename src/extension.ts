// Composition root: builds the services and registers the surfaces. Features live in their own modules.
// Heavy modules (serialport, msal-node, node-forge) are loaded by the services on first use, never here.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { SignInService } from './auth/sign-in-service';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, SphereAuthenticationProvider } from './auth/sphere-authentication-provider';
import { allCommands } from './commands';
import { registerCommands } from './common/command-registry';
import { trackCloudTarget } from './local/cloud-target-context';
import { LocalServices } from './local/local-services';
import { TenantModel } from './tenants/tenant-model';
import { ACCOUNTS_VIEW, AccountsTree } from './tree/accounts/accounts-tree';
import { renderTreeAsText } from './tree/tree-text';
import { registerRetryCommand, type TreeProviderBase } from './tree/tree-provider-base';
import { DeviceSide } from './boards';
import { ClaimStatus } from './tenants/claim-status';
import { trackSelectedBoardClaimed } from './tenants/board-claimed-context';
import { ClaimedDevicesSection } from './tree/devices/claimed-devices-node';
import { decorateBoardsWithClaimStatus } from './tree/devices/claim-status-decoration';
import { DevicesView, DEVICES_VIEW_ID } from './tree/devices/devices-view';
import { WifiView, WIFI_VIEW_ID } from './tree/wifi/wifi-view';
import { WifiStatusBar } from './statusbar/wifi-status-bar';
import { IotModel } from './iot/iot-model';
import { FleetModel } from './fleet/fleet-model';
import { readDeviceUpdateStatus } from './fleet/device-update-status';
import { registerLoadMoreGroupDevices } from './fleet/load-more-group-devices';
import { TelemetryMonitor } from './iot/telemetry-monitor';
import { addIotHubSection, iotHubSummary } from './tree/devices/iot-hub-section';
import { commandTitles } from './common/manifest';
import type { Services } from './services';
import { errorPresenter } from './views/error-presenter';
import { allPanelKinds } from './views/all-panel-kinds';
import { WebviewPanelManager } from './views/webview-panel-manager';

/** What activate() returns to other extensions and tests. */
export interface SphereExplorerApi {
  /** How long activate() took, in ms (reported by `npm run bench`). */
  readonly activationMs: number;
  /** What a view shows, as indented text lines (for tests and support reports); `under`: a node id to start below. */
  renderView(viewId: string, depth?: number, under?: string): Promise<string[]>;
}

export function activate(context: vscode.ExtensionContext): SphereExplorerApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Sphere Explorer', { log: true });
  context.subscriptions.push(log);
  const signIn = new SignInService(context.secrets, log);
  const authProvider = new SphereAuthenticationProvider(signIn);
  context.subscriptions.push(
    signIn,
    authProvider,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, authProvider),
  );
  const localServices = new LocalServices(context.extensionPath, context.globalStorageUri.fsPath, log);
  context.subscriptions.push(localServices, trackCloudTarget(), registerRetryCommand());
  const tenants = new TenantModel(signIn, context.globalState, log);
  // Boards are looked for only once a device view is shown or a command needs one (serialport loads then).
  const devices = new DeviceSide(context, log);
  const fleet = new FleetModel(tenants);
  const accountsTree = new AccountsTree(tenants, log, { fleet, readUpdateStatus: async (scope, d, g) => readDeviceUpdateStatus(await fleet.backend(scope), devices.model, scope, d, g) });
  context.subscriptions.push(tenants, fleet, accountsTree, registerLoadMoreGroupDevices(fleet));
  const devicesView = new DevicesView(devices.model, log);
  const wifiView = new WifiView(devices.model, devices.wifi, log);
  context.subscriptions.push(devices, devicesView, wifiView, new WifiStatusBar(devices.model, devices.wifi));
  const iot = new IotModel(signIn, tenants, context.globalState, log);
  const claimed = new ClaimedDevicesSection(tenants, (node) => devicesView.provider.refresh(node), (deviceId) => iotHubSummary(iot, deviceId));
  context.subscriptions.push(
    devicesView.addSection(claimed.provide),
    claimed.registerLoadMoreCommand(),
    tenants.onDidChangeDevices(() => claimed.reload()),
    tenants.onDidChange(() => devicesView.provider.refresh()),
  );
  const claimStatus = new ClaimStatus(tenants, log);
  context.subscriptions.push(claimStatus, decorateBoardsWithClaimStatus(devicesView, devices.model, claimStatus), trackSelectedBoardClaimed(devices.model, claimStatus));
  const telemetry = new TelemetryMonitor(iot);
  context.subscriptions.push(iot, telemetry, addIotHubSection(devicesView, { devices: devices.model, claims: claimStatus, iot }), iot.onDidChange((deviceId) => {
      // Only that device's row: a hub's state changes every few seconds while a board sends telemetry, and the list may hold thousands.
      const row = claimed.rowIdOf(deviceId);
      if (row) devicesView.provider.refreshById(row);
    }));
  const providers: Record<string, TreeProviderBase> = { [ACCOUNTS_VIEW]: accountsTree.provider, [DEVICES_VIEW_ID]: devicesView.provider, [WIFI_VIEW_ID]: wifiView.provider };
  const views: Record<string, vscode.TreeDataProvider<unknown>> = providers;
  const panels = new WebviewPanelManager<Services>({ extensionUri: context.extensionUri, log });
  const services: Services = { context, log, signIn, authProvider, localServices, tenants, claims: claimStatus, devices, fleet, iot, telemetry, panels };
  context.subscriptions.push(panels, ...panels.registerSerializers(allPanelKinds, services));

  context.subscriptions.push(
    ...registerCommands(allCommands, services, {
      register: (id, handler) => vscode.commands.registerCommand(id, handler),
      titleOf: commandTitles(context.extension.packageJSON),
      log,
      presenter: errorPresenter(log),
    }),
  );
  const activationMs = performance.now() - started;
  log.info(`Sphere Explorer ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    renderView: (viewId, depth, under) => {
      const provider = views[viewId];
      if (!provider) return Promise.reject(new Error(`no view ${viewId}`));
      const root = under === undefined ? undefined : providers[viewId]?.nodeById(under);
      if (under !== undefined && !root) return Promise.reject(new Error(`no node ${under} shown in ${viewId} yet`));
      return renderTreeAsText(provider, depth, root);
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
