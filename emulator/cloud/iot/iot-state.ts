// What the emulated IoT hubs and DPSs keep across restarts: device identities (the hub's identity registry),
// enrollment groups and device registrations. Plain data changed only through `IotState.apply`, which `State.apply`
// (model.ts) calls for these journal records, so a restart rebuilds exactly what was acknowledged. Records are
// upserts keyed by ID, or deletions. Live things (connection state, last activity, telemetry) are not here: they
// live in memory (hub-activity.ts), as the real service's connection state is only ever approximate anyway.
//
// Hubs and DPSs are named by their `hubKey` (model.ts), never by host name: a host name carries a port, which may
// change, while the key does not.

/** learn.microsoft.com/rest/api/iothub/service/devices/create-or-update-identity (AuthenticationMechanism.type). */
export type DeviceAuthenticationType = 'sas' | 'selfSigned' | 'certificateAuthority' | 'none';

export interface DeviceIdentity {
  /** Case-sensitive, as the registry keeps it. */
  deviceId: string;
  generationId: string;
  etag: string;
  status: 'enabled' | 'disabled';
  statusReason: string | null;
  /** ISO time of the last status change, or null when it never changed. */
  statusUpdatedTime: string | null;
  authentication: {
    type: DeviceAuthenticationType;
    symmetricKey: { primaryKey: string | null; secondaryKey: string | null };
    x509Thumbprint: { primaryThumbprint: string | null; secondaryThumbprint: string | null };
  };
  capabilities: { iotEdge: boolean };
}

/** X509CertificateInfo of the DPS REST API (service.json / device.json 2021-10-01). */
export interface X509CertificateInfo {
  subjectName: string;
  sha1Thumbprint: string;
  sha256Thumbprint: string;
  issuerName: string;
  notBeforeUtc: string;
  notAfterUtc: string;
  serialNumber: string;
  version: number;
}

/** An enrollment group's X.509 attestation: by CA reference (a verified DPS certificate) or by signing certificate. */
export type GroupAttestation =
  | { kind: 'caReferences'; primary: string; secondary: string | null }
  | { kind: 'signingCertificates'; primaryPem: string; secondaryPem: string | null };

export interface EnrollmentGroup {
  enrollmentGroupId: string;
  attestation: GroupAttestation;
  capabilities: { iotEdge: boolean };
  /** Hub keys of `iotHubs` and `iotHubHostName`, rendered back as host names in responses. */
  iotHubKeys: string[];
  iotHubHostNameKey: string | null;
  initialTwin: unknown;
  provisioningStatus: 'enabled' | 'disabled';
  reprovisionPolicy: { updateHubAssignment: boolean; migrateDeviceData: boolean };
  allocationPolicy: 'hashed' | 'geoLatency' | 'static' | null;
  etag: string;
  createdDateTimeUtc: string;
  lastUpdatedDateTimeUtc: string;
}

/** DeviceRegistrationState of one registration ID, as the DPS remembers it between registrations. */
export interface Registration {
  registrationId: string;
  enrollmentGroupId: string;
  status: 'assigned' | 'disabled';
  substatus: 'initialAssignment' | 'deviceDataMigrated' | null;
  assignedHubKey: string | null;
  deviceId: string | null;
  certificateInfo: X509CertificateInfo;
  signingCertificateInfo: X509CertificateInfo | null;
  etag: string;
  createdDateTimeUtc: string;
  lastUpdatedDateTimeUtc: string;
}

export type IotRecord =
  | { t: 'hubDevice'; hubKey: string; device: DeviceIdentity }
  | { t: 'hubDeviceDelete'; hubKey: string; deviceId: string }
  | { t: 'enrollmentGroup'; hubKey: string; group: EnrollmentGroup }
  | { t: 'enrollmentGroupDelete'; hubKey: string; enrollmentGroupId: string }
  | { t: 'dpsRegistration'; hubKey: string; registration: Registration }
  | { t: 'dpsRegistrationDelete'; hubKey: string; registrationId: string };

function tableOf<T>(tables: Map<string, Map<string, T>>, hubKey: string): Map<string, T> {
  let table = tables.get(hubKey);
  if (!table) {
    table = new Map();
    tables.set(hubKey, table);
  }
  return table;
}

export class IotState {
  /** hubKey → deviceId → identity, in creation order (lists and queries page through it). */
  private readonly devices = new Map<string, Map<string, DeviceIdentity>>();
  /** DPS hubKey → lower-case enrollment group ID → group (IDs are case-insensitive), in creation order. */
  private readonly groups = new Map<string, Map<string, EnrollmentGroup>>();
  /** DPS hubKey → registration ID → registration. */
  private readonly registrations = new Map<string, Map<string, Registration>>();

  devicesOf(hubKey: string): ReadonlyMap<string, DeviceIdentity> {
    return tableOf(this.devices, hubKey);
  }

  enrollmentGroupsOf(dpsKey: string): ReadonlyMap<string, EnrollmentGroup> {
    return tableOf(this.groups, dpsKey);
  }

  enrollmentGroup(dpsKey: string, enrollmentGroupId: string): EnrollmentGroup | undefined {
    return tableOf(this.groups, dpsKey).get(enrollmentGroupId.toLowerCase());
  }

  registrationsOf(dpsKey: string): ReadonlyMap<string, Registration> {
    return tableOf(this.registrations, dpsKey);
  }

  apply(r: IotRecord): void {
    switch (r.t) {
      case 'hubDevice':
        tableOf(this.devices, r.hubKey).set(r.device.deviceId, structuredClone(r.device));
        break;
      case 'hubDeviceDelete':
        tableOf(this.devices, r.hubKey).delete(r.deviceId);
        break;
      case 'enrollmentGroup':
        tableOf(this.groups, r.hubKey).set(r.group.enrollmentGroupId.toLowerCase(), structuredClone(r.group));
        break;
      case 'enrollmentGroupDelete':
        tableOf(this.groups, r.hubKey).delete(r.enrollmentGroupId.toLowerCase());
        break;
      case 'dpsRegistration':
        tableOf(this.registrations, r.hubKey).set(r.registration.registrationId, structuredClone(r.registration));
        break;
      case 'dpsRegistrationDelete':
        tableOf(this.registrations, r.hubKey).delete(r.registrationId);
        break;
    }
  }
}
