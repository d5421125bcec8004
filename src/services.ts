// What the composition root builds and hands to commands and views. Grows with each feature.
import type * as vscode from 'vscode';
import type { SignInService } from './auth/signInService';
import type { SphereAuthenticationProvider } from './auth/sphereAuthenticationProvider';
import type { LocalServices } from './local/localServices';
import type { TenantModel } from './tenants/tenantModel';
import type { DeviceSide } from './devices';
import type { WebviewPanels } from './views/webviewPanels';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly signIn: SignInService;
  readonly authProvider: SphereAuthenticationProvider;
  readonly localServices: LocalServices;
  readonly tenants: TenantModel;
  /** Attached boards, the selected one, its Wi-Fi (src/devices). */
  readonly devices: DeviceSide;
  /** Webview panels (wizards): one per kind, revived after a reload (src/views). */
  readonly panels: WebviewPanels<Services>;
}
