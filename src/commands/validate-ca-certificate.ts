import type { FleetScope } from '../cloud/backend/fleet-backend';
import type { CommandModule } from '../common/command-registry';
import { UserFacingError } from '../common/errors';
import { fleetArg, scopeOf, type FleetArg } from '../fleet/fleet-target';
import type { Services } from '../services';
import { certificateWizardPanel, type CertificateWizardPanel } from '../wizards/certificate/certificate-wizard-panel';
import { CommandId } from './ids';

/**
 * Opens the certificate-validation wizard for a tenant or a catalog — the node it was run on, the one named
 * ({ tenantId }: a tenant GUID or a catalog's resource ID), the selected tenant, or a pick: its CA certificates,
 * downloads, and proof of possession to IoT Hub / DPS by hand or in one go. Returns the panel (integration tests drive it).
 */
export const validateCaCertificate: CommandModule<Services> = {
  id: CommandId.validateCaCertificate,
  async run(services, arg?: unknown): Promise<CertificateWizardPanel> {
    if (!(await services.tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first: the CA certificate belongs to your tenant or catalog.');
    const scope = await scopeOf(services.tenants, caTargetOf(arg), 'Validate the CA certificate of which tenant or catalog?');
    return services.panels.show(certificateWizardPanel, services, scope);
  },
};

/** What a CA command was run on: FleetArg, plus the Accounts view's catalog node, which carries its scope as `catalog`. */
export function caTargetOf(arg: unknown): FleetArg {
  const target = fleetArg(arg);
  const catalog = (target as { catalog?: FleetScope }).catalog;
  return !target.scope && catalog?.kind === 'catalog' ? { ...target, scope: catalog } : target;
}
