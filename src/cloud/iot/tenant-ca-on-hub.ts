// Whether a tenant's (or catalog's) CA is uploaded and verified on an IoT hub or DPS: the condition for CA-signed
// devices of that tenant to authenticate there (learn.microsoft.com/azure/iot-hub/authenticate-authorize-x509).
// Matched by thumbprint against every CA it has (the active one and any it rotated from), read through the fleet
// model, so a legacy tenant and a catalog are asked the same way.
import type { ArmCertificateClient, HubCertificate, HubRef } from '../arm-certificate-client';
import type { FleetBackend, FleetScope } from '../backend/fleet-backend';
import { CloudError } from '../errors';

/** Whose CA devices chain to: a tenant or a catalog, and the model that reads its CA certificates. */
export interface CaOwner {
  readonly scope: FleetScope;
  readonly backend: FleetBackend;
}

export type CaOnHub =
  | { readonly state: 'verified'; readonly certificate: HubCertificate }
  | { readonly state: 'unverified'; readonly certificate: HubCertificate }
  | { readonly state: 'missing' };

/** The tenant CA is not verified on the hub: nothing was created. The CA wizard fixes it (`hub` says where). */
export class TenantCaNotVerifiedError extends CloudError {
  constructor(
    readonly hub: HubRef,
    readonly scope: Pick<FleetScope, 'id' | 'kind' | 'name'>,
    readonly found: CaOnHub['state'],
  ) {
    const where = `${hub.kind === 'dps' ? 'provisioning service' : 'IoT hub'} "${hub.name}"`;
    const whose = scope.kind === 'catalog' ? `The CA certificate of catalog ${scope.name}` : "The tenant's CA certificate";
    super(
      found === 'unverified'
        ? `${whose} is uploaded to ${where} but not verified yet; prove possession of it first (Validate CA Certificate…). Nothing was created.`
        : `${whose} is not on ${where}; upload and verify it first (Validate CA Certificate…). Nothing was created.`,
      'ca_not_verified',
    );
  }
}

export async function findTenantCaOnHub(arm: ArmCertificateClient, owner: CaOwner, hub: HubRef, signal?: AbortSignal): Promise<CaOnHub> {
  const [cas, hubCertificates] = await Promise.all([owner.backend.listCaCertificates(owner.scope, { signal }), arm.listCertificates(hub, signal)]);
  const thumbprints = new Set(cas.filter((c) => c.status !== 'Revoked' && c.thumbprint).map((c) => c.thumbprint!.toUpperCase()));
  const mine = hubCertificates.filter((c) => c.properties.thumbprint && thumbprints.has(c.properties.thumbprint.toUpperCase()));
  const verified = mine.find((c) => c.properties.isVerified);
  if (verified) return { state: 'verified', certificate: verified };
  return mine[0] ? { state: 'unverified', certificate: mine[0] } : { state: 'missing' };
}

export async function requireTenantCaVerified(arm: ArmCertificateClient, owner: CaOwner, hub: HubRef, signal?: AbortSignal): Promise<HubCertificate> {
  const found = await findTenantCaOnHub(arm, owner, hub, signal);
  if (found.state !== 'verified') throw new TenantCaNotVerifiedError(hub, owner.scope, found.state);
  return found.certificate;
}
