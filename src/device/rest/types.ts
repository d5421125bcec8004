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

// ---- applications and sideloading ------------------------------------------------------------------------------

/** An application's state on the board; a component that is not installed (or only staged) is `notPresent`. */
export type AppState = 'running' | 'stopped' | 'debugging' | 'notPresent';

/** What `PATCH /app/status/{componentId}` is asked to do. */
export type AppTrigger = 'start' | 'stop' | 'startDebug';

export interface AppStateChange {
  state: AppState;
  /** For `startDebug`: the board's gdbserver port (2345 on real boards). */
  gdbPort?: number;
  /** For `startDebug`: the TCP port carrying the app's output (2342 on real boards). */
  outPort?: number;
}

/** `GET /app/quota/{componentId}`: mutable storage in KiB; the limit is the manifest's `MutableStorage.SizeKB`. */
export interface AppQuota {
  UsageKB: number;
  LimitKB: number;
}

/** `GET /stats/memory/groups/applications`, in bytes. */
export interface AppMemoryStats {
  memoryStats: {
    currentMemoryUsageInBytes: number;
    userModeMemoryUsageInBytes: number;
    peakUserModeMemoryUsageInBytes: number;
  };
  apps: Array<{
    componentId: string;
    processes: Array<{ pid: number; heapUsageByCaller?: Array<{ name: string; usageInBytes: number }> }>;
  }>;
}

/** One component in `GET /images`: an OS part, the debugger (`gdbserver`), an application (type 10)… */
export interface ImageComponent {
  /** The component ID. */
  uid: string;
  image_type: number;
  is_update_staged: boolean;
  does_image_type_require_restart: boolean;
  name: string;
  images: Array<{ uid: string; length_in_bytes: number; uncompressed_length_in_bytes: number; replica_type: number }>;
}

/** `GET /images`. */
export interface InstalledImages {
  is_ota_update_in_progress: boolean;
  has_staged_updates: boolean;
  restart_required: boolean;
  components: ImageComponent[];
}

/** `POST /update/install`: `Auto` starts the installed applications, `Manual` leaves them stopped. */
export type AppControlMode = 'Auto' | 'Manual';

/** Answer to an install or a delete: whether the board restarts to apply it (board configuration, capabilities). */
export interface RestartInfo {
  restartingSystem: boolean;
}
