// The emulator's state as plain data, and the journal records that change it.
// `State.apply` is the only mutator: live requests and start-up replay go through the same code, so what a restart
// rebuilds is exactly what was acknowledged.
import { randomUUID } from 'node:crypto';
import { Fleet, type FleetRecord } from './fleet-model';
import { IotState, type IotRecord } from './iot/iot-state';
import { SphereCatalogs, type SphereCatalogRecord } from './arm-sphere/sphere-catalogs';

export const PERSONAL_ACCOUNT_DIRECTORY_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const ROLE_NAMES = ['Administrator', 'Contributor', 'Reader'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface Directory {
  id: string;
  name: string;
  /** 'personal' is the Microsoft account directory; everything else is work/school. */
  kind: 'work' | 'personal';
}

export interface User {
  oid: string;
  email: string;
  displayName: string;
  directoryId: string;
  registered: boolean;
}

/** Public API enum values (docs/cloud-api.md#operations; learn.microsoft.com/rest/api/azure-sphere/devices/claim): the
 *  client's own, so both sides name an Operation alike. */
import { OperationState, OperationType } from '../../src/cloud/sphere-api-types';

export { OperationState, OperationType };
/** Public API ErrorCode enum (docs/cloud-api.md#security-service-errors). */
export const ErrorCode = { OperationFailed: 0, BadRequest: 5, Forbidden: 6, Conflict: 7, NotFound: 8 } as const;

export interface Operation {
  OperationId: string;
  OperationType: number;
  State: number;
  TenantId: string;
  CreatedDateUTC: string;
  StartedDateUTC: string;
  /** Null while the operation runs (fleet operations take a moment: fleet-operations.ts). */
  CompletedDateUTC: string | null;
  DetailsLocation: string | null;
  ResourceLocation: string | null;
  /** Why a failed operation failed, in the service's error shape; null otherwise. */
  Error: { Code: number; Message: string } | null;
}

/** The emulator finishes every operation at once: created, started and completed now. */
export function completedOperation(type: number, tenantId: string, resourceLocation: string): Operation {
  const now = new Date().toISOString();
  return {
    OperationId: randomUUID(),
    OperationType: type,
    State: OperationState.Complete,
    TenantId: tenantId,
    CreatedDateUTC: now,
    StartedDateUTC: now,
    CompletedDateUTC: now,
    DetailsLocation: null,
    ResourceLocation: resourceLocation,
    Error: null,
  };
}

export interface TenantCa {
  certPem: string;
  keyPem: string;
  thumbprint: string;
  notBefore: string;
  notAfter: string;
  /**
   * The certificates above this CA, its issuer first: the policy CA, then the root (sphere-ca-chain.ts). Absent for
   * the self-signed tenant CAs of state folders written before the emulator had a root.
   */
  issuerChainPems?: string[];
}

/** A CA certificate and its private key (PEM). */
export interface IssuingCa {
  certPem: string;
  keyPem: string;
}

export interface Tenant {
  id: string;
  name: string;
  directoryId: string;
  createdByOid: string;
  createdFromDeviceId: string | null;
  createdUtc: string;
  /** oid → roles */
  roles: Map<string, Set<RoleName>>;
  cas: TenantCa[];
  /** Claimed device IDs in claim order (paging walks this list). */
  deviceOrder: string[];
}

export interface Subscription {
  id: string;
  displayName: string;
  directoryId: string;
}

export type HubKind = 'IotHubs' | 'provisioningServices';

export interface Hub {
  subscriptionId: string;
  resourceGroup: string;
  kind: HubKind;
  name: string;
  location: string;
  certificates: Map<string, HubCertificate>;
}

export interface HubCertificate {
  name: string;
  certPem: string;
  etag: string;
  isVerified: boolean;
  created: string;
  updated: string;
  verificationCode: string | null;
}

export interface RefreshTokenRecord {
  oid: string;
  clientId: string;
  expiresAt: number;
  /** Epoch seconds of the first redemption (rotation); null while unused. */
  usedAt: number | null;
}

export type JournalRecord =
  | { t: 'directory'; directory: Directory }
  | { t: 'user'; user: Omit<User, 'registered'> }
  | { t: 'registered'; oid: string }
  | { t: 'tenant'; id: string; name: string; directoryId: string; createdByOid: string; createdFromDeviceId: string | null; createdUtc: string; ca: TenantCa; operation: Operation }
  | { t: 'role'; tenantId: string; oid: string; role: RoleName; grant: boolean }
  | { t: 'claim'; tenantId: string; deviceId: string; operation: Operation | null }
  | { t: 'bulkClaim'; tenantId: string; deviceIds: string[] }
  | { t: 'operation'; operation: Operation }
  | { t: 'subscription'; subscription: Subscription }
  | { t: 'hub'; hub: Omit<Hub, 'certificates'> }
  | { t: 'hubCert'; hubKey: string; certificate: HubCertificate }
  | { t: 'hubCertDelete'; hubKey: string; name: string }
  | { t: 'refreshToken'; hash: string; oid: string; clientId: string; expiresAt: number }
  | { t: 'refreshTokenUsed'; hash: string; at: number }
  /** The emulator's own "Azure Sphere" root CA and the policy CA under it, made once per state folder. */
  | { t: 'sphereCas'; root: IssuingCa; policyCa: IssuingCa }
  /** PATCH /v2/tenants/{t}: the tenant's new name. */
  | { t: 'tenantRename'; tenantId: string; name: string }
  | FleetRecord
  /** Device identities, enrollment groups and registrations of the emulated hubs and DPSs (iot/iot-state.ts). */
  | IotRecord
  /** Azure Sphere (Integrated) catalogs over ARM, provider registrations, Azure roles, ARM operations (arm-sphere/sphere-catalogs.ts). */
  | SphereCatalogRecord
  | { t: 'seeded' }
  /** The seed's products and device groups, written apart so a state folder seeded before they existed gets them. */
  | { t: 'seededFleet' };

export function hubKey(kind: HubKind, subscriptionId: string, resourceGroup: string, name: string): string {
  return `${kind}|${subscriptionId}|${resourceGroup}|${name}`.toLowerCase();
}

export class State {
  readonly directories = new Map<string, Directory>();
  readonly users = new Map<string, User>();
  readonly usersByEmail = new Map<string, User>();
  readonly tenants = new Map<string, Tenant>();
  /** deviceId (upper-case) → tenantId: the one-way claim. */
  readonly claims = new Map<string, string>();
  /** device IDs that were presented to create a tenant (one tenant per board). */
  readonly tenantCreationDevices = new Set<string>();
  readonly operations = new Map<string, Operation>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly hubs = new Map<string, Hub>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Products, device groups and which group each device is in. */
  readonly fleet = new Fleet();
  /** What the emulated IoT hubs and DPSs keep: device identities, enrollment groups, registrations. */
  readonly iot = new IotState();
  /** Catalogs and the rest of Azure Sphere (Integrated) over ARM; their fleets are tenants' fleets. */
  readonly sphere = new SphereCatalogs();
  /** Root and policy CA that issue tenant CAs; null until the first tenant CA is made (sphere-ca-chain.ts). */
  sphereCas: { root: IssuingCa; policyCa: IssuingCa } | null = null;
  seeded = false;
  seededFleet = false;

  constructor() {
    this.directories.set(PERSONAL_ACCOUNT_DIRECTORY_ID, { id: PERSONAL_ACCOUNT_DIRECTORY_ID, name: 'Microsoft Services', kind: 'personal' });
  }

  apply(r: JournalRecord): void {
    switch (r.t) {
      case 'directory':
        this.directories.set(r.directory.id, { ...r.directory });
        break;
      case 'user': {
        const user: User = { ...r.user, registered: this.users.get(r.user.oid)?.registered ?? false };
        this.users.set(user.oid, user);
        this.usersByEmail.set(user.email.toLowerCase(), user);
        break;
      }
      case 'registered': {
        const user = this.users.get(r.oid);
        if (user) user.registered = true;
        break;
      }
      case 'tenant':
        this.tenants.set(r.id, {
          id: r.id,
          name: r.name,
          directoryId: r.directoryId,
          createdByOid: r.createdByOid,
          createdFromDeviceId: r.createdFromDeviceId,
          createdUtc: r.createdUtc,
          roles: new Map([[r.createdByOid, new Set<RoleName>(['Administrator'])]]),
          cas: [r.ca],
          deviceOrder: [],
        });
        if (r.createdFromDeviceId) this.tenantCreationDevices.add(r.createdFromDeviceId);
        this.operations.set(r.operation.OperationId, r.operation);
        break;
      case 'role': {
        const tenant = this.mustTenant(r.tenantId);
        const roles = tenant.roles.get(r.oid) ?? new Set<RoleName>();
        if (r.grant) roles.add(r.role);
        else roles.delete(r.role);
        if (roles.size > 0) tenant.roles.set(r.oid, roles);
        else tenant.roles.delete(r.oid);
        break;
      }
      case 'claim':
        this.claim(r.tenantId, r.deviceId);
        if (r.operation) this.operations.set(r.operation.OperationId, r.operation);
        break;
      case 'bulkClaim':
        for (const id of r.deviceIds) this.claim(r.tenantId, id);
        break;
      case 'operation':
        this.operations.set(r.operation.OperationId, r.operation);
        break;
      case 'subscription':
        this.subscriptions.set(r.subscription.id, { ...r.subscription });
        break;
      case 'hub': {
        const key = hubKey(r.hub.kind, r.hub.subscriptionId, r.hub.resourceGroup, r.hub.name);
        this.hubs.set(key, { ...r.hub, certificates: new Map() });
        break;
      }
      case 'hubCert':
        this.mustHub(r.hubKey).certificates.set(r.certificate.name.toLowerCase(), { ...r.certificate });
        break;
      case 'hubCertDelete':
        this.mustHub(r.hubKey).certificates.delete(r.name.toLowerCase());
        break;
      case 'refreshToken':
        this.refreshTokens.set(r.hash, { oid: r.oid, clientId: r.clientId, expiresAt: r.expiresAt, usedAt: null });
        break;
      case 'refreshTokenUsed': {
        const rt = this.refreshTokens.get(r.hash);
        if (rt) rt.usedAt ??= r.at;
        break;
      }
      case 'sphereCas':
        this.sphereCas ??= { root: { ...r.root }, policyCa: { ...r.policyCa } };
        break;
      case 'hubDevice':
      case 'hubDeviceDelete':
      case 'enrollmentGroup':
      case 'enrollmentGroupDelete':
      case 'dpsRegistration':
      case 'dpsRegistrationDelete':
        this.mustHub(r.hubKey);
        this.iot.apply(r);
        break;
      case 'product':
        this.mustTenant(r.product.tenantId);
        this.fleet.apply(r);
        break;
      case 'deviceGroup':
        this.fleet.apply(r);
        break;
      case 'deviceMove':
        if (this.claims.get(r.deviceId) !== r.tenantId) throw new Error(`invariant broken: device ${r.deviceId} moved to a group of tenant ${r.tenantId}, which does not hold it`);
        this.fleet.apply(r);
        this.operations.set(r.operation.OperationId, r.operation);
        break;
      case 'fleetOperation':
      case 'fleetOperationEnd':
        this.fleet.apply(r, this);
        this.operations.set(r.operation.OperationId, r.operation);
        break;
      case 'bulkPlacement':
      case 'deviceCheckIn':
      case 'deviceEvents':
      case 'seededInsights':
        this.fleet.apply(r, this);
        break;
      case 'sphereProvider':
      case 'sphereCatalog':
      case 'sphereCatalogDelete':
      case 'sphereRole':
      case 'sphereOperation':
      case 'sphereTouched':
      case 'sphereGroupBoundary':
      case 'sphereImageDelete':
      case 'sphereDeploymentDelete':
      case 'seededCatalogs':
        this.sphere.apply(r, this);
        break;
      case 'tenantRename':
        this.mustTenant(r.tenantId).name = r.name;
        break;
      case 'seeded':
        this.seeded = true;
        break;
      case 'seededFleet':
        this.seededFleet = true;
        break;
    }
  }

  private claim(tenantId: string, deviceId: string): void {
    const tenant = this.mustTenant(tenantId);
    const owner = this.claims.get(deviceId);
    if (owner === tenantId) return;
    if (owner !== undefined) throw new Error(`invariant broken: device ${deviceId} already in tenant ${owner}`);
    this.claims.set(deviceId, tenantId);
    tenant.deviceOrder.push(deviceId);
  }

  private mustTenant(id: string): Tenant {
    const tenant = this.tenants.get(id);
    if (!tenant) throw new Error(`journal refers to unknown tenant ${id}`);
    return tenant;
  }

  private mustHub(key: string): Hub {
    const hub = this.hubs.get(key);
    if (!hub) throw new Error(`journal refers to unknown hub ${key}`);
    return hub;
  }
}
