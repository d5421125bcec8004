// "Create DPS Enrollment Group": an X.509 enrollment group on a Device Provisioning Service that trusts the tenant CA
// (verified on the DPS) and assigns the tenant's boards to a linked IoT hub (where the CA must be verified too, or
// the assigned devices could not connect) — learn.microsoft.com/azure-sphere/app-development/setup-iot-hub-with-dps.
// Creates the group, or updates it in place (If-Match its etag) when one with that name exists.
import type { HubRef } from '../arm-certificate-client';
import { InvalidArgumentError } from '../errors';
import { DpsEnrollmentClient, requireEnrollmentGroupId, type EnrollmentGroup } from './dps-enrollment-client';
import { requireHostName } from './hub-host-name';
import type { IotClients } from './hub-device-connection';
import { requireTenantCaVerified, type CaOwner } from './tenant-ca-on-hub';

export interface DpsEnrollment {
  readonly group: EnrollmentGroup;
  readonly created: boolean;
  /** What a board's app needs: `--ScopeID <idScope>`, and the global endpoint in AllowedConnections. */
  readonly idScope: string;
  readonly deviceProvisioningHostName: string;
  readonly hubHostName: string;
}

/** The DPS's service client, signed with its `provisioningserviceowner` key read through ARM. */
export async function dpsClientFor(clients: IotClients, dps: HubRef, signal?: AbortSignal): Promise<{ client: DpsEnrollmentClient; idScope: string; deviceProvisioningHostName: string; linkedHubs: string[] }> {
  if (dps.kind !== 'dps') throw new InvalidArgumentError(`"${dps.name}" is an IoT hub, not a provisioning service.`);
  const resource = await clients.arm.getHub(dps, signal);
  const p = resource.properties ?? {};
  const client = new DpsEnrollmentClient({
    hostName: requireHostName('provisioning service host name', p.serviceOperationsHostName),
    readKey: async (s) => {
      const policy = await clients.arm.getSharedAccessPolicy(dps, 'provisioningserviceowner', s);
      return { keyName: policy.keyName, key: policy.primaryKey };
    },
    transport: clients.transport,
    logger: clients.logger,
  });
  if (!p.idScope) throw new InvalidArgumentError(`Provisioning service "${dps.name}" reports no ID scope.`);
  return {
    client,
    idScope: p.idScope,
    deviceProvisioningHostName: requireHostName('device provisioning host name', p.deviceProvisioningHostName ?? 'global.azure-devices-provisioning.net'),
    linkedHubs: (p.iotHubs ?? []).map((h) => h.name.toLowerCase()),
  };
}

export async function enrollTenantInDps(
  clients: IotClients,
  request: { ca: CaOwner; dps: HubRef; hub: HubRef; enrollmentGroupId: string; signal?: AbortSignal },
): Promise<DpsEnrollment> {
  const groupId = requireEnrollmentGroupId(request.enrollmentGroupId);
  if (request.hub.kind !== 'iotHub') throw new InvalidArgumentError(`"${request.hub.name}" is not an IoT hub.`);
  const dps = await dpsClientFor(clients, request.dps, request.signal);
  const hubResource = await clients.arm.getHub(request.hub, request.signal);
  const hubHostName = requireHostName('IoT hub host name', hubResource.properties?.hostName);
  if (!dps.linkedHubs.includes(hubHostName.toLowerCase())) {
    throw new InvalidArgumentError(
      `IoT hub "${request.hub.name}" is not linked to provisioning service "${request.dps.name}"${dps.linkedHubs.length ? ` (linked: ${dps.linkedHubs.join(', ')})` : ' (it has no linked hubs)'}; link it in the portal first. Nothing was created.`,
    );
  }
  const caOnDps = await requireTenantCaVerified(clients.arm, request.ca, request.dps, request.signal);
  await requireTenantCaVerified(clients.arm, request.ca, request.hub, request.signal);
  const existing = await dps.client.getEnrollmentGroup(groupId, request.signal);
  const group = await dps.client.putCaEnrollmentGroup(
    groupId,
    { caCertificateName: caOnDps.name, hubHostName, etag: existing?.etag },
    request.signal,
  );
  return { group, created: !existing, idScope: dps.idScope, deviceProvisioningHostName: dps.deviceProvisioningHostName, hubHostName };
}
