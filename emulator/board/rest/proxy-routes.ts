// Network proxy configuration (`/net/proxy`): POST answers with the stored settings (password included, as the
// official client tests record), GET without the password, `{}` when none is set.
import type { ProxyRecord } from '../board-state';
import { DeviceRestError } from '../device-errors';
import type { BoardContext } from './context';
import { ok, readJsonObject, type Router } from './http-kit';

/** No device code for a malformed proxy setting is documented: a plain 400 tells the client enough. */
const invalidProxy = (detail: string): DeviceRestError => new DeviceRestError(400, undefined, detail);

function parseProxy(body: Record<string, unknown>): ProxyRecord {
  const { enabled, address, port, noProxyAddresses, authenticationType, username, password } = body;
  if (typeof enabled !== 'boolean') throw invalidProxy('enabled must be a boolean');
  if (typeof address !== 'string' || address.length === 0) throw invalidProxy('address is required');
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw invalidProxy('port must be 1-65535');
  if (noProxyAddresses !== undefined && (!Array.isArray(noProxyAddresses) || noProxyAddresses.some((a) => typeof a !== 'string'))) {
    throw invalidProxy('noProxyAddresses must be a list of strings');
  }
  if (authenticationType !== 'anonymous' && authenticationType !== 'basic') throw invalidProxy('authenticationType must be anonymous or basic');
  const hasCredentials = username !== undefined || password !== undefined;
  if (authenticationType === 'anonymous' && hasCredentials) throw invalidProxy('anonymous proxies take no credentials');
  if (authenticationType === 'basic' && (typeof username !== 'string' || typeof password !== 'string')) {
    throw invalidProxy('basic proxies need username and password');
  }
  const record: ProxyRecord = { enabled, address, port, noProxyAddresses: (noProxyAddresses as string[] | undefined) ?? [], authenticationType };
  if (authenticationType === 'basic') {
    record.username = username as string;
    record.password = password as string;
  }
  return record;
}

function proxyView(proxy: ProxyRecord, withPassword: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    address: proxy.address, enabled: proxy.enabled, port: proxy.port, authenticationType: proxy.authenticationType,
  };
  if (proxy.username !== undefined) view.username = proxy.username;
  if (withPassword && proxy.password !== undefined) view.password = proxy.password;
  view.noProxyAddresses = [...proxy.noProxyAddresses];
  return view;
}

/** `proxy` field of `GET /net/status`. */
export function proxyStatus(board: BoardContext): 'disabled' | 'enabled' | 'ready' {
  const proxy = board.store.view.proxy;
  if (!proxy || !proxy.enabled) return 'disabled';
  return board.station.connectedToInternet ? 'ready' : 'enabled';
}

export function addProxyRoutes(router: Router, board: BoardContext): void {
  router
    .add('GET', '/net/proxy', () => {
      const proxy = board.store.view.proxy;
      return ok(proxy ? proxyView(proxy, false) : {});
    })
    .add('POST', '/net/proxy', async (req) => {
      const proxy = parseProxy(await readJsonObject(req, undefined));
      await board.store.update((state) => {
        state.proxy = proxy;
      });
      return ok(proxyView(proxy, true));
    })
    .add('DELETE', '/net/proxy', async () => {
      await board.store.update((state) => {
        state.proxy = null;
      });
      return ok();
    });
}
