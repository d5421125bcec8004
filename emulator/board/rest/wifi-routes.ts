// Wi-Fi endpoints: configured networks, the station interface, scans and connection diagnostics. Validation order
// and codes are those of docs/device-rest-api.md#wi-fi, after the behaviour the official clients' tests record
// (github.com/Azure/azure-sphere-tools, Manufacturing/src).
import type * as http from 'node:http';
import type { WifiNetworkRecord, WifiSecurityState } from '../board-state';
import { badRequest, conflict, DeviceErrorCode, DeviceRestError, notFound } from '../device-errors';
import type { BoardContext } from './context';
import { ok, readJsonObject, type RestResponse, type Router } from './http-kit';

const SECURITY_STATES: readonly WifiSecurityState[] = ['open', 'psk', 'eaptls'];
const CONFIG_STATES = ['enabled', 'disabled'] as const;
const MAX_SSID_BYTES = 32;
const MIN_PSK_LENGTH = 8;
const MAX_PSK_LENGTH = 63;
const MAX_CONFIG_NAME_LENGTH = 16;
const MAX_CLIENT_IDENTITY_LENGTH = 254;
/** How many networks the board can store (13631510 beyond that). */
export const MAX_WIFI_NETWORKS = 37;

const KEY_MGMT: Record<WifiSecurityState, string> = { open: 'NONE', psk: 'WPA2-PSK', eaptls: 'WPA-EAP' };

const invalid = (detail: string): DeviceRestError => badRequest(DeviceErrorCode.invalidNetworkProperties, detail);

/** The JSON a board returns for a configured network: never the PSK; `configName` only when set. */
function networkView(network: WifiNetworkRecord, connectionState: string): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ssid: network.ssid,
    configState: network.configState,
    connectionState,
    id: network.id,
    securityState: network.securityState,
    targetedScan: network.targetedScan,
  };
  if (network.configName !== undefined) view.configName = network.configName;
  if (network.clientCertStoreIdentifier !== undefined) view.clientCertStoreIdentifier = network.clientCertStoreIdentifier;
  if (network.clientIdentity !== undefined) view.clientIdentity = network.clientIdentity;
  if (network.rootCaCertStoreIdentifier !== undefined) view.rootCaCertStoreIdentifier = network.rootCaCertStoreIdentifier;
  return view;
}

function checkPsk(psk: unknown): string {
  if (typeof psk !== 'string') {
    throw invalid('psk must be a string');
  }
  if (psk.length < MIN_PSK_LENGTH) {
    throw badRequest(DeviceErrorCode.pskTooShort, 'PSK is too short');
  }
  if (psk.length > MAX_PSK_LENGTH) {
    throw badRequest(DeviceErrorCode.keyTooLong, 'Key is too long');
  }
  return psk;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw invalid(`${key} must be a string`);
  }
  return value;
}

