// IoT Hub's identity registry over its service REST API (api-version 2021-04-12,
// learn.microsoft.com/rest/api/iothub/service/devices): create a device that authenticates with a certificate signed
// by a CA verified on the hub (type certificateAuthority), read, list, delete. Authenticated with a shared access
// signature of the hub's `iothubowner` policy (the key comes from ARM; see sas-authorization.ts).
import type { AuthorizedHttp } from '../authorized-http';
import { CloudApiError } from '../api-error';
import { InvalidArgumentError } from '../errors';
import { shortDeviceId } from '../validate';
import type { HttpTransport } from '../https-transport';
import type { Logger } from '../../common/logger';
import type { RetryPolicy } from '../retry-policy';
import { requireHostName } from './hub-host-name';
import { sasHttp } from './sas-authorization';
import type { SasKey } from './sas-token';

export const HUB_API_VERSION = '2021-04-12';

export type HubAuthenticationType = 'sas' | 'selfSigned' | 'certificateAuthority' | 'none';

/** A device identity as the registry returns it (the fields this extension reads). */
export interface HubDeviceIdentity {
  readonly deviceId: string;
  readonly etag?: string;
  readonly status?: 'enabled' | 'disabled';
  readonly connectionState?: 'Connected' | 'Disconnected';
  readonly connectionStateUpdatedTime?: string;
  readonly lastActivityTime?: string;
  readonly cloudToDeviceMessageCount?: number;
  readonly authentication?: { readonly type?: HubAuthenticationType };
}

export interface HubRegistryClientOptions {
  /** The hub's host name from ARM (`properties.hostName`). */
  readonly hostName: string;
  /** The `iothubowner` key (or another policy with RegistryWrite); asked for on first use. */
  readonly readKey: (signal?: AbortSignal) => Promise<SasKey>;
  readonly transport: HttpTransport;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: Logger;
}

// learn.microsoft.com/azure/iot-hub/iot-hub-devguide-identity-registry#device-identity-properties
const DEVICE_ID = /^[A-Za-z0-9\-.+%_#*?!(),=@$']{1,128}$/;

export function requireHubDeviceId(value: unknown): string {
  if (typeof value !== 'string' || !DEVICE_ID.test(value)) {
    throw new InvalidArgumentError(
      `"${String(value)}" is not an IoT Hub device ID: 1–128 letters, digits or - . + % _ # * ? ! ( ) , = @ $ '.`,
    );
  }
  return value;
}

export class HubRegistryClient {
  private readonly http: AuthorizedHttp;
  readonly hostName: string;

  constructor(options: HubRegistryClientOptions) {
    this.hostName = requireHostName('IoT hub host name', options.hostName);
    this.http = sasHttp({ ...options, hostName: this.hostName });
  }

  /**
   * Creates an identity that authenticates with a CA-signed certificate (CN = device ID). A device that already
   * exists is refused with the hub's own DeviceAlreadyExists error; nothing is overwritten.
   */
  async createCaSignedDevice(deviceId: string, signal?: AbortSignal): Promise<HubDeviceIdentity> {
    const id = requireHubDeviceId(deviceId);
    return this.http.json<HubDeviceIdentity>({
      method: 'PUT',
      path: this.devicePath(id),
      query: { 'api-version': HUB_API_VERSION },
      json: { deviceId: id, status: 'enabled', authentication: { type: 'certificateAuthority' } },
      // No If-Match: the hub creates, or refuses with 409 when the ID is taken; repeating it cannot create twice.
      idempotent: true,
      what: `Creating device "${shortDeviceId(id)}" on IoT hub ${this.hostName}`,
      signal,
    });
  }

  /** The identity, or undefined when the hub has none with that ID. */
  async getDevice(deviceId: string, signal?: AbortSignal): Promise<HubDeviceIdentity | undefined> {
    const id = requireHubDeviceId(deviceId);
    try {
      return await this.http.json<HubDeviceIdentity>({
        method: 'GET',
        path: this.devicePath(id),
        query: { 'api-version': HUB_API_VERSION },
        what: `Reading device "${shortDeviceId(id)}" of IoT hub ${this.hostName}`,
        signal,
      });
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async listDevices(signal?: AbortSignal): Promise<HubDeviceIdentity[]> {
    const body = await this.http.json<HubDeviceIdentity[]>({
      method: 'GET',
      path: 'devices',
      query: { 'api-version': HUB_API_VERSION },
      what: `Listing devices of IoT hub ${this.hostName}`,
      signal,
    });
    return body ?? [];
  }

  async deleteDevice(deviceId: string, etag = '*', signal?: AbortSignal): Promise<void> {
    const id = requireHubDeviceId(deviceId);
    await this.http.send({
      method: 'DELETE',
      path: this.devicePath(id),
      query: { 'api-version': HUB_API_VERSION },
      headers: { 'if-match': etag.startsWith('"') || etag === '*' ? etag : `"${etag}"` },
      what: `Deleting device "${shortDeviceId(id)}" of IoT hub ${this.hostName}`,
      signal,
    });
  }

  private devicePath(id: string): string {
    return `devices/${encodeURIComponent(id)}`;
  }
}

