// Secret scrubbing and argument validation (pure).
import { strict as assert } from 'node:assert';
import { InvalidArgumentError } from '../../../src/cloud/errors';
import { redactSecrets } from '../../../src/cloud/redact';
import { knownAuthoritiesFor, resolveCloudSettings } from '../../../src/cloud/settings';
import { requireDeviceId, requireGuid, requireThumbprint, requireVerificationCode } from '../../../src/cloud/validate';

describe('cloud/redactSecrets', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz';

  it('removes JWTs, bearer values and secret-carrying parameters, keeps the rest', () => {
    const text = `token ${jwt} then Authorization: Bearer abcdefgh12345678 and refresh_token=0.AAAbbbCCC&x=1 {"access_token":"secretvalue","name":"ok"} code=abc123`;
    const out = redactSecrets(text);
    for (const secret of [jwt, 'abcdefgh12345678', '0.AAAbbbCCC', 'secretvalue', 'abc123']) assert.ok(!out.includes(secret), `${secret} survived: ${out}`);
    assert.match(out, /x=1/);
    assert.match(out, /"name":"ok"/);
    assert.match(out, /Bearer \[redacted\]/);
  });

  it('removes IoT Hub / DPS shared access signatures and keys an error text might echo', () => {
    const sas = 'SharedAccessSignature sr=hub.azure-devices.net&sig=abc%2Bdef%3D&se=1800000000&skn=iothubowner';
    const out = redactSecrets(`401: token ${sas} expired; HostName=h;SharedAccessKeyName=iothubowner;SharedAccessKey=c2VjcmV0a2V5MTIzNDU2Nzg=; {"primaryKey":"a2V5"}`);
    assert.ok(!/sig=|c2VjcmV0|a2V5/.test(out), out);
    assert.match(out, /SharedAccessSignature \[redacted\] expired; HostName=h;SharedAccessKeyName=iothubowner;SharedAccessKey=\[redacted\]/);
  });

  it('leaves ordinary messages untouched', () => {
    for (const text of [
      "AADSTS50020: User account '{EmailHidden}' from identity provider 'live.com' does not exist in tenant 'Microsoft Services'.",
      'Error code: 7 (Conflict); {"Code":8,"Message":"Not found"}',
      "The verification certificate's subject CN 'ABC' is not the last verification code generated.",
    ]) {
      assert.equal(redactSecrets(text), text);
    }
  });
});

describe('cloud/settings and validation', () => {
  it('defaults to the Azure Sphere public client at /organizations and validates overrides by name', () => {
    const s = resolveCloudSettings();
    assert.equal(s.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(s.tenant, 'organizations');
    assert.deepEqual(knownAuthoritiesFor(s), []);
    assert.deepEqual(knownAuthoritiesFor(resolveCloudSettings({ authorityHost: 'https://127.0.0.1:48443/' })), ['127.0.0.1:48443']);
    assert.throws(() => resolveCloudSettings({ authorityHost: 'http://127.0.0.1:48443' }), (e: unknown) => e instanceof InvalidArgumentError && /authorityHost.*https/.test(e.message));
    assert.throws(() => resolveCloudSettings({ authorityHost: 'https://login.microsoftonline.com/organizations' }), /without a path/);
    assert.throws(() => resolveCloudSettings({ clientId: 'abc' }), /clientId/);
    assert.throws(() => resolveCloudSettings({ apiScopes: [] }), /apiScopes/);
    assert.throws(() => resolveCloudSettings({ tenant: 'not valid!' }), /tenant/);
    assert.equal(resolveCloudSettings({ apiEndpoint: 'https://example.test/api' }).apiEndpoint, 'https://example.test/api/');
    // The public API overview (learn.microsoft.com/azure-sphere/reference/public-api-overview) gives the API base with
    // /v2; request paths carry the version, so both spellings mean the same.
    assert.equal(resolveCloudSettings({ apiEndpoint: 'https://prod.core.sphere.azure.net/v2/' }).apiEndpoint, 'https://prod.core.sphere.azure.net/');
    assert.equal(s.apiEndpoint, 'https://prod.core.sphere.azure.net/');
  });

  it('checks IDs, codes and thumbprints with specific messages', () => {
    assert.equal(requireDeviceId('ab'.repeat(64)), 'AB'.repeat(64));
    assert.throws(() => requireDeviceId('ab'.repeat(10)), /128 hexadecimal characters; it has 20/);
    assert.throws(() => requireDeviceId('zz'.repeat(64)), /not hexadecimal/);
    assert.equal(requireGuid('tenant ID', '768C2CD6-1BF0-4521-9F53-084A331D81CB'), '768c2cd6-1bf0-4521-9f53-084a331d81cb');
    assert.equal(requireThumbprint('ab:cd:' + 'ef'.repeat(18)), 'ABCD' + 'EF'.repeat(18));
    assert.throws(() => requireVerificationCode('a'.repeat(65)), /1–64/);
  });
});