/** Validates a POST body into a new record (without id). */
function parseNewNetwork(body: Record<string, unknown>): Omit<WifiNetworkRecord, 'id'> {
  const ssid = body.ssid;
  if (typeof ssid !== 'string' || ssid.length === 0) {
    throw invalid('ssid is required');
  }
  if (Buffer.byteLength(ssid, 'utf8') > MAX_SSID_BYTES) {
    throw badRequest(DeviceErrorCode.ssidTooLong, 'SSID is too long');
  }
  const securityState = body.securityState;
  if (typeof securityState !== 'string' || !SECURITY_STATES.includes(securityState as WifiSecurityState)) {
    throw invalid('securityState must be open, psk or eaptls');
  }
  const configState = body.configState ?? 'enabled';
  if (!CONFIG_STATES.includes(configState as 'enabled')) {
    throw invalid('configState must be enabled or disabled');
  }
  // The spec and responses say targetedScan; the official clients send targetScan. Both are accepted.
  const targetedScan = body.targetedScan ?? body.targetScan ?? false;
  if (typeof targetedScan !== 'boolean') {
    throw invalid('targetedScan must be a boolean');
  }
  const configName = optionalString(body, 'configName');
  if (configName !== undefined && configName.length > MAX_CONFIG_NAME_LENGTH) {
    throw badRequest(DeviceErrorCode.configNameTooLong, 'Configuration name too long');
  }
  const record: Omit<WifiNetworkRecord, 'id'> = {
    ssid,
    securityState: securityState as WifiSecurityState,
    configState: configState as 'enabled' | 'disabled',
    targetedScan,
  };
  if (configName !== undefined && configName.length > 0) {
    record.configName = configName;
  }
  const eapFields = ['clientCertStoreIdentifier', 'clientIdentity', 'rootCaCertStoreIdentifier'];
  if (securityState === 'psk') {
    if (body.psk === undefined) {
      throw invalid('psk is required for a psk network');
    }
    record.psk = checkPsk(body.psk);
  } else if (body.psk !== undefined) {
    throw invalid(`psk is not allowed for a ${securityState} network`);
  }
  if (securityState === 'eaptls') {
    const clientCert = optionalString(body, 'clientCertStoreIdentifier');
    if (clientCert === undefined || clientCert.length === 0) {
      throw badRequest(DeviceErrorCode.clientIdentifierMissing, 'Client identifier is missing');
    }
    record.clientCertStoreIdentifier = clientCert;
    const identity = optionalString(body, 'clientIdentity');
    if (identity !== undefined) {
      if (identity.length > MAX_CLIENT_IDENTITY_LENGTH) {
        throw invalid('clientIdentity is too long');
      }
      record.clientIdentity = identity;
    }
    const rootCa = optionalString(body, 'rootCaCertStoreIdentifier');
    if (rootCa !== undefined && rootCa.length > 0) {
      record.rootCaCertStoreIdentifier = rootCa;
    }
  } else if (eapFields.some((key) => body[key] !== undefined)) {
    throw invalid(`EAP-TLS fields are not allowed for a ${securityState} network`);
  }
  return record;
}

function parseNetworkId(text: string): number {
  if (!/^\d{1,9}$/.test(text)) {
    throw notFound(DeviceErrorCode.networkNotFound, 'Network not found');
  }
  return Number(text);
}

