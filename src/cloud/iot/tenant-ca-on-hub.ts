// Whether a tenant's CA is uploaded and verified on an IoT hub or DPS: the condition for CA-signed devices of that
// tenant to authenticate there (learn.microsoft.com/azure/iot-hub/authenticate-authorize-x509). Matched by thumbprint
// against every CA the tenant has (the active one and any it rotated from).
import type { ArmCertificateClient, HubCertificate, HubRef } from '../arm-certificate-client';
import { CloudError } from '../errors';
import type { SphereApiClient } from '../sphere-api-client';

export type CaOnHub =
  | { readonly state: 'verified'; readonly certificate: HubCertificate }
  | { readonly state: 'unverified'; readonly certificate: HubCertificate }
  | { readonly state: 'missing' };

/** The tenant CA is not verified on the hub: nothing was created. The CA wizard fixes it (`hub` says where). */
export class TenantCaNotVerifiedError extends CloudError {
  constructor(
    readonly hub: HubRef,
    readonly tenantId: string,
    readonly found: CaOnHub['state'],
  ) {
    const where = `${hub.kind === 'dps' ? 'provisioning service' : 'IoT hub'} "${hub.name}"`;
    super(
      found === 'unverified'
        ? `The tenant's CA certificate is uploaded to ${where} but not verified yet; prove possession of it first (Validate CA Certificate…). Nothing was created.`
        : `The tenant's CA certificate is not on ${where}; upload and verify it first (Validate CA Certificate…). Nothing was created.`,
      'ca_not_verified',
    );
  }
}

export async function findTenantCaOnHub(arm: ArmCertificateClient, api: SphereApiClient, tenantId: string, hub: HubRef, signal?: AbortSignal): Promise<CaOnHub> {
  const [tenantCas, hubCertificates] = await Promise.all([api.listCaCertificates(tenantId, signal), arm.listCertificates(hub, signal)]);
  const thumbprints = new Set(tenantCas.filter((c) => !c.IsRevoked).map((c) => c.Thumbprint.toUpperCase()));
  const mine = hubCertificates.filter((c) => c.properties.thumbprint && thumbprints.has(c.properties.thumbprint.toUpperCase()));
  const verified = mine.find((c) => c.properties.isVerified);
  if (verified) return { state: 'verified', certificate: verified };
  return mine[0] ? { state: 'unverified', certificate: mine[0] } : { state: 'missing' };
}

export async function requireTenantCaVerified(arm: ArmCertificateClient, api: SphereApiClient, tenantId: string, hub: HubRef, signal?: AbortSignal): Promise<HubCertificate> {
  const found = await findTenantCaOnHub(arm, api, tenantId, hub, signal);
  if (found.state !== 'verified') throw new TenantCaNotVerifiedError(hub, tenantId, found.state);
  return found.certificate;
}
