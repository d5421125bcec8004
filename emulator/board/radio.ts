// The simulated radio world: the access points a board can see. Tests and users override it per board.
import type { WifiSecurityState } from './board-state';

export interface AccessPoint {
  ssid: string;
  bssid: string;
  /** MHz, e.g. 2437 or 5220. */
  freq: number;
  /** dBm, e.g. -48. */
  signal: number;
  security: WifiSecurityState;
  /** The correct pre-shared key for `psk` access points. */
  psk?: string;
  /** Hidden SSID: shows as "\u0000" in scans and is only joined with `targetedScan`. */
  hidden?: boolean;
  /** Whether the network routes to the internet (drives connectedToInternet and time sync). Default true. */
  internet?: boolean;
  /** The address the access point's DHCP server leases to the board. */
  leaseAddress: string;
}

/** A small neighbourhood: home PSK on 5 GHz (and its 2.4 GHz twin), an open café, an enterprise EAP-TLS network,
 * a weak neighbour and a hidden lab network. */
export const DEFAULT_RADIO_WORLD: readonly AccessPoint[] = Object.freeze([
  { ssid: 'HomeNetwork', bssid: '1c:3b:f3:10:20:31', freq: 5220, signal: -48, security: 'psk', psk: 'correct horse battery', leaseAddress: '192.168.1.77' },
  { ssid: 'HomeNetwork', bssid: '1c:3b:f3:10:20:30', freq: 2437, signal: -55, security: 'psk', psk: 'correct horse battery', leaseAddress: '192.168.1.77' },
  { ssid: 'CoffeeShop', bssid: '7a:21:09:44:51:02', freq: 2412, signal: -67, security: 'open', leaseAddress: '10.20.0.143' },
  { ssid: 'Contoso-Corp', bssid: '00:1a:2b:3c:4d:5e', freq: 5180, signal: -61, security: 'eaptls', leaseAddress: '172.16.8.21' },
  { ssid: 'Neighbour-2G', bssid: 'a4:91:b1:77:01:09', freq: 2462, signal: -84, security: 'psk', psk: 'not-your-network', leaseAddress: '192.168.0.12' },
  { ssid: 'LabHidden', bssid: '1c:3b:f3:10:20:99', freq: 5745, signal: -58, security: 'psk', psk: 'hidden-lab-key', hidden: true, internet: false, leaseAddress: '10.99.0.5' },
]);