export function addWifiRoutes(router: Router, board: BoardContext): void {
  const { store, station } = board;

  /** Every Wi-Fi endpoint fails with 500 + 13631506 while wlan0 is down, like a real board. */
  const whenWlanUp = (handler: (req: http.IncomingMessage, params: string[]) => Promise<RestResponse> | RestResponse) =>
    (req: http.IncomingMessage, params: string[]): Promise<RestResponse> | RestResponse => {
      if (!store.view.interfaces.wlan0.up) {
        req.resume();
        throw new DeviceRestError(500, DeviceErrorCode.wifiInterfaceDisabled, 'Wi-Fi interface is disabled');
      }
      return handler(req, params);
    };

  const findNetwork = (id: number): WifiNetworkRecord => {
    const network = store.view.wifi.networks.find((n) => n.id === id);
    if (!network) {
      throw notFound(DeviceErrorCode.networkNotFound, 'Network not found');
    }
    return network;
  };

  router
    .add('GET', '/wifi/config/networks', whenWlanUp(() => ok({
      values: store.view.wifi.networks.map((n) => networkView(n, station.connectionStateOf(n.id))),
    })))
    .add('POST', '/wifi/config/networks', whenWlanUp(async (req) => {
      const candidate = parseNewNetwork(await readJsonObject(req, DeviceErrorCode.invalidNetworkProperties));
      const created = await store.update((state) => {
        const networks = state.wifi.networks;
        if (networks.length >= MAX_WIFI_NETWORKS) {
          throw badRequest(DeviceErrorCode.notEnoughWifiResources, 'No room for another network');
        }
        if (networks.some((n) => n.ssid === candidate.ssid && n.securityState === candidate.securityState)) {
          throw conflict(DeviceErrorCode.networkAlreadyExists, 'Network already exists');
        }
        if (candidate.configName !== undefined && networks.some((n) => n.configName === candidate.configName)) {
          throw conflict(DeviceErrorCode.configNameExists, 'Configuration name already exists');
        }
        // wpa_supplicant numbering: one above the highest id in use, 0 for the first.
        const id = networks.reduce((max, n) => Math.max(max, n.id), -1) + 1;
        const record: WifiNetworkRecord = { id, ...candidate };
        networks.push(record);
        return record;
      });
      station.reevaluate();
      return { status: 201, body: networkView(created, 'unknown') };
    }))
    .add('GET', '/wifi/config/networks/:id', whenWlanUp((_req, [idText]) => {
      const network = findNetwork(parseNetworkId(idText));
      return ok(networkView(network, station.connectionStateOf(network.id)));
    }))
    .add('PATCH', '/wifi/config/networks/:id', whenWlanUp(async (req, [idText]) => {
      const body = await readJsonObject(req, DeviceErrorCode.invalidNetworkProperties);
      // A short PSK is refused before the network is even looked up (as the official client tests record).
      const psk = body.psk === undefined ? undefined : checkPsk(body.psk);
      const configState = body.configState;
      if (configState !== undefined && !CONFIG_STATES.includes(configState as 'enabled')) {
        throw invalid('configState must be enabled or disabled');
      }
      if (psk === undefined && configState === undefined) {
        throw invalid('Nothing to change: give configState and/or psk');
      }
      const id = parseNetworkId(idText);
      const updated = await store.update((state) => {
        const network = state.wifi.networks.find((n) => n.id === id);
        if (!network) {
          throw notFound(DeviceErrorCode.networkNotFound, 'Network not found');
        }
        if (psk !== undefined) {
          if (network.securityState !== 'psk') {
            throw invalid('psk can only be changed on a psk network');
          }
          network.psk = psk;
        }
        if (configState !== undefined) {
          network.configState = configState as 'enabled' | 'disabled';
        }
        return structuredClone(network);
      });
      station.reevaluate();
      return ok(networkView(updated, station.connectionStateOf(updated.id)));
    }))
    .add('DELETE', '/wifi/config/networks/:id', whenWlanUp(async (_req, [idText]) => {
      const id = parseNetworkId(idText);
      await store.update((state) => {
        const index = state.wifi.networks.findIndex((n) => n.id === id);
        if (index < 0) {
          throw notFound(DeviceErrorCode.networkNotFound, 'Network not found');
        }
        state.wifi.networks.splice(index, 1);
      });
      station.forget(id);
      station.reevaluate();
      return ok();
    }))
    .add('GET', '/wifi/interface', whenWlanUp(() => {
      const view: Record<string, unknown> = {};
      const current = station.current;
      if (current) {
        view.ssid = current.network.ssid;
        view.configState = current.network.configState;
        view.connectionState = station.connected ? 'connected' : 'disconnected';
        view.securityState = current.network.securityState;
      } else {
        view.configState = 'unknown';
        view.connectionState = 'disconnected';
        view.securityState = 'unknown';
      }
      view.mode = 'station';
      view.key_mgmt = current ? KEY_MGMT[current.network.securityState] : 'UNKNOWN';
      view.wpa_state = station.wpaState;
      view.address = store.view.interfaces.wlan0.hardwareAddress;
      if (current) {
        view.freq = current.ap.freq;
        if (station.ipAddress !== undefined) view.ip_address = station.ipAddress;
        view.id = current.network.id;
        if (current.network.configName !== undefined) view.configName = current.network.configName;
      }
      view.powerSavingsState = store.view.wifi.powerSavings ? 'enabled' : 'disabled';
      return ok(view);
    }))
    .add('PATCH', '/wifi/interface', whenWlanUp(async (req) => {
      const body = await readJsonObject(req, DeviceErrorCode.invalidNetworkProperties);
      const { reloadConfig, enablePowerSavings } = body;
      if ((reloadConfig !== undefined && typeof reloadConfig !== 'boolean')
        || (enablePowerSavings !== undefined && typeof enablePowerSavings !== 'boolean')) {
        throw invalid('reloadConfig and enablePowerSavings must be booleans');
      }
      if (reloadConfig === undefined && enablePowerSavings === undefined) {
        throw invalid('Nothing to change: give reloadConfig and/or enablePowerSavings');
      }
      if (enablePowerSavings !== undefined) {
        await store.update((state) => {
          state.wifi.powerSavings = enablePowerSavings;
        });
      }
      if (reloadConfig === true) {
        station.reload();
      }
      return ok();
    }))
    .add('GET', '/wifi/scan', whenWlanUp(() => ok({ values: station.scan() })))
    .add('GET', '/wifi/diagnostics/networks', whenWlanUp(() => ok({ values: station.diagnosticsList() })))
    .add('GET', '/wifi/diagnostics/networks/:id', whenWlanUp((_req, [idText]) => {
      const network = findNetwork(parseNetworkId(idText));
      return ok(station.diagnosticsFor(network.id) ?? {});
    }));
}
