// Text, icon and tooltip of the Wi-Fi indicator for each state. Pure (no vscode): the controller applies it.
import type { WifiStatusSnapshot } from '../boards/wifi-model';

export interface WifiStatusPresentation {
  text: string;
  tooltipLines: string[];
  warning: boolean;
}

export function presentWifiStatus(snapshot: WifiStatusSnapshot | undefined, boardLabel: string): WifiStatusPresentation {
  const device = `Device: ${boardLabel}`;
  if (!snapshot) return { text: '$(loading~spin) Wi-Fi', tooltipLines: ['Reading the Wi-Fi status…', device], warning: false };
  const s = snapshot.status;
  const details = [
    `IP address: ${s?.ip_address ?? '—'}`,
    `Frequency: ${s?.freq ? `${s.freq} MHz` : '—'}`,
    `Key management: ${s?.key_mgmt ?? '—'}`,
    device,
  ];
  switch (snapshot.kind) {
    case 'connected': {
      const signal = snapshot.signal === undefined ? '' : ` ${snapshot.signal} dBm`;
      return { text: `$(radio-tower) ${s?.ssid ?? ''}${signal}`, tooltipLines: [`Connected to "${s?.ssid ?? ''}"${signal ? ` (signal${signal})` : ''}`, ...details], warning: false };
    }
    case 'connecting':
      return { text: `$(loading~spin) ${s?.ssid ? `Connecting to ${s.ssid}…` : 'Wi-Fi connecting…'}`, tooltipLines: [`Connecting (${s?.wpa_state ?? ''})`, ...details], warning: false };
    case 'disconnected':
      return { text: '$(debug-disconnect) Wi-Fi disconnected', tooltipLines: ['Not connected to any Wi-Fi network', ...details], warning: false };
    case 'disabled':
      return { text: '$(circle-slash) Wi-Fi off', tooltipLines: ['The Wi-Fi interface (wlan0) is disabled', device], warning: false };
    default:
      return { text: '$(warning) Wi-Fi: no answer', tooltipLines: [`The board did not answer: ${snapshot.error ?? 'unknown error'}`, device], warning: true };
  }
}
