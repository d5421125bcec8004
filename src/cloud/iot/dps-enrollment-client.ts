// The Device Provisioning Service's service API (api-version 2021-10-01, learn.microsoft.com/rest/api/iot-dps/service):
// enrollment groups that trust a CA verified on the DPS, and the registration state a device reached. Authenticated
// with a shared access signature of the `provisioningserviceowner` policy (key from ARM).
import type { AuthorizedHttp } from '../authorized-http';
import { CloudApiError } from '../api-error';
import { InvalidArgumentError } from '../errors';
import type { HttpTransport } from '../https-transport';
import type { Logger } from '../../common/logger';
import type { RetryPolicy } from '../retry-policy';
import { requireHostName } from './hub-host-name';
import { sasHttp } from './sas-authorization';
import type { SasKey } from './sas-token';

export const DPS_SERVICE_API_VERSION = '2021-10-01';

export interface EnrollmentGroup {
  readonly enrollmentGroupId: string;
  readonly attestation: { readonly type: string; readonly x509?: { readonly caReferences?: { readonly primary?: string } } };
  readonly iotHubs?: readonly string[];
  readonly iotHubHostName?: string;
  readonly allocationPolicy?: string;
  readonly provisioningStatus?: 'enabled' | 'disabled';
  readonly etag?: string;
  readonly createdDateTimeUtc?: string;
  readonly lastUpdatedDateTimeUtc?: string;
}

/** What DPS recorded for one device (learn.microsoft.com/rest/api/iot-dps/service/device-registration-state/get). */
export interface DeviceRegistrationState {
  readonly registrationId: string;
  readonly status: 'unassigned' | 'assigning' | 'assigned' | 'failed' | 'disabled' | string;
  readonly assignedHub?: string;
  readonly deviceId?: string;
  readonly substatus?: string;
  readonly errorMessage?: string;
  readonly createdDateTimeUtc?: string;
  readonly lastUpdatedDateTimeUtc?: string;
  readonly enrollmentGroupId?: string;
}

export interface DpsEnrollmentClientOptions {
  /** The DPS service host name from ARM (`properties.serviceOperationsHostName`). */
  readonly hostName: string;
  readonly readKey: (signal?: AbortSignal) => Promise<SasKey>;
  readonly transport: HttpTransport;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: Logger;
}

// learn.microsoft.com/azure/iot-dps/concepts-service#enrollment-group: up to 128 letters, digits, - . _ :, ending in a
// letter, digit or '-'.
const ENROLLMENT_GROUP_ID = /^[A-Za-z0-9\-._:]{0,127}[A-Za-z0-9-]$/;

export function requireEnrollmentGroupId(value: unknown): string {
  if (typeof value !== 'string' || !ENROLLMENT_GROUP_ID.test(value)) {
    throw new InvalidArgumentError(`"${String(value)}" is not an enrollment group name: 1–128 letters, digits, '-', '.', '_' or ':', ending in a letter, digit or '-'.`);
  }
  return value;
}

export class DpsEnrollmentClient {
  private readonly http: AuthorizedHttp;
  readonly hostName: string;

  constructor(options: DpsEnrollmentClientOptions) {
    this.hostName = requireHostName('provisioning service host name', options.hostName);
    this.http = sasHttp({ ...options, hostName: this.hostName });
  }

  async getEnrollmentGroup(id: string, signal?: AbortSignal): Promise<EnrollmentGroup | undefined> {
    const groupId = requireEnrollmentGroupId(id);
    try {
      return await this.http.json<EnrollmentGroup>({
        method: 'GET',
        path: `enrollmentGroups/${encodeURIComponent(groupId)}`,
        query: { 'api-version': DPS_SERVICE_API_VERSION },
        what: `Reading enrollment group "${groupId}" of ${this.hostName}`,
        signal,
      });
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * Creates the group, or replaces it when `etag` (from getEnrollmentGroup) is given: an X.509 group whose devices
   * chain to the DPS certificate named `caCertificateName` (uploaded and verified on this DPS), assigned to `hubHostName`.
   */
  async putCaEnrollmentGroup(
    id: string,
    group: { caCertificateName: string; hubHostName: string; enabled?: boolean; etag?: string },
    signal?: AbortSignal,
  ): Promise<EnrollmentGroup> {
    const groupId = requireEnrollmentGroupId(id);
    const hub = requireHostName('IoT hub host name', group.hubHostName);
    if (!/^[A-Za-z0-9-._]{1,64}$/.test(group.caCertificateName ?? '')) {
      throw new InvalidArgumentError(`"${group.caCertificateName}" is not a DPS certificate name.`);
    }
    return this.http.json<EnrollmentGroup>({
      method: 'PUT',
      path: `enrollmentGroups/${encodeURIComponent(groupId)}`,
      query: { 'api-version': DPS_SERVICE_API_VERSION },
      headers: group.etag ? { 'if-match': group.etag } : undefined,
      json: {
        enrollmentGroupId: groupId,
        attestation: { type: 'x509', x509: { caReferences: { primary: group.caCertificateName } } },
        iotHubs: [hub],
        allocationPolicy: 'hashed',
        provisioningStatus: group.enabled === false ? 'disabled' : 'enabled',
        reprovisionPolicy: { updateHubAssignment: true, migrateDeviceData: true },
        ...(group.etag ? { etag: group.etag } : {}),
      },
      what: `${group.etag ? 'Updating' : 'Creating'} enrollment group "${groupId}" on ${this.hostName}`,
      signal,
    });
  }

  /** What DPS recorded when the device registered; undefined when it has not registered yet. */
  async getRegistrationState(registrationId: string, signal?: AbortSignal): Promise<DeviceRegistrationState | undefined> {
    if (!/^[a-z0-9\-._:]{1,128}$/.test(registrationId ?? '')) {
      throw new InvalidArgumentError(`"${registrationId}" is not a registration ID: 1–128 lower-case letters, digits, '-', '.', '_' or ':'.`);
    }
    try {
      return await this.http.json<DeviceRegistrationState>({
        method: 'GET',
        path: `registrations/${encodeURIComponent(registrationId)}`,
        query: { 'api-version': DPS_SERVICE_API_VERSION },
        what: `Reading the registration of "${registrationId.slice(0, 16)}…" on ${this.hostName}`,
        signal,
      });
    } catch (err) {
      if (err instanceof CloudApiError && err.status === 404) return undefined;
      throw err;
    }
  }
}
