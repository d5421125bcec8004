import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { iotManifestSettings } from '../cloud/iot/app-manifest-settings';
import { manifestSettingsText } from '../iot/connection-outcome';
import { linkFromArg } from '../iot/link-target';
import type { Services } from '../services';
import { CommandId } from './ids';

/** The CmdArgs and Capabilities a board's app needs for this hub link, to paste into app_manifest.json. */
export const copyIotAppManifestSettings: CommandModule<Services> = {
  id: CommandId.copyIotAppManifestSettings,
  async run({ devices, iot }, arg) {
    const link = await linkFromArg(devices.model, iot, arg, 'Copy the app manifest settings of which hub link?');
    const settings = iotManifestSettings(
      link.dps
        ? { kind: 'dps', idScope: link.dps.idScope, deviceProvisioningHostName: link.dps.deviceProvisioningHostName, hubHostName: link.hubHostName }
        : { kind: 'hub', hubHostName: link.hubHostName },
      link.tenantId,
    );
    const text = manifestSettingsText(settings);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`Copied the app manifest settings for ${link.dps ? `${link.dps.ref.name} → ` : ''}${link.hub.name}.`);
    return text;
  },
};
