import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError } from '../common/errors';
import { isDeviceError } from '../device';
import { boardError, resolveBoard } from '../boards';
import { WIFI_INTERFACE_DISABLED } from '../boards/wifi-indicator-state';
import { WIFI_VIEW_ID } from '../tree/wifi/wifi-view';
import type { Services } from '../services';
import { CommandId } from './ids';

type Action = vscode.QuickPickItem & { run?: () => Thenable<unknown> };

/** What the status-bar Wi-Fi indicator opens: scan and connect, enable or disable a network, open the Wi-Fi view. */
export const wifiQuickActions: CommandModule<Services> = {
  id: CommandId.wifiQuickActions,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Wi-Fi of which board?' });
    const items = (async (): Promise<Action[]> => {
      const client = await devices.model.client(board.key);
      const networks = await client.listWifiNetworks().catch((err: unknown) => {
        if (isDeviceError(err) && err.deviceError === WIFI_INTERFACE_DISABLED) return undefined;
        throw boardError(board, 'list Wi-Fi networks', err);
      });
      if (!networks) {
        // wlan0 is down (the indicator says "Wi-Fi off"): the one useful action is turning it on.
        return [
          {
            label: '$(plug) Turn Wi-Fi on',
            description: 'bring wlan0 up',
            run: () => vscode.commands.executeCommand(CommandId.enableNetworkInterface, { boardKey: board.key, interfaceName: 'wlan0' }),
          },
          { label: '$(list-tree) Open the Wi-Fi Networks view', run: () => vscode.commands.executeCommand(`${WIFI_VIEW_ID}.focus`) },
        ];
      }
      const target = (id: number) => ({ boardKey: board.key, networkId: id });
      return [
        { label: '$(search) Scan and connect…', run: () => vscode.commands.executeCommand(CommandId.scanWifi, { boardKey: board.key }) },
        { label: '$(add) Add a network…', run: () => vscode.commands.executeCommand(CommandId.addWifiNetwork, { boardKey: board.key }) },
        ...(networks.length ? [{ label: 'Configured networks', kind: vscode.QuickPickItemKind.Separator }] : []),
        ...networks.map((n) =>
          n.configState === 'disabled'
            ? { label: `$(check) Enable "${n.ssid}"`, description: `ID ${n.id}`, run: () => vscode.commands.executeCommand(CommandId.enableWifiNetwork, target(n.id)) }
            : {
                label: `$(circle-slash) Disable "${n.ssid}"`,
                description: `ID ${n.id} · ${n.connectionState === 'connected' ? 'connected' : n.configState}`,
                run: () => vscode.commands.executeCommand(CommandId.disableWifiNetwork, target(n.id)),
              },
        ),
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: '$(info) Show Wi-Fi status', run: () => vscode.commands.executeCommand(CommandId.showWifiStatus, { boardKey: board.key }) },
        { label: '$(list-tree) Open the Wi-Fi Networks view', run: () => vscode.commands.executeCommand(`${WIFI_VIEW_ID}.focus`) },
      ];
    })();
    const picked = await vscode.window.showQuickPick(items, { title: `Wi-Fi of ${board.label}` });
    if (!picked?.run) throw new CancelledError();
    await picked.run();
  },
};
