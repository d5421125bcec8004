// The VS Code side of boards, built once by the composition root and handed to commands, views and the status bar.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { DeviceModel } from './device-model';
import { DeviceReports } from './device-reports';
import { GlobalStatePinStore } from './global-state-pin-store';
import { WifiModel } from './wifi-model';

export { AttachedBoard, type BoardFacts } from './attached-board';
export { DeviceModel, BOARD_ATTACHED_CONTEXT, BOARD_SELECTED_CONTEXT } from './device-model';
export { WifiModel, type WifiStatusSnapshot } from './wifi-model';
export { resolveBoard, isBoardTarget, type BoardTarget, NO_BOARD_MESSAGE } from './board-picker';
export { resolveNetwork, isNetworkTarget, type NetworkTarget } from './network-picker';
export { onBoard, boardError } from './device-errors';

/** True while the selected board is connected to Wi-Fi (the walkthrough's Wi-Fi step completes on it). */
export const WIFI_CONNECTED_CONTEXT = 'sphereExplorer.wifiConnected';

export class DeviceSide extends Disposable {
  readonly model: DeviceModel;
  readonly wifi: WifiModel;
  readonly reports: DeviceReports;

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    super();
    this.model = this._register(new DeviceModel({ pinStore: new GlobalStatePinStore(context.globalState), log }));
    this.wifi = this._register(new WifiModel(this.model));
    this.reports = this._register(new DeviceReports());
    let connected = false;
    this._register(
      this.wifi.onDidChangeStatus((snapshot) => {
        if ((snapshot?.kind === 'connected') === connected) return;
        connected = !connected;
        void vscode.commands.executeCommand('setContext', WIFI_CONNECTED_CONTEXT, connected);
      }),
    );
  }
}
