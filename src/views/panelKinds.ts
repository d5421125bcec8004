// Every kind of webview panel the extension has: their serializers are registered at activation (each viewType is
// also listed as `onWebviewPanel:<viewType>` in package.json). Adding a panel: one entry here.
import type { Services } from '../services';
import { certificateWizardPanel } from './certificateWizardPanel';
import { claimWizardPanel } from './claimWizardPanel';
import type { AnyPanel, PanelKind } from './webviewPanels';
import { doctorPanelKind } from '../doctor/doctorPanel';

export const allPanelKinds: readonly PanelKind<Services, AnyPanel>[] = [certificateWizardPanel, claimWizardPanel, doctorPanelKind];
