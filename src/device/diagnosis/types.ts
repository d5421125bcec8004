// What the connection doctor checks, what it is told about the board, and what each check reports.
import type * as os from 'node:os';
import type { SerialPortListing } from '../discovery/usb-boards';
import type { SerialLink } from '../serial-link';
import type { StreamConnector } from '../transport';
import type { TrustPolicy } from '../trust/tls-trust';

/** The checks, in the order they run; each layer needs the ones before it (except the OS route, which stands alone). */
export const CHECK_IDS = ['port', 'line', 'ping', 'tls', 'rest', 'osRoute'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_TITLES: Record<CheckId, string> = {
  port: 'Serial port',
  line: 'Serial line (bytes, SLIP frames, baud rate)',
  ping: 'Ping 192.168.35.2',
  tls: 'TCP port 443 and TLS certificate',
  rest: 'Device REST API',
  osRoute: 'OS route (vendor service, sl0, routing table)',
};

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** One sentence: what was found. */
  summary: string;
  /** Facts behind it, one per line (no secrets: device IDs and ports are fine). */
  details: string[];
  /** For warn and fail: the one thing the user should do next, in plain words. */
  nextAction?: string;
  durationMs: number;
}

export type DoctorEvent =
  | { type: 'started'; id: CheckId; title: string }
  | { type: 'finished'; result: CheckResult };

export interface DoctorTarget {
  /** For the report: "sim-1a2b3c4d (9F0C12AB…)", "MT3620 board on /dev/ttyUSB2". */
  name: string;
  /** How the board is reached; 'none' when no board was found at all. */
  kind: 'usb' | 'simulator' | 'explicit' | 'os-route' | 'none';
  portPath?: string;
  baudRate: number;
  rtscts: boolean;
  /** The device ID we expect to find (known for simulators and boards read before). */
  deviceId?: string;
  trust: TrustPolicy;
  /** OS-route boards: how to open a TCP stream to the board's port 443. */
  osRoute?: StreamConnector;
}

export interface DoctorOptions {
  /** Lists serial ports (default: serialport's list). */
  listPorts?: () => Promise<SerialPortListing[]>;
  /** FT4232H interface that is the service UART (default 2, "C"). */
  serviceInterface?: number;
  /** Opens the board's port for the doctor alone (default SerialLink.open). The VS Code layer releases its own link first. */
  openLink?: (path: string, baudRate: number, rtscts: boolean) => Promise<SerialLink>;
  /** Rates tried when the board does not answer at the configured one. */
  candidateBaudRates?: number[];
  /** How long to wait for the board to answer on the line (default 4 s: a board may be finishing a restart). */
  lineWaitMs?: number;
  /** Echo replies wanted before the line counts as working (default 5). */
  pingsWanted?: number;
  /** Per-step network timeout (default 8 s). */
  timeoutMs?: number;
  /** The vendor's Device Communication Service (default http://localhost:48938). */
  vendorServiceUrl?: string;
  /** The IPv4 routing table as /proc/net/route text; undefined where there is none (default: read it on Linux). */
  readRoutes?: () => Promise<string | undefined>;
  networkInterfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  platform?: NodeJS.Platform;
  /** Linux: the names of the groups the user is in and of the group owning a device node (for EACCES). */
  groupsOf?: (devicePath: string) => Promise<{ userGroups: string[]; deviceGroup: string | undefined }>;
  /** Stops the run between checks (the panel was closed). */
  signal?: AbortSignal;
}
