// The pieces of the IoT Hub / DPS data-plane clients that need no server: shared access signatures (checked against
// Microsoft's own implementation in azure-iot-common), the hub's and DPS's error shapes, and the server-sent event
// parser the telemetry monitor reads with.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeUriComponentStrict, SharedAccessSignature } from 'azure-iot-common';
import { parseErrorBody } from '../../../src/cloud/api-error';
import { InvalidArgumentError } from '../../../src/cloud/errors';
import { sharedAccessSignature } from '../../../src/cloud/iot/sas-token';
import { ServerSentEventParser } from '../../../src/cloud/iot/hub-telemetry-stream';
import { requireHostName } from '../../../src/cloud/iot/hub-host-name';
import { requireHubDeviceId } from '../../../src/cloud/iot/hub-registry-client';
import { requireEnrollmentGroupId } from '../../../src/cloud/iot/dps-enrollment-client';
import { hubDeviceIdFor } from '../../../src/cloud/iot/hub-device-connection';
import { testSeed } from '../../helpers/test-seed';

describe('cloud/iot data plane', () => {
  it('makes the same shared access signature as Microsoft’s azure-iot-common, for any resource, policy and key', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9-]{3,20}\.azure-devices\.net(\/devices\/[A-Za-z0-9\-.+%_#*?!(),=@$']{1,20})?$/),
        fc.constantFrom('iothubowner', 'service', 'registryReadWrite', 'provisioningserviceowner', ''),
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.integer({ min: 1_700_000_000, max: 2_000_000_000 }),
        (resource, keyName, keyBytes, expiry) => {
          const key = Buffer.from(keyBytes).toString('base64');
          const ours = SharedAccessSignature.parse(sharedAccessSignature(resource, { keyName, key }, expiry));
          // The SDKs encode the resource before create() (e.g. azure-iot-device's device token), and sign the encoded form.
          const theirs = SharedAccessSignature.create(encodeUriComponentStrict(resource), keyName || (undefined as unknown as string), key, expiry);
          // Same fields (the order of fields in the token does not matter to the hub).
          assert.deepEqual({ sr: ours.sr, sig: ours.sig, se: String(ours.se), skn: ours.skn }, { sr: theirs.sr, sig: theirs.sig, se: String(theirs.se), skn: theirs.skn });
        },
      ),
      { seed: testSeed(), numRuns: 200 },
    );
  });

  it('refuses to sign with an empty key, naming the policy and not the key', () => {
    assert.throws(() => sharedAccessSignature('h.azure-devices.net', { keyName: 'iothubowner', key: '' }, 1_800_000_000), (e: unknown) => e instanceof InvalidArgumentError && /policy "iothubowner"/.test(e.message));
  });

  it('reads IoT Hub’s "ErrorCode:X;text" errors and DPS’s numeric errorCode', () => {
    const hub = Buffer.from(JSON.stringify({ Message: "ErrorCode:DeviceAlreadyExists;A device with ID 'abc' is already registered.", ExceptionMessage: 'Tracking ID:1-G:2-TimeStamp:3' }));
    assert.deepEqual(parseErrorBody(hub), { code: 'DeviceAlreadyExists', message: "A device with ID 'abc' is already registered." });
    const dps = Buffer.from(JSON.stringify({ errorCode: 400004, trackingId: 't', message: 'Invalid RegistrationId', timestampUtc: '2026-12-06T00:00:00Z' }));
    assert.deepEqual(parseErrorBody(dps), { code: '400004', message: 'Invalid RegistrationId' });
    // The security service's numeric Code still maps to its name.
    assert.deepEqual(parseErrorBody(Buffer.from('{"Code":8,"Message":"gone"}')), { code: 'NotFound', message: 'gone' });
  });

  it('parses server-sent events the same however the stream is cut into chunks', () => {
    const events = [
      { type: 'message', data: '{"deviceId":"a","body":"{\\"t\\":1}"}' },
      { type: 'connection', data: '{"deviceId":"a","connectionState":"Connected"}' },
      { type: 'message', data: 'line one\nline two' },
    ];
    const wire = `: comment\r\n${events.map((e) => `${e.type === 'message' ? '' : `event: ${e.type}\n`}${e.data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`).join('')}`;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length }), { maxLength: 12 }), (cuts) => {
        const seen: { type: string; data: string }[] = [];
        const parser = new ServerSentEventParser((type, data) => seen.push({ type, data }));
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let from = 0;
        for (const at of [...points, wire.length]) {
          parser.push(wire.slice(from, at));
          from = at;
        }
        assert.deepEqual(seen, events);
      }),
      { seed: testSeed(), numRuns: 200 },
    );
  });

  it('refuses bad names before anything is sent, each with its own words', () => {
    assert.throws(() => requireHostName('IoT hub host name', 'https://x.azure-devices.net'), /not a host name/);
    assert.throws(() => requireHostName('IoT hub host name', 'hub.azure-devices.net:70000'), /port 70000/);
    assert.equal(requireHostName('IoT hub host name', '127.0.0.1:40001'), '127.0.0.1:40001');
    assert.throws(() => requireHubDeviceId('has space'), /not an IoT Hub device ID/);
    assert.throws(() => requireHubDeviceId('x'.repeat(129)), /1–128/);
    assert.throws(() => requireEnrollmentGroupId('ends-with.'), /ending in a letter, digit or '-'/);
    assert.throws(() => hubDeviceIdFor('ABC'), /128 hexadecimal/);
    assert.equal(hubDeviceIdFor('AB'.repeat(64)), 'ab'.repeat(64));
  });
});
