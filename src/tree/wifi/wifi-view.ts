// The Wi-Fi Networks view: the selected board's configured networks. Its description names the board; with no board
// selected the tree is empty so the welcome text shows.
import * as vscode from 'vscode';
import type { DeviceModel, WifiModel } from '../../boards';
import { CommandId } from '../../commands/ids';
import { Disposable } from '../../common/lifecycle';
import { isDeviceError } from '../../device';
import { WIFI_INTERFACE_DISABLED } from '../../boards/wifi-indicator-state';
import { TreeProviderBase } from '../tree-provider-base';
import { MessageNode, type TreeNode } from '../tree-node';
import { WifiNetworkNode } from './wifi-network-node';

export const WIFI_VIEW_ID = 'sphereExplorer.wifi';

export class WifiView extends Disposable {
  readonly provider: TreeProviderBase;
  readonly treeView: vscode.TreeView<TreeNode>;

  constructor(
    private readonly devices: DeviceModel,
    private readonly wifi: WifiModel,
    log: vscode.LogOutputChannel,
  ) {
    super();
    this.provider = this._register(new TreeProviderBase(() => this.roots(), log));
    this.treeView = this._register(vscode.window.createTreeView(WIFI_VIEW_ID, { treeDataProvider: this.provider }));
    this._register(wifi.onDidChangeNetworks(() => this.provider.refresh()));
    this._register(devices.onDidChangeSelection(() => this.describeBoard()));
    this._register(devices.onDidChangeBoard((b) => b === devices.selected && this.describeBoard()));
    this.describeBoard();
  }

  private async roots(): Promise<TreeNode[]> {
    await this.devices.start();
    const board = this.devices.selected;
    if (!board) return [];
    let networks;
    try {
      networks = await this.wifi.networks();
    } catch (err) {
      if (!isDeviceError(err) || err.deviceError !== WIFI_INTERFACE_DISABLED) throw err;
      // Not a failure to retry: the person (or a command) turned wlan0 off. Offer to turn it on.
      return [
        new MessageNode(`wifi:${board.key}/off`, undefined, 'Wi-Fi is off', {
          icon: new vscode.ThemeIcon('circle-slash'),
          description: 'wlan0 is down — click to turn it on',
          tooltip: `The Wi-Fi interface (wlan0) of ${board.label} is down, so its networks cannot be read or changed.`,
          command: { title: 'Enable Network Interface', command: CommandId.enableNetworkInterface, arguments: [{ boardKey: board.key, interfaceName: 'wlan0' }] },
        }),
      ];
    }
    if (networks.length === 0) {
      return [
        new MessageNode(`wifi:${board.key}/none`, undefined, 'Add a Wi-Fi network…', {
          icon: new vscode.ThemeIcon('add'),
          description: 'none configured yet',
          tooltip: `${board.label} has no Wi-Fi network configured. Click to add one.`,
          command: { title: 'Add Wi-Fi Network', command: CommandId.addWifiNetwork },
        }),
      ];
    }
    return networks.map((n) => new WifiNetworkNode(board.key, n));
  }

  private describeBoard(): void {
    const board = this.devices.selected;
    this.treeView.description = board ? (board.shortId ?? board.descriptor.name) : undefined;
  }
}
