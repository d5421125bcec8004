// The kernel's IPv4 routing table as Linux prints it in /proc/net/route (addresses in hex, host byte order, which is
// little-endian on every platform VS Code runs on), and which routes would carry traffic for the board's address.

export interface Ipv4Route {
  iface: string;
  destination: string;
  gateway: string;
  prefixLength: number;
  metric: number;
  up: boolean;
}

const RTF_UP = 0x1;

function hexToAddress(hex: string): number {
  const v = Number.parseInt(hex, 16) >>> 0;
  // Little-endian: the first octet is the lowest byte.
  return (((v & 0xff) << 24) | (((v >>> 8) & 0xff) << 16) | (((v >>> 16) & 0xff) << 8) | ((v >>> 24) & 0xff)) >>> 0;
}

const formatAddress = (a: number): string => [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff].join('.');

function prefixOf(mask: number): number {
  let n = 0;
  while (n < 32 && (mask & (0x80000000 >>> n)) !== 0) n++;
  return n;
}

export function parseProcNetRoute(text: string): Ipv4Route[] {
  const routes: Ipv4Route[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^[0-9A-Fa-f]{8}$/.test(f[1]!) || !/^[0-9A-Fa-f]{8}$/.test(f[7]!)) continue;
    const mask = hexToAddress(f[7]!);
    routes.push({
      iface: f[0]!,
      destination: formatAddress(hexToAddress(f[1]!)),
      gateway: formatAddress(hexToAddress(f[2]!)),
      prefixLength: prefixOf(mask),
      metric: Number(f[6]),
      up: (Number.parseInt(f[3]!, 16) & RTF_UP) !== 0,
    });
  }
  return routes;
}

const parseAddress = (s: string): number => s.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);

export function routeCovers(route: Ipv4Route, address: string): boolean {
  if (route.prefixLength === 0) return true;
  const mask = (0xffffffff << (32 - route.prefixLength)) >>> 0;
  return ((parseAddress(route.destination) & mask) >>> 0) === ((parseAddress(address) & mask) >>> 0);
}

/** Routes for `address` other than the default route, most specific (then lowest metric) first: the first one wins. */
export function routesFor(routes: Ipv4Route[], address: string): Ipv4Route[] {
  return routes
    .filter((r) => r.up && r.prefixLength > 0 && routeCovers(r, address))
    .sort((a, b) => b.prefixLength - a.prefixLength || a.metric - b.metric);
}

export const describeRoute = (r: Ipv4Route): string =>
  `${r.destination}/${r.prefixLength} via ${r.iface}${r.gateway !== '0.0.0.0' ? ` (gateway ${r.gateway})` : ''}`;
