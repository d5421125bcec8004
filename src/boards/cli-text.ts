// Text reports in the shape the azsphere CLI prints them (learn.microsoft.com/azure-sphere/reference/azsphere-device),
// so what people know and search for reads the same here. Pure functions; the values come straight from the board.
// No secret is ever part of these shapes (the board never returns a PSK or a private key).
import type { AppMemoryStats, CertificateDetails, InstalledImages, NetworkInterface, WifiDiagnosticsEntry, WifiInterfaceStatus, WifiNetwork, WifiScanResult } from '../device';
import { imageTypeName } from '../device/image-package';
import type { BoardApp } from './board-apps';
import type { AttachedBoard } from './attached-board';

const row = (name: string, value: unknown): string => `${name.padEnd(20)}: ${value === undefined || value === null || value === '' ? '' : String(value)}`;

export function boardDetailsText(board: AttachedBoard): string[] {
  const f = board.facts;
  return [
    row('Device ID', board.deviceId ?? '(not read yet)'),
    row('Name', board.descriptor.name),
    row('Connection path', board.connectionPath),
    row('Connection', board.descriptor.kind === 'os-route' ? 'operating system route' : board.descriptor.kind === 'simulator' ? 'serial (simulated board)' : 'serial'),
    row('OS version', f?.osVersion ?? (f ? 'unknown (REST API older than 4.5.0)' : '')),
    row('Security state', f?.securityState),
    row('REST API version', f?.restApiVersion),
    ...(board.factsError ? [row('Last error', board.factsError)] : []),
  ];
}

export function wifiNetworkText(n: WifiNetwork): string[] {
  return [
    row('ID', n.id),
    row('SSID', n.ssid),
    row('Configuration state', n.configState),
    row('Connection state', n.connectionState),
    row('Security state', n.securityState),
    row('Targeted scan', n.targetedScan ? 'True' : 'False'),
    ...(n.configName ? [row('Configuration name', n.configName)] : []),
    ...(n.clientCertStoreIdentifier ? [row('Client cert ID', n.clientCertStoreIdentifier)] : []),
    ...(n.clientIdentity ? [row('Client identity', n.clientIdentity)] : []),
    ...(n.rootCaCertStoreIdentifier ? [row('Root CA cert ID', n.rootCaCertStoreIdentifier)] : []),
  ];
}

export function wifiStatusText(s: WifiInterfaceStatus): string[] {
  return [
    row('SSID', s.ssid),
    row('Configuration state', s.configState),
    row('Connection state', s.connectionState),
    row('Security state', s.securityState),
    row('Frequency', s.freq),
    row('Mode', s.mode),
    row('Key management', s.key_mgmt),
    row('WPA State', s.wpa_state),
    row('IP Address', s.ip_address),
    row('MAC Address', s.address),
    ...(s.powerSavingsState ? [row('Power savings', s.powerSavingsState)] : []),
  ];
}

export function wifiScanText(results: WifiScanResult[]): string[] {
  if (results.length === 0) return ['No networks found'];
  return results.flatMap((ap, i) => [
    ...(i > 0 ? [''] : []),
    row('SSID', displaySsid(ap.ssid)),
    row('Security state', ap.securityState),
    row('BSSID', ap.bssid),
    row('Signal level', ap.signal_level),
    row('Frequency', ap.freq),
  ]);
}

export function wifiDiagnosticsText(entries: WifiDiagnosticsEntry[]): string[] {
  const real = entries.filter((e) => e.timestamp);
  if (real.length === 0) return ['No connection errors logged.'];
  return real.flatMap((e, i) => [
    ...(i > 0 ? [''] : []),
    row('Timestamp', e.timestamp),
    row('Network ID', e.networkId),
    row('SSID', e.ssid),
    row('Last Recorded Error', e.error),
    row('Configuration State', e.configState),
    row('Connection State', e.connectionState),
    ...(e.certInfo?.certError
      ? [row('Certificate error', e.certInfo.certError), row('Certificate subject', e.certInfo.certSubject), row('Certificate depth', e.certInfo.certDepth)]
      : ['No certificate errors logged.']),
  ]);
}

export function interfaceText(i: NetworkInterface): string[] {
  return [
    row('Interface name', i.interfaceName),
    row('Interface up', i.interfaceUp ? 'True' : 'False'),
    row('Connected to network', i.connectedToNetwork ? 'True' : 'False'),
    row('IP acquired', i.ipAcquired ? 'True' : 'False'),
    row('Connected to internet', i.connectedToInternet ? 'True' : 'False'),
    row('IP addresses', i.ipAddresses.join(', ')),
    ...(i.hardwareAddress ? [row('Hardware address', i.hardwareAddress)] : []),
    ...(i.ipAssignment ? [row('IP assignment', i.ipAssignment)] : []),
  ];
}

export function certificateText(c: CertificateDetails): string[] {
  return [row('ID', c.id), row('Subject name', c.subjectName), row('Issuer name', c.issuerName), row('Not before', c.notBefore), row('Not after', c.notAfter)];
}

/** Hidden networks appear in scans as "\u0000". */
export function displaySsid(ssid: string): string {
  return ssid === '' || ssid === '\u0000' ? '(hidden network)' : ssid;
}

/** `device image list-installed --full`: every component the board reports, the CLI's arrows and all. */
export function installedImagesText(images: InstalledImages): string[] {
  const lines = ['Installed images:'];
  for (const c of images.components) {
    lines.push(` --> ${c.name}`, `   --> Image type:   ${imageTypeName(c.image_type)}`, `   --> Component ID: ${c.uid}`);
    for (const image of c.images) lines.push(`   --> Image ID:     ${image.uid}`);
  }
  if (images.has_staged_updates) lines.push('An update is staged and will be installed by the next install.');
  return lines;
}

const kib = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`;

/** `device app show-memory-stats`: the totals, then each running app's processes and what their heap holds. */
export function appMemoryText(stats: AppMemoryStats, apps: readonly BoardApp[]): string[] {
  const m = stats.memoryStats;
  const lines = [
    row('Current memory', kib(m.currentMemoryUsageInBytes)),
    row('User-mode memory', kib(m.userModeMemoryUsageInBytes)),
    row('Peak user-mode', kib(m.peakUserModeMemoryUsageInBytes)),
  ];
  for (const app of stats.apps) {
    const name = apps.find((a) => a.componentId.toLowerCase() === app.componentId.toLowerCase())?.name;
    lines.push('', `${name ?? 'Application'} (${app.componentId})`);
    for (const p of app.processes) {
      lines.push(`  ${row('Process', p.pid)}`);
      for (const h of p.heapUsageByCaller ?? []) lines.push(`    ${h.name.padEnd(18)}: ${kib(h.usageInBytes)}`);
    }
  }
  if (stats.apps.length === 0) lines.push('', 'No application is running.');
  return lines;
}
