// JSON shapes of the device REST API (docs/device-rest-api.md), as the board sends them.

export type WifiConfigState = 'unknown' | 'enabled' | 'disabled' | 'temp-disabled';
export type WifiConnectionState = 'unknown' | 'disconnected' | 'connected';
export type WifiSecurityState = 'unknown' | 'open' | 'psk' | 'eaptls';

export interface DeviceStatus {
  uptimeSeconds: number;
  /** From the REST-API-Version header, e.g. "4.6.0" ("" when the board did not send it). */
  restApiVersion: string;
}

export interface SecurityState {
  securityState: 'TEST' | 'BLANK' | 'SECURE' | 'EOL' | 'UNKNOWN' | string;
  deviceIdentifier: string;
  deviceIdentityPublicKey?: string;
}

export interface WifiNetwork {
  id: number;
  ssid: string;
  configState: WifiConfigState;
  connectionState: WifiConnectionState;
  securityState: WifiSecurityState;
  targetedScan?: boolean;
  configName?: string;
  clientIdentity?: string;
  clientCertStoreIdentifier?: string;
  rootCaCertStoreIdentifier?: string;
}

interface NewNetworkCommon {
  ssid: string;
  configName?: string;
  /** Default true. */
  enabled?: boolean;
  targetedScan?: boolean;
}
export type NewWifiNetwork =
  | (NewNetworkCommon & { security: 'open' })
  | (NewNetworkCommon & { security: 'psk'; psk: string })
  | (NewNetworkCommon & {
      security: 'eaptls';
      clientCertId: string;
      clientIdentity?: string;
      rootCaCertId?: string;
    });

export interface WifiInterfaceStatus {
  ssid?: string;
  configState?: WifiConfigState;
  connectionState?: WifiConnectionState;
  securityState?: WifiSecurityState;
  mode?: string;
  key_mgmt?: string;
  wpa_state?: string;
  address?: string;
  freq?: number;
  ip_address?: string;
  id?: number;
  configName?: string;
  powerSavingsState?: string;
}

export interface WifiScanResult {
  bssid: string;
  freq: number;
  signal_level: number;
  ssid: string;
  securityState: WifiSecurityState;
}

export interface WifiDiagnosticsEntry {
  timestamp: string;
  networkId: number;
  ssid: string;
  error?: string;
  configState?: WifiConfigState;
  connectionState?: WifiConnectionState;
  certInfo?: { certSubject?: string; certDepth?: number; certError?: string };
}

export interface NetworkInterface {
  interfaceName: string;
  interfaceUp: boolean;
  connectedToNetwork: boolean;
  ipAcquired: boolean;
  connectedToInternet: boolean;
  ipAddresses: string[];
  hardwareAddress?: string;
  ipAssignment?: string;
}

export interface NetworkStatus {
  deviceAuthenticationIsReady: boolean;
  networkTimeSync: 'complete' | 'incomplete' | 'disabled' | string;
  proxy?: 'disabled' | 'enabled' | 'resolvingProxyName' | 'ready' | string;
}

export interface CertificateDetails {
  id: string;
  notBefore: string;
  notAfter: string;
  subjectName: string;
  issuerName: string;
}

export interface NewClientCertificate {
  id: string;
  publicCertPem: string;
  privateKeyPem: string;
  /** For an encrypted private key. */
  password?: string;
}
