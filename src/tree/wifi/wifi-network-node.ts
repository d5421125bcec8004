// One configured Wi-Fi network of the selected board: its state as an icon, its security in words.
import * as vscode from 'vscode';
import type { WifiNetwork } from '../../device';
import { wifiNetworkText } from '../../boards/cli-text';
import { TreeNode } from '../tree-node';

export const SECURITY_LABEL: Record<string, string> = { open: 'Open', psk: 'WPA2-PSK', eaptls: 'EAP-TLS', unknown: 'Unknown security' };

/** Icon and words per state: connected, enabled (not connected), disabled, temp-disabled (failing, retried later). */
export function networkPresentation(n: WifiNetwork): { icon: vscode.ThemeIcon; state: string } {
  if (n.connectionState === 'connected') return { icon: new vscode.ThemeIcon('radio-tower', new vscode.ThemeColor('testing.iconPassed')), state: 'connected' };
  switch (n.configState) {
    case 'enabled':
      return { icon: new vscode.ThemeIcon('circle-large-outline'), state: 'enabled' };
    case 'disabled':
      return { icon: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')), state: 'disabled' };
    case 'temp-disabled':
      return { icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')), state: 'temporarily disabled' };
    default:
      return { icon: new vscode.ThemeIcon('question'), state: 'unknown' };
  }
}

export class WifiNetworkNode extends TreeNode {
  constructor(
    readonly boardKey: string,
    readonly network: WifiNetwork,
  ) {
    super(`wifi:${boardKey}/${network.id}`, undefined);
  }

  get networkId(): number {
    return this.network.id;
  }

  getTreeItem(): vscode.TreeItem {
    const n = this.network;
    const { icon, state } = networkPresentation(n);
    const item = new vscode.TreeItem(n.ssid, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = icon;
    item.description = [state, SECURITY_LABEL[n.securityState] ?? n.securityState, n.configName ?? ''].filter(Boolean).join(' · ');
    item.tooltip = wifiNetworkText(n).join('\n');
    // Menus: wifiNetwork.<configState>[.connected]
    item.contextValue = `wifiNetwork.${n.configState}${n.connectionState === 'connected' ? '.connected' : ''}`;
    return item;
  }
}
