// The simulator's stand-in for Microsoft's AzureIoT sample (github.com/Azure/azure-sphere-samples, Samples/AzureIoT):
// an application image package whose app_manifest.json carries the connection settings the real sample reads
// (CmdArgs --ConnectionType IoTHub --Hostname … or DPS --ScopeID …, AllowedConnections, DeviceAuthentication). The
// simulated board runs no code from a package; it reads these settings from the manifest of a running app and makes
// the connection itself. A real board refuses this package: its executable is a placeholder, not ARM code.
import { randomUUID } from 'node:crypto';
import { writeImagePackage } from '../common/image-package-writer';

/** Fixed, so a second deploy replaces the first (a new hub is a new version of the same app). */
export const AZURE_IOT_SAMPLE_COMPONENT_ID = '5a7e1e07-1c0d-4a2b-9e3f-0a1b2c3d4e5f';
export const AZURE_IOT_SAMPLE_NAME = 'AzureIoTSample';

export interface IotSampleSettings {
  readonly CmdArgs: readonly string[];
  readonly Capabilities: { readonly AllowedConnections: readonly string[]; readonly DeviceAuthentication: string };
}

/** A development package (signed with the SDK's development key): the board must be in development mode to take it. */
export function azureIotSamplePackage(settings: IotSampleSettings, builtAt: Date): Buffer {
  const placeholder = Buffer.from('Sphere Explorer simulator sample: the simulated board connects for the app it names.\n');
  return writeImagePackage({
    componentId: AZURE_IOT_SAMPLE_COMPONENT_ID,
    // Each build is a new image of the same component.
    imageId: randomUUID(),
    name: AZURE_IOT_SAMPLE_NAME,
    buildDate: builtAt,
    underDevelopment: true,
    manifest: {
      SchemaVersion: 1,
      Name: AZURE_IOT_SAMPLE_NAME,
      ComponentId: AZURE_IOT_SAMPLE_COMPONENT_ID,
      EntryPoint: '/bin/app',
      CmdArgs: [...settings.CmdArgs],
      Capabilities: {
        AllowedConnections: [...settings.Capabilities.AllowedConnections],
        DeviceAuthentication: settings.Capabilities.DeviceAuthentication,
        MutableStorage: { SizeKB: 8 },
      },
      ApplicationType: 'Default',
      TargetApplicationRuntimeVersion: 16,
    },
    files: { 'bin/app': placeholder },
  });
}
