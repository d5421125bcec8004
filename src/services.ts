// What the composition root builds and hands to commands and views. Grows with each feature.
import type * as vscode from 'vscode';
import type { SignInService } from './auth/sign-in-service';
import type { SphereAuthenticationProvider } from './auth/sphere-authentication-provider';
import type { LocalServices } from './local/local-services';
import type { ClaimStatus } from './tenants/claim-status';
import type { TenantModel } from './tenants/tenant-model';
import type { DeviceSide } from './boards';
import type { FleetModel } from './fleet/fleet-model';
import type { IotModel } from './iot/iot-model';
import type { TelemetryMonitor } from './iot/telemetry-monitor';
import type { WebviewPanelManager } from './views/webview-panel-manager';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly signIn: SignInService;
  readonly authProvider: SphereAuthenticationProvider;
  readonly localServices: LocalServices;
  readonly tenants: TenantModel;
  /** Where each board is claimed, as data: the one cache the Devices view and the claim wizard share. */
  readonly claims: ClaimStatus;
  /** Attached boards, the selected one, its Wi-Fi (src/boards). */
  readonly devices: DeviceSide;
  /** Each tenant's products, device groups, devices, deployments and images, as read (src/fleet). */
  readonly fleet: FleetModel;
  /** Boards on IoT hubs: the links made here and each hub's view of the board (src/iot). */
  readonly iot: IotModel;
  /** "Monitor Telemetry" editors. */
  readonly telemetry: TelemetryMonitor;
  /** Webview panels (wizards): one per kind, revived after a reload (src/views). */
  readonly panels: WebviewPanelManager<Services>;
}
