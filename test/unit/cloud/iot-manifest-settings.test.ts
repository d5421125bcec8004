// The app manifest settings a board's app needs, as Microsoft's AzureIoT sample reads them.
import * as assert from 'node:assert/strict';
import { iotManifestSettings } from '../../../src/cloud/iot/app-manifest-settings';

const TENANT = '768c2cd6-1bf0-4521-9f53-084a331d81cb';

describe('cloud/iot app manifest settings', () => {
  it('direct to a hub: IoTHub and the host name in CmdArgs; AllowedConnections without the port', () => {
    assert.deepEqual(iotManifestSettings({ kind: 'hub', hubHostName: '127.0.0.1:40001' }, TENANT), {
      CmdArgs: ['--ConnectionType', 'IoTHub', '--Hostname', '127.0.0.1:40001'],
      Capabilities: { AllowedConnections: ['127.0.0.1'], DeviceAuthentication: TENANT },
    });
  });

  it('through DPS: the ID scope, and both the provisioning endpoint and the hub allowed', () => {
    const s = iotManifestSettings({ kind: 'dps', idScope: '0ne000A1B2C', deviceProvisioningHostName: 'global.azure-devices-provisioning.net', hubHostName: 'contoso-hub.azure-devices.net' }, TENANT);
    assert.deepEqual(s.CmdArgs, ['--ConnectionType', 'DPS', '--ScopeID', '0ne000A1B2C']);
    assert.deepEqual(s.Capabilities.AllowedConnections, ['global.azure-devices-provisioning.net', 'contoso-hub.azure-devices.net']);
  });
});
