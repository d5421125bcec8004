// The message after a board is connected to a hub or enrolled in DPS: what happened, whether the board has its device
// certificate (and why not), and the app manifest settings its app needs, to copy.
import * as vscode from 'vscode';
import type { IotManifestSettings } from '../cloud/iot/app-manifest-settings';
import { CommandId } from '../commands/ids';
import type { DeviceAuthReadiness } from '../device';
import type { IotLink } from './iot-links';

export const COPY_MANIFEST_SETTINGS = 'Copy App Manifest Settings';
export const MONITOR_TELEMETRY = 'Monitor Telemetry';

/** The fragment to paste into app_manifest.json, as text. */
export function manifestSettingsText(settings: IotManifestSettings): string {
  return JSON.stringify(settings, null, 2);
}

export async function showConnectionOutcome(outcome: { headline: string; settings: IotManifestSettings; readiness: DeviceAuthReadiness | undefined; link: IotLink }): Promise<void> {
  const certificate = !outcome.readiness
    ? ''
    : outcome.readiness.ready
      ? ' The board has its device certificate: an app with these settings connects now.'
      : ` The board cannot authenticate yet: ${outcome.readiness.reason}.`;
  const show = outcome.readiness?.ready === false ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const answer = await show(`${outcome.headline}${certificate} Its app needs ${outcome.settings.CmdArgs.join(' ')} and the tenant in DeviceAuthentication.`, COPY_MANIFEST_SETTINGS, MONITOR_TELEMETRY);
  if (answer === COPY_MANIFEST_SETTINGS) {
    await vscode.env.clipboard.writeText(manifestSettingsText(outcome.settings));
    void vscode.window.showInformationMessage('Copied: paste CmdArgs and Capabilities into the app’s app_manifest.json.');
  } else if (answer === MONITOR_TELEMETRY) {
    await vscode.commands.executeCommand(CommandId.monitorTelemetry, { link: outcome.link });
  }
}
