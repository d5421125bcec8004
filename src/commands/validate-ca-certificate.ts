import type { CommandModule } from '../common/command-registry';
import { UserFacingError } from '../common/errors';
import type { Services } from '../services';
import { certificateWizardPanel, type CertificateWizardPanel } from '../wizards/certificate/certificate-wizard-panel';
import { CommandId } from './ids';

/**
 * Opens the certificate-validation wizard for the selected tenant: its CA certificates, downloads, and proof of
 * possession to IoT Hub / DPS by hand or in one go. Returns the panel (integration tests drive it).
 */
export const validateCaCertificate: CommandModule<Services> = {
  id: CommandId.validateCaCertificate,
  async run(services): Promise<CertificateWizardPanel> {
    if (!(await services.tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first: the CA certificate belongs to your tenant.');
    if (!(await services.tenants.selectedTenant())) throw new UserFacingError('Select an Azure Sphere tenant first (Accounts view, or "Azure Sphere: Select Tenant").');
    return services.panels.show(certificateWizardPanel, services);
  },
};
