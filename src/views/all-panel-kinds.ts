// Every kind of webview panel the extension has: their serializers are registered at activation (each viewType is
// also listed as `onWebviewPanel:<viewType>` in package.json). Adding a panel: one entry here.
import type { Services } from '../services';
import { certificateWizardPanel } from '../wizards/certificate/certificate-wizard-panel';
import { claimWizardPanel } from '../wizards/claim/claim-wizard-panel';
import type { AnyPanel, PanelKind } from './webview-panel-manager';
import { doctorPanelKind } from '../doctor/doctor-panel';

export const allPanelKinds: readonly PanelKind<Services, AnyPanel>[] = [certificateWizardPanel, claimWizardPanel, doctorPanelKind];
