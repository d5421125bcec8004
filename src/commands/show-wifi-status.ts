import type { CommandModule } from '../common/command-registry';
import { onBoard, resolveBoard } from '../boards';
import { wifiStatusText } from '../boards/cli-text';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device wifi show-status: SSID, states, frequency, key management, WPA state, addresses. */
export const showWifiStatus: CommandModule<Services> = {
  id: CommandId.showWifiStatus,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Wi-Fi status of which board?' });
    const client = await devices.model.client(board.key);
    const status = await onBoard(board, 'read the Wi-Fi status', () => client.getWifiInterface());
    devices.reports.show(`Wi-Fi status of ${board.label}`, wifiStatusText(status));
    return status;
  },
};
