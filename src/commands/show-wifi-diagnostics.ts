import type { CommandModule } from '../common/command-registry';
import { isNetworkTarget, onBoard, resolveBoard } from '../boards';
import { wifiDiagnosticsText } from '../boards/cli-text';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device network show-diagnostics: why each network last failed to connect (for one network from its node). */
export const showWifiDiagnostics: CommandModule<Services> = {
  id: CommandId.showWifiDiagnostics,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Wi-Fi diagnostics of which board?' });
    const client = await devices.model.client(board.key);
    const networkId = isNetworkTarget(arg) ? arg.networkId : undefined;
    const entries = await onBoard(board, 'read Wi-Fi diagnostics', () => client.getWifiDiagnostics(networkId));
    devices.reports.show(`Wi-Fi diagnostics of ${board.label}${networkId === undefined ? '' : ` (network ${networkId})`}`, wifiDiagnosticsText(entries));
    return entries;
  },
};
