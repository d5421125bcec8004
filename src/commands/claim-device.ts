import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { claimWizardPanel, type ClaimWizardPanel } from '../wizards/claim/claim-wizard-panel';
import { CommandId } from './ids';

/**
 * azsphere device claim, as a wizard: account and tenant, the board, typing the tenant's name, progress, next steps.
 * Run on a board's node, that board is preselected. Returns the panel (integration tests drive it).
 */
export const claimDevice: CommandModule<Services> = {
  id: CommandId.claimDevice,
  run(services, arg): ClaimWizardPanel {
    return services.panels.show(claimWizardPanel, services, arg);
  },
};
