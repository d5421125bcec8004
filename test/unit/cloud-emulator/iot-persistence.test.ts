// The emulated hubs and DPS across a restart: device identities, enrollment groups and registrations come back from
// the journal, ports (so host names and ID scope) and access keys from the state folder.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud/index';
import { ARM_SCOPE, removeDir, startSeeded, tokenFor } from '../../helpers/cloud-emulator';
import { arm, armPath, callHost, issueDeviceCredential, makeDeviceCa, policyKey, registerOverHttps, seededDeviceIds, serviceSas, uploadCa } from '../../helpers/iot-emulator';
import { testSeed } from '../../helpers/test-seed';

type Json = Record<string, unknown>;

describe('cloud emulator: IoT hubs and DPS across a restart', () => {
  let emulator: CloudEmulator | undefined;
  let stateDir: string | undefined;
  afterEach(async () => {
    await emulator?.close();
    if (stateDir) removeDir(stateDir);
  });

  it('keeps identities, enrollment groups, registrations, ports and keys', async () => {
    ({ emulator, stateDir } = await startSeeded());
    const [deviceId, registrationId] = seededDeviceIds(testSeed(), 2) as [string, string];
    const { contosoHub, contosoDps } = emulator.seed.hubs;
    const avery = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    const hubHost = emulator.hubHostName('contoso-hub');
    const dpsHost = emulator.provisioningServiceHostName('contoso-dps');
    const provisioningHost = emulator.provisioningHost;
    const idScope = emulator.idScope('contoso-dps');
    const keys = (await arm(emulator, avery, `${armPath(contosoHub)}/listkeys`, { method: 'POST' })).json;
    const hubSas = () => serviceSas(hubHost, 'iothubowner', (keys as { value: { primaryKey: string }[] }).value[0]!.primaryKey);
    const ca = makeDeviceCa('Persistent CA');
    await uploadCa(emulator, avery, contosoDps, 'persistent-ca', ca);
    const dpsSas = serviceSas(dpsHost, 'provisioningserviceowner', await policyKey(emulator, avery, contosoDps, 'provisioningserviceowner'));

    const device = await callHost(emulator, hubHost, `/devices/${deviceId}?api-version=2021-04-12`, hubSas(), { method: 'PUT', body: { deviceId, authentication: { type: 'certificateAuthority' } } });
    assert.equal(device.status, 200, device.text);
    const group = await callHost(emulator, dpsHost, '/enrollmentGroups/kept?api-version=2021-10-01', dpsSas, {
      method: 'PUT',
      body: { enrollmentGroupId: 'kept', attestation: { type: 'x509', x509: { caReferences: { primary: 'persistent-ca' } } } },
    });
    assert.equal(group.status, 200, group.text);
    const registered = await registerOverHttps(emulator, idScope, registrationId, issueDeviceCredential(ca, registrationId));
    assert.equal(registered.status, 'assigned');
    await emulator.close();

    emulator = await startCloudEmulator({ stateDir }); // no port given: the persisted ones
    assert.equal(emulator.hubHostName('contoso-hub'), hubHost);
    assert.equal(emulator.provisioningServiceHostName('contoso-dps'), dpsHost);
    assert.equal(emulator.provisioningHost, provisioningHost);
    assert.equal(emulator.idScope('contoso-dps'), idScope);
    assert.deepEqual((await arm(emulator, avery, `${armPath(contosoHub)}/listkeys`, { method: 'POST' })).json, keys);

    assert.deepEqual((await callHost(emulator, hubHost, `/devices/${deviceId}?api-version=2021-04-12`, hubSas())).json, device.json);
    const provisioned = (await callHost(emulator, hubHost, `/devices/${registrationId}?api-version=2021-04-12`, hubSas())).json as { authentication: { type: string } };
    assert.equal(provisioned.authentication.type, 'certificateAuthority');
    assert.deepEqual((await callHost(emulator, dpsHost, '/enrollmentGroups/kept?api-version=2021-10-01', dpsSas)).json, group.json);
    const state = (await callHost(emulator, dpsHost, `/registrations/${registrationId}?api-version=2021-10-01`, dpsSas)).json as Json;
    assert.equal(state.assignedHub, hubHost);
    assert.equal(state.createdDateTimeUtc, (registered.registrationState as Json).createdDateTimeUtc);
  });

  it('a kept port another program took meanwhile is replaced by a free one, and ARM names the new host', async () => {
    ({ emulator, stateDir } = await startSeeded());
    const before = emulator.hubHostName('contoso-hub');
    const dps = emulator.provisioningServiceHostName('contoso-dps');
    await emulator.close();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(before.split(':')[1]), '127.0.0.1', resolve));
    try {
      const log: string[] = [];
      emulator = await startCloudEmulator({ stateDir, log: (line) => log.push(line) });
      const after = emulator.hubHostName('contoso-hub');
      assert.notEqual(after, before);
      assert.equal(emulator.provisioningServiceHostName('contoso-dps'), dps, 'the other kept ports stay');
      assert.ok(log.some((line) => line.includes(`port ${before.split(':')[1]} is in use`)), log.join('\n'));
      const avery = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
      const described = (await arm(emulator, avery, armPath(emulator.seed.hubs.contosoHub))).json as { properties: Json };
      assert.equal(described.properties.hostName, after);
    } finally {
      squatter.close();
    }
  });
});
