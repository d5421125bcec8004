// How the simulated board reads an app's CmdArgs for its IoT connection, as Microsoft's AzureIoT sample takes them.
import * as assert from 'node:assert/strict';
import { hostAndPort, iotSettingsFromCmdArgs, isValidHost } from '../../../emulator/board/iot/connection-settings';

describe('board-sim IoT: connection settings from CmdArgs', () => {
  it('reads --ConnectionType IoTHub --Hostname and DPS --ScopeID, with or without the type, in either option form', () => {
    assert.deepEqual(iotSettingsFromCmdArgs(['--ConnectionType', 'IoTHub', '--Hostname', 'contoso.azure-devices.net']), { settings: { kind: 'hub', hostname: 'contoso.azure-devices.net' } });
    assert.deepEqual(iotSettingsFromCmdArgs(['--Hostname', '127.0.0.1:40001']), { settings: { kind: 'hub', hostname: '127.0.0.1:40001' } });
    assert.deepEqual(iotSettingsFromCmdArgs(['--ConnectionType=DPS', '--ScopeID=0ne0099999D', '--RTComponentId', '6583cf17-d321-4d72-8283-0b7c5b56442b']), { settings: { kind: 'dps', idScope: '0ne0099999D' } });
    assert.deepEqual(iotSettingsFromCmdArgs(['--ScopeID', '0ne00111111']), { settings: { kind: 'dps', idScope: '0ne00111111' } });
  });

  it('says nothing for an app without IoT options, and what is wrong with bad ones', () => {
    assert.equal(iotSettingsFromCmdArgs(undefined), undefined);
    assert.equal(iotSettingsFromCmdArgs([]), undefined);
    assert.equal(iotSettingsFromCmdArgs(['--Verbose', 'yes']), undefined);
    const problems: [string[], RegExp][] = [
      [['--ConnectionType', 'IoTHub'], /needs --Hostname/],
      [['--ConnectionType', 'DPS', '--Hostname', 'h'], /needs --ScopeID/],
      [['--ConnectionType', 'IoTEdge', '--Hostname', 'h'], /IoTEdge is not simulated/],
      [['--ConnectionType', 'Carrier pigeon'], /is not IoTHub or DPS/],
      [['--Hostname', 'https://hub'], /is not a host name/],
      [['--Hostname', 'hub:0'], /is not a host name/],
      [['--ScopeID', 'scope with spaces'], /is not an ID scope/],
    ];
    for (const [args, problem] of problems) {
      const result = iotSettingsFromCmdArgs(args);
      assert.ok(result && 'problem' in result, args.join(' '));
      assert.match(result.problem, problem);
    }
  });

  it('splits host and port, 8883 by default', () => {
    assert.deepEqual(hostAndPort('127.0.0.1:40001'), { host: '127.0.0.1', port: 40001 });
    assert.deepEqual(hostAndPort('contoso.azure-devices.net'), { host: 'contoso.azure-devices.net', port: 8883 });
    assert.equal(isValidHost('global.azure-devices-provisioning.net'), true);
    assert.equal(isValidHost('dps:65536'), false);
  });
});
