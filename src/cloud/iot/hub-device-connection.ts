// "Connect Board to IoT Hub": the device identity a claimed board needs on a hub to authenticate with its daily
// device certificate. IoT Hub wants the leaf's CN as the device ID, and an Azure Sphere device certificate carries the
// device ID in lower case (learn.microsoft.com/azure-sphere/app-development/setup-iot-hub), so the identity is the
// lower-case ID, of type certificateAuthority, on a hub where the tenant CA is verified. Everything is checked before
// anything is created.
import type { ArmCertificateClient, HubRef } from '../arm-certificate-client';
import { CloudError, InvalidArgumentError } from '../errors';
import type { HttpTransport } from '../https-transport';
import type { Logger } from '../../common/logger';
import type { SphereApiClient } from '../sphere-api-client';
import { requireHostName } from './hub-host-name';
import { HubRegistryClient, type HubDeviceIdentity } from './hub-registry-client';
import { requireTenantCaVerified, type CaOwner } from './tenant-ca-on-hub';

export interface IotClients {
  readonly arm: ArmCertificateClient;
  readonly api: SphereApiClient;
  readonly transport: HttpTransport;
  readonly logger?: Logger;
}

/** An identity with this ID exists but does not authenticate with a CA-signed certificate: it cannot be used. */
export class IncompatibleIdentityError extends CloudError {
  constructor(hostName: string, type: string | undefined) {
    super(
      `IoT hub ${hostName} already has a device with this ID that authenticates with ${type ?? 'another method'}, not a CA-signed certificate; delete it on the hub or pick another hub. Nothing was changed.`,
      'incompatible_identity',
    );
  }
}

/** An Azure Sphere device ID (128 hex characters), as the hub must name it: lower case. */
export function hubDeviceIdFor(deviceId: string): string {
  if (!/^[0-9a-fA-F]{128}$/.test(deviceId ?? '')) {
    throw new InvalidArgumentError(`"${deviceId}" is not an Azure Sphere device ID (128 hexadecimal characters, as show-attached prints it).`);
  }
  return deviceId.toLowerCase();
}

/** The hub's registry client, signed with its `iothubowner` key read through ARM. */
export async function hubRegistryFor(clients: IotClients, hub: HubRef, signal?: AbortSignal): Promise<HubRegistryClient> {
  if (hub.kind !== 'iotHub') throw new InvalidArgumentError(`"${hub.name}" is a provisioning service, not an IoT hub.`);
  const resource = await clients.arm.getHub(hub, signal);
  const hostName = requireHostName('IoT hub host name', resource.properties?.hostName);
  return new HubRegistryClient({
    hostName,
    readKey: async (s) => {
      const policy = await clients.arm.getSharedAccessPolicy(hub, 'iothubowner', s);
      return { keyName: policy.keyName, key: policy.primaryKey };
    },
    transport: clients.transport,
    logger: clients.logger,
  });
}

export type ExistingIdentityChoice = (identity: HubDeviceIdentity, hostName: string) => Promise<boolean>;

export interface HubConnection {
  readonly hub: HubRef;
  readonly hostName: string;
  readonly identity: HubDeviceIdentity;
  /** False when an existing identity was used. */
  readonly created: boolean;
}

/**
 * Makes sure `deviceId` (claimed where `ca` says) has a CA-signed identity on `hub`. When one exists, `useExisting`
 * decides (a person is asked); declining creates it anyway, so the hub's own DeviceAlreadyExists error is what the
 * person reads.
 */
export async function connectDeviceToHub(
  clients: IotClients,
  request: { ca: CaOwner; deviceId: string; hub: HubRef; useExisting: ExistingIdentityChoice; signal?: AbortSignal },
): Promise<HubConnection> {
  const deviceId = hubDeviceIdFor(request.deviceId);
  await requireTenantCaVerified(clients.arm, request.ca, request.hub, request.signal);
  const registry = await hubRegistryFor(clients, request.hub, request.signal);
  const existing = await registry.getDevice(deviceId, request.signal);
  if (existing) {
    const type = existing.authentication?.type;
    if (type !== 'certificateAuthority') throw new IncompatibleIdentityError(registry.hostName, type);
    if (await request.useExisting(existing, registry.hostName)) {
      return { hub: request.hub, hostName: registry.hostName, identity: existing, created: false };
    }
  }
  const identity = await registry.createCaSignedDevice(deviceId, request.signal);
  return { hub: request.hub, hostName: registry.hostName, identity, created: true };
}
