// Check 6: the operating system's route to boards, which the vendor SDK makes (Windows: the Device Communication
// Service and a TAP adapter; Linux: azsphere_connect.sh and sl0). Only looks: asks the vendor service on localhost,
// reads the interfaces and the routing table. Nothing is ever sent to 192.168.35.x from here.
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import { VENDOR_SERVICE_URL } from '../os-route';
import { BOARD_LINK_ADDRESS } from '../serial-link';
import { describeRoute, parseProcNetRoute, routesFor } from './routes';
import type { DoctorOptions, DoctorTarget } from './types';

/** Interfaces the vendor SDK gives the board (Linux sl0; Windows' TAP adapter is named "Azure Sphere"). */
const BOARD_INTERFACE = /^(sl\d+|Azure Sphere)$/i;

export interface OsRouteOutcome {
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  details: string[];
  nextAction?: string;
}

type VendorAnswer = { reachable: true; devices: string[] } | { reachable: false; why: string };

function askVendorService(baseUrl: string, timeoutMs: number): Promise<VendorAnswer> {
  return new Promise((resolve) => {
    const req = http.get(new URL('/api/service/devices', baseUrl), { timeout: timeoutMs, headers: { Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => resolve({ reachable: false, why: err.message }));
      res.on('end', () => {
        try {
          const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          const devices = Array.isArray(list) ? list.map((d: { IpAddress?: unknown }) => String(d?.IpAddress ?? '?')) : [];
          resolve({ reachable: true, devices });
        } catch {
          resolve({ reachable: true, devices: [] });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ reachable: false, why: err.code === 'ECONNREFUSED' ? 'not running (connection refused)' : err.message }));
  });
}

async function defaultReadRoutes(platform: NodeJS.Platform): Promise<string | undefined> {
  if (platform !== 'linux') return undefined;
  return fs.readFile('/proc/net/route', 'utf8').catch(() => undefined);
}

export async function checkOsRoute(target: DoctorTarget, options: DoctorOptions): Promise<OsRouteOutcome> {
  const platform = options.platform ?? os.platform();
  const serviceUrl = options.vendorServiceUrl ?? VENDOR_SERVICE_URL;
  const details: string[] = [];
  const vendor = await askVendorService(serviceUrl, Math.min(options.timeoutMs ?? 2000, 2000));
  details.push(vendor.reachable
    ? `Vendor device service at ${serviceUrl}: running, lists ${vendor.devices.length ? vendor.devices.join(', ') : 'no boards'}.`
    : `Vendor device service at ${serviceUrl}: ${vendor.why}.`);
  const interfaces = (options.networkInterfaces ?? os.networkInterfaces)();
  const boardInterfaces = Object.keys(interfaces).filter((name) => BOARD_INTERFACE.test(name));
  details.push(boardInterfaces.length ? `Board interface: ${boardInterfaces.join(', ')}.` : 'No sl0 (or "Azure Sphere" TAP) interface.');

  const routeText = await (options.readRoutes ? options.readRoutes() : defaultReadRoutes(platform));
  const usesOsRoute = target.kind === 'os-route';
  if (routeText === undefined) {
    details.push(`The routing table was not checked: on ${platform} only Linux's /proc/net/route is read, so a VPN capturing 192.168.35.0/24 would not be noticed here.`);
  }
  const candidates = routeText === undefined ? [] : routesFor(parseProcNetRoute(routeText), BOARD_LINK_ADDRESS);
  if (routeText !== undefined) {
    details.push(candidates.length ? `Routes for ${BOARD_LINK_ADDRESS}: ${candidates.map(describeRoute).join('; ')}.` : `No route for ${BOARD_LINK_ADDRESS} but the default route.`);
  }
  const winner = candidates[0];
  if (winner && !BOARD_INTERFACE.test(winner.iface)) {
    return {
      status: usesOsRoute ? 'fail' : 'warn',
      summary: `Traffic for ${BOARD_LINK_ADDRESS} would go through ${winner.iface} (${describeRoute(winner)}), not to the board: probably a VPN.`,
      details,
      nextAction: usesOsRoute
        ? `Disconnect the VPN that uses ${winner.iface} (or exclude 192.168.35.0/24 from it), or set "Sphere Explorer › Device: Route" to serial to use the direct serial link.`
        : `Sphere Explorer's serial link is not affected; vendor tools (azsphere) are: disconnect the VPN that uses ${winner.iface} when you use them.`,
    };
  }
  const shadowed = candidates.slice(1).filter((r) => !BOARD_INTERFACE.test(r.iface));
  if (shadowed.length) details.push(`Also covering the board's subnet, less specific: ${shadowed.map(describeRoute).join('; ')}.`);
  const osRouteUp = vendor.reachable || boardInterfaces.length > 0;
  if (usesOsRoute && !osRouteUp) {
    return {
      status: 'fail',
      summary: 'No OS route to the board: the vendor service is not running and there is no sl0 interface.',
      details,
      nextAction: platform === 'win32'
        ? 'Start the "Azure Sphere Device Communication Service" (services.msc), or set "Sphere Explorer › Device: Route" to serial to use the direct serial link.'
        : 'Run `sudo /opt/azurespheresdk/Tools/azsphere_connect.sh`, or set "Sphere Explorer › Device: Route" to serial to use the direct serial link.',
    };
  }
  return {
    status: 'pass',
    summary: osRouteUp
      ? `The OS route to the board is in place${winner ? ` (${describeRoute(winner)})` : ''}.`
      : 'No OS route (vendor service or sl0), and none is needed: Sphere Explorer uses its own serial link.',
    details,
  };
}
