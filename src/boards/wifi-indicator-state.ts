// What the Wi-Fi indicator shows, decided from GET /wifi/interface (or why it failed). Pure, so every case is testable.
import { isDeviceError, type WifiInterfaceStatus } from '../device';

/** Device error the board sends for every Wi-Fi call while wlan0 is down (docs/device-rest-api.md#wi-fi). */
export const WIFI_INTERFACE_DISABLED = 13631506;

export type WifiIndicatorKind = 'connected' | 'connecting' | 'disconnected' | 'disabled' | 'unreachable';

/** wpa_states between picking a network and having an address (`GET /wifi/interface`, docs/device-rest-api.md#wi-fi). */
const CONNECTING_STATES = new Set(['SCANNING', 'AUTHENTICATING', 'ASSOCIATING', 'ASSOCIATED', '4WAY_HANDSHAKE', 'GROUP_HANDSHAKE']);

export function wifiIndicatorKind(status: WifiInterfaceStatus | undefined, error?: unknown): WifiIndicatorKind {
  if (error !== undefined) {
    return isDeviceError(error) && error.deviceError === WIFI_INTERFACE_DISABLED ? 'disabled' : 'unreachable';
  }
  if (!status) return 'unreachable';
  if (status.wpa_state === 'INTERFACE_DISABLED') return 'disabled';
  if (status.connectionState === 'connected' && status.ip_address) return 'connected';
  // COMPLETED without an address yet: DHCP is still running.
  if (status.wpa_state !== undefined && (CONNECTING_STATES.has(status.wpa_state) || (status.wpa_state === 'COMPLETED' && !status.ip_address))) {
    return 'connecting';
  }
  return 'disconnected';
}
