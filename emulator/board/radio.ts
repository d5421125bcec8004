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

const SECURITY = ['open', 'psk', 'eaptls'];
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Checks a radio world given by a user or a test; throws naming the first bad access point and field. */
export function validateRadioWorld(world: unknown): AccessPoint[] {
  if (!Array.isArray(world)) throw new Error('The radio world must be an array of access points');
  world.forEach((ap: Partial<AccessPoint> | null, index) => {
    const where = `access point #${index}`;
    if (typeof ap !== 'object' || ap === null) throw new Error(`${where} must be an object`);
    if (typeof ap.ssid !== 'string' || ap.ssid.length === 0 || Buffer.byteLength(ap.ssid) > 32) throw new Error(`${where}: ssid must be 1-32 bytes`);
    if (typeof ap.bssid !== 'string' || !MAC.test(ap.bssid)) throw new Error(`${where} (${ap.ssid}): bssid must look like 11:22:33:44:55:66`);
    if (typeof ap.freq !== 'number' || !Number.isInteger(ap.freq) || ap.freq <= 0) throw new Error(`${where} (${ap.ssid}): freq must be MHz, e.g. 2437`);
    if (typeof ap.signal !== 'number' || ap.signal > 0) throw new Error(`${where} (${ap.ssid}): signal must be dBm (≤ 0)`);
    if (!SECURITY.includes(ap.security as string)) throw new Error(`${where} (${ap.ssid}): security must be open, psk or eaptls`);
    if (ap.security === 'psk' && (typeof ap.psk !== 'string' || ap.psk.length < 8 || ap.psk.length > 63)) {
      throw new Error(`${where} (${ap.ssid}): a psk access point needs a psk of 8-63 characters`);
    }
    const ip = typeof ap.leaseAddress === 'string' ? IPV4.exec(ap.leaseAddress) : null;
    if (!ip || ip.slice(1).some((octet) => Number(octet) > 255)) throw new Error(`${where} (${ap.ssid}): leaseAddress must be an IPv4 address`);
  });
  return world as AccessPoint[];
}
