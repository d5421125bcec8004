// The second route to a board: plain HTTPS through the operating system's network, for boards the vendor SDK already
// connected (Windows TAP adapter, Linux `sl0`). Discovery asks the vendor's Device Communication Service, as the vendor
// clients do, and falls back to looking for an `sl0` interface.
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import type { Duplex } from 'node:stream';
import { nullLogger, type Logger } from '../common/logger';
import { ResettableSocketStream } from './resettable-socket';
import { DEVICE_HTTPS_PORT, type ConnectOptions, type StreamConnector } from './transport';
import { validateDeviceIpAddress } from './validators';

export const VENDOR_SERVICE_URL = 'http://localhost:48938';

export interface OsRouteDevice {
  ipAddress: string;
  /** The vendor's connection path (numeric string on Windows, "" on Linux). */
  connectionPath: string;
  /** How it was found. */
  source: 'vendor-service' | 'sl0';
}

export interface OsRouteDiscoveryOptions {
  serviceUrl?: string;
  timeoutMs?: number;
  /** Source of interfaces (os.networkInterfaces by default). */
  networkInterfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  logger?: Logger;
}

/** Boards reachable through the OS: the vendor service's list, else `sl0` → 192.168.35.2, else none. */
export async function discoverOsRouteDevices(options: OsRouteDiscoveryOptions = {}): Promise<OsRouteDevice[]> {
  const logger = options.logger ?? nullLogger;
  const serviceUrl = options.serviceUrl ?? VENDOR_SERVICE_URL;
  let listed: unknown;
  try {
    listed = await getJson(new URL('/api/service/devices', serviceUrl), options.timeoutMs ?? 2_000);
  } catch (err) {
    logger.debug(`vendor device service not available at ${serviceUrl}: ${(err as Error).message}`);
    const interfaces = (options.networkInterfaces ?? os.networkInterfaces)();
    return interfaces.sl0 ? [{ ipAddress: '192.168.35.2', connectionPath: '', source: 'sl0' }] : [];
  }
  if (!Array.isArray(listed)) {
    logger.warn(`vendor device service at ${serviceUrl} answered with something other than a list; ignoring it`);
    return [];
  }
  const devices: OsRouteDevice[] = [];
  for (const entry of listed as { IpAddress?: unknown; DeviceConnectionPath?: unknown }[]) {
    const ip = typeof entry?.IpAddress === 'string' ? entry.IpAddress : '';
    const problem = validateDeviceIpAddress(ip);
    if (problem) {
      logger.warn(`vendor device service listed a board we will not contact: ${problem}`);
      continue;
    }
    devices.push({ ipAddress: ip, connectionPath: String(entry.DeviceConnectionPath ?? ''), source: 'vendor-service' });
  }
  return devices;
}

function getJson(url: URL, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, headers: { Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export interface OsRouteConnectorOptions {
  /**
   * Where to dial for a board address. Default: the address itself, port 443. Tests point this at a loopback HTTPS
   * server so nothing is ever sent to a real 192.168.x address.
   */
  resolveEndpoint?: (ipAddress: string) => { host: string; port: number };
}

/** Opens TCP connections to a board through the operating system's network stack. */
export class OsRouteConnector implements StreamConnector {
  readonly label: string;
  private readonly endpoint: { host: string; port: number };

  constructor(
    readonly ipAddress: string,
    options: OsRouteConnectorOptions = {},
  ) {
    this.label = `OS route ${ipAddress}`;
    this.endpoint = options.resolveEndpoint ? options.resolveEndpoint(ipAddress) : { host: ipAddress, port: DEVICE_HTTPS_PORT };
  }

  connect(options: ConnectOptions): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.endpoint.host, port: this.endpoint.port, noDelay: true });
      const timer = setTimeout(() => {
        const err = Object.assign(new Error(`no answer from ${this.ipAddress} within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' });
        socket.destroy(err);
      }, options.timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        resolve(new ResettableSocketStream(socket));
      });
      const onError = (err: Error): void => {
        clearTimeout(timer);
        reject(err);
      };
      socket.once('error', onError);
    });
  }
}
