// The message after a board is connected to a hub or enrolled in DPS: what happened, whether the board has its device
// certificate (and why not), and the app manifest settings its app needs, to copy.
import * as vscode from 'vscode';
import type { IotManifestSettings } from '../cloud/iot/app-manifest-settings';
import { CommandId } from '../commands/ids';
import type { DeviceAuthReadiness } from '../device';
import type { IotLink } from './iot-links';
import { writeIotSamplePackage } from './iot-sample';

export const COPY_MANIFEST_SETTINGS = 'Copy App Manifest Settings';
export const MONITOR_TELEMETRY = 'Monitor Telemetry';
export const DEPLOY_SAMPLE = 'Deploy Sample App';

/** The fragment to paste into app_manifest.json, as text. */
export function manifestSettingsText(settings: IotManifestSettings): string {
  return JSON.stringify(settings, null, 2);
}

export interface ConnectionOutcome {
  readonly headline: string;
  readonly settings: IotManifestSettings;
  readonly readiness: DeviceAuthReadiness | undefined;
  readonly link: IotLink;
  /** For a simulated board: where to write the AzureIoT sample, and which board to deploy it to. */
  readonly sample?: { readonly dir: string; readonly boardKey: string };
}

export async function showConnectionOutcome(outcome: ConnectionOutcome): Promise<void> {
  const certificate = !outcome.readiness
    ? ''
    : outcome.readiness.ready
      ? ' The board has its device certificate: an app with these settings connects now.'
      : ` The board cannot authenticate yet: ${outcome.readiness.reason}.`;
  const show = outcome.readiness?.ready === false ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const sample = outcome.sample ? ' This is a simulated board: Deploy Sample App installs an app with these settings.' : '';
  const buttons = [...(outcome.sample ? [DEPLOY_SAMPLE] : []), COPY_MANIFEST_SETTINGS, MONITOR_TELEMETRY];
  const answer = await show(`${outcome.headline}${certificate} Its app needs ${outcome.settings.CmdArgs.join(' ')} and the tenant in DeviceAuthentication.${sample}`, ...buttons);
  if (answer === DEPLOY_SAMPLE && outcome.sample) {
    const packagePath = await writeIotSamplePackage(outcome.sample.dir, outcome.settings);
    await vscode.commands.executeCommand(CommandId.deployImagePackage, { boardKey: outcome.sample.boardKey, packagePath });
    return;
  }
  if (answer === COPY_MANIFEST_SETTINGS) {
    await vscode.env.clipboard.writeText(manifestSettingsText(outcome.settings));
    void vscode.window.showInformationMessage('Copied: paste CmdArgs and Capabilities into the app’s app_manifest.json.');
  } else if (answer === MONITOR_TELEMETRY) {
    await vscode.commands.executeCommand(CommandId.monitorTelemetry, { link: outcome.link });
  }
}
