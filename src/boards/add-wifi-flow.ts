// The "add a Wi-Fi network" conversation: a quick pick fed by a scan (or "type a name"), the security, then the key or
// the EAP-TLS certificate ids — every input box checks its value as it is typed with the device validators, so a
// bad value never leaves the box, and the key box never shows what is typed. The key goes to the board only.
import * as vscode from 'vscode';
import { validators, type NewWifiNetwork, type WifiNetwork, type WifiScanResult, type WifiSecurityState } from '../device';
import { CancelledError } from '../common/errors';
import type { AttachedBoard } from './attached-board';
import { displaySsid } from './cli-text';
import type { DeviceModel } from './device-model';
import { onBoard } from './device-errors';

/** What the scan command hands over when the person picks an access point. */
export interface AddWifiPreset {
  ssid: string;
  security: WifiSecurityState;
}

export function isAddWifiPreset(arg: unknown): arg is AddWifiPreset {
  return typeof arg === 'object' && arg !== null && typeof (arg as AddWifiPreset).ssid === 'string' && typeof (arg as AddWifiPreset).security === 'string';
}

export const TYPE_NETWORK_LABEL = '$(edit) Enter a network name…';

type PickItem = vscode.QuickPickItem & { preset?: AddWifiPreset };

const SECURITY_CHOICES = [
  { label: 'WPA2-PSK', description: 'psk', detail: 'A network key (password) of 8–63 characters', security: 'psk' as const },
  { label: 'Open', description: 'open', detail: 'No key', security: 'open' as const },
  { label: 'EAP-TLS', description: 'eaptls', detail: 'Enterprise: a client certificate already in the board’s certificate store', security: 'eaptls' as const },
];

/** Asks for everything a new network needs. Resolves the request to send, or throws CancelledError. */
export async function askForNewNetwork(devices: DeviceModel, board: AttachedBoard, preset: AddWifiPreset | undefined): Promise<NewWifiNetwork> {
  const scanned = preset ? { preset, inRange: undefined } : await pickFromScan(devices, board);
  const chosen = scanned.preset;
  const ssid = chosen?.ssid ?? (await ask({ title: 'Wi-Fi network name (SSID)', prompt: 'Case sensitive, 1–32 bytes.', validateInput: (v) => validators.validateSsid(v) }));
  const security = chosen && chosen.security !== 'unknown' ? chosen.security : await pickSecurity(ssid);
  // A typed name the scan did not show is most likely a hidden network: only a targeted scan finds it.
  const hidden = scanned.inRange !== undefined && !scanned.inRange.has(ssid);
  const common = { ssid, ...(hidden ? { targetedScan: true } : {}) };
  switch (security) {
    case 'open':
      return { ...common, security };
    case 'psk': {
      const psk = await ask({
        title: `Network key for "${ssid}"`,
        prompt: '8–63 characters, or 64 hexadecimal digits.',
        password: true,
        validateInput: (v) => validators.validatePsk(v),
      });
      return { ...common, security, psk };
    }
    default: {
      const clientCertId = await ask({
        title: `Client certificate for "${ssid}" (EAP-TLS)`,
        prompt: 'Identifier of the client certificate in the board’s certificate store.',
        validateInput: (v) => validators.validateCertificateId(v),
      });
      const clientIdentity = await ask({
        title: 'Client identity (optional)',
        prompt: 'e.g. user@contoso.com; leave empty to use the certificate’s.',
        validateInput: (v) => (v === '' ? null : validators.validateClientIdentity(v)),
      });
      const rootCaCertId = await ask({
        title: 'Root CA certificate (optional)',
        prompt: 'Identifier of the RADIUS server’s root CA in the certificate store; leave empty to skip.',
        validateInput: (v) => (v === '' ? null : validators.validateCertificateId(v)),
      });
      return { ...common, security: 'eaptls', clientCertId, ...(clientIdentity ? { clientIdentity } : {}), ...(rootCaCertId ? { rootCaCertId } : {}) };
    }
  }
}

/** Sends the new network; the log line names SSID and security, never the key. */
export async function addNetwork(devices: DeviceModel, board: AttachedBoard, network: NewWifiNetwork, log: vscode.LogOutputChannel): Promise<WifiNetwork> {
  const client = await devices.client(board.key);
  log.info(`Adding Wi-Fi network "${network.ssid}" (${network.security}) to ${board.label}.`);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Adding "${network.ssid}" to ${board.label}…` }, () =>
    onBoard(board, `add Wi-Fi network "${network.ssid}"`, () => client.addWifiNetwork(network)),
  );
}

/** The person's pick from a scan (undefined preset: "enter a name"), and the SSIDs the scan saw (undefined: it failed). */
async function pickFromScan(devices: DeviceModel, board: AttachedBoard): Promise<{ preset: AddWifiPreset | undefined; inRange: Set<string> | undefined }> {
  let inRange: Set<string> | undefined;
  const items = (async (): Promise<PickItem[]> => {
    const typed: PickItem = { label: TYPE_NETWORK_LABEL, alwaysShow: true, detail: 'Also for hidden networks, which scans do not show' };
    try {
      const client = await devices.client(board.key);
      const [scan, configured] = await Promise.all([client.scanWifi(), client.listWifiNetworks()]);
      inRange = new Set(scan.map((ap) => ap.ssid));
      return [typed, { label: 'Networks in range', kind: vscode.QuickPickItemKind.Separator }, ...scanItems(scan, configured)];
    } catch (err) {
      return [{ ...typed, detail: `Scanning failed: ${(err as Error).message}` }];
    }
  })();
  const picked = await vscode.window.showQuickPick(items, {
    title: `Add a Wi-Fi network to ${board.label}`,
    placeHolder: 'Pick a network in range, or enter its name',
    matchOnDescription: true,
  });
  if (!picked) throw new CancelledError();
  return { preset: picked.preset, inRange };
}

/** One entry per SSID and security, strongest first; hidden networks are reached by typing their name. */
export function scanItems(scan: WifiScanResult[], configured: WifiNetwork[]): PickItem[] {
  const best = new Map<string, WifiScanResult>();
  for (const ap of scan) {
    if (displaySsid(ap.ssid) !== ap.ssid) continue;
    const key = `${ap.ssid}\u0001${ap.securityState}`;
    const known = best.get(key);
    if (!known || ap.signal_level > known.signal_level) best.set(key, ap);
  }
  return [...best.values()]
    .sort((a, b) => b.signal_level - a.signal_level)
    .map((ap) => ({
      label: `$(radio-tower) ${ap.ssid}`,
      description: `${ap.signal_level} dBm · ${ap.freq >= 5000 ? '5' : '2.4'} GHz · ${SECURITY_CHOICES.find((s) => s.security === ap.securityState)?.label ?? ap.securityState}`,
      detail: configured.some((n) => n.ssid === ap.ssid && n.securityState === ap.securityState) ? 'Already configured on this board' : undefined,
      preset: { ssid: ap.ssid, security: ap.securityState },
    }));
}

async function pickSecurity(ssid: string): Promise<'open' | 'psk' | 'eaptls'> {
  const picked = await vscode.window.showQuickPick(SECURITY_CHOICES, { title: `Security of "${ssid}"` });
  if (!picked) throw new CancelledError();
  return picked.security;
}

async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new CancelledError();
  return value;
}
