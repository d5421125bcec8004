// What a board's app needs in app_manifest.json to reach a hub with the device certificate, as Microsoft's AzureIoT
// sample reads it (github.com/Azure/azure-sphere-samples, Samples/AzureIoT/READMEStartWithIoTHub.md and
// READMEAddDPS.md): CmdArgs with the connection type and the hub host name or DPS ID scope, every host it talks to
// in AllowedConnections (host names only: the manifest has no ports), and the tenant in DeviceAuthentication.

export type IotTarget =
  | { readonly kind: 'hub'; readonly hubHostName: string }
  | { readonly kind: 'dps'; readonly idScope: string; readonly deviceProvisioningHostName: string; readonly hubHostName: string };

export interface IotManifestSettings {
  readonly CmdArgs: readonly string[];
  readonly Capabilities: { readonly AllowedConnections: readonly string[]; readonly DeviceAuthentication: string };
}

function hostOnly(hostName: string): string {
  return hostName.replace(/:\d+$/, '');
}

export function iotManifestSettings(target: IotTarget, tenantId: string): IotManifestSettings {
  if (target.kind === 'hub') {
    return {
      CmdArgs: ['--ConnectionType', 'IoTHub', '--Hostname', target.hubHostName],
      Capabilities: { AllowedConnections: [hostOnly(target.hubHostName)], DeviceAuthentication: tenantId },
    };
  }
  return {
    CmdArgs: ['--ConnectionType', 'DPS', '--ScopeID', target.idScope],
    Capabilities: {
      AllowedConnections: [...new Set([hostOnly(target.deviceProvisioningHostName), hostOnly(target.hubHostName)])],
      DeviceAuthentication: tenantId,
    },
  };
}
