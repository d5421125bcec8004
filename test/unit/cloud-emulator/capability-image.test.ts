// POST /v2/tenants/{t}/deviceCapabilityImage over real HTTPS: the file it returns is a capability file for exactly the
// device and capabilities asked for; Administrators and Contributors may download one, Readers may not; the device
// must be claimed into the tenant; bad device IDs and capabilities get the service's BadRequest.
import assert from 'node:assert/strict';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { readCapabilityImage } from '../../../src/device/image-package';
import { call, deviceId, seededEmulatorPerSuite, assertApiError, tokensFor } from '../../helpers/cloud-emulator';

type Json = Record<string, unknown>;


describe('cloud emulator: device capability images', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;
  let tokens: Record<string, string>;
  let contoso: string;
  let claimed: string;

  before(async () => {
    emulator = seeded.emulator;
    tokens = await tokensFor(emulator, ['avery@contoso.com', 'parker@contoso.com', 'riley@contoso.com', 'jordan@fabrikam.com']);
    contoso = emulator.seed.tenants.contoso.id;
    claimed = emulator.seed.claimedDeviceIds[0];
  });

  const download = (user: string, body: unknown, tenantId = contoso) =>
    call(emulator, `/v2/tenants/${tenantId}/deviceCapabilityImage`, { method: 'POST', token: tokens[user], body: body as object });

  it('returns {SignedDeviceCapabilityImageBytes} whose file names the device and the capabilities asked for', async () => {
    for (const [user, capabilities] of [
      ['avery@contoso.com', [11]],
      ['parker@contoso.com', [13, 11]],
      ['parker@contoso.com', []],
    ] as const) {
      const res = await download(user, { DeviceId: claimed.toLowerCase(), Capabilities: capabilities });
      assert.equal(res.status, 200, res.text);
      const body = res.json as Json;
      assert.deepEqual(Object.keys(body), ['SignedDeviceCapabilityImageBytes']);
      const file = readCapabilityImage(Buffer.from(String(body.SignedDeviceCapabilityImageBytes), 'base64'));
      assert.equal(file.deviceId, claimed.toLowerCase());
      assert.deepEqual(file.capabilities, capabilities);
    }
  });

  it('refuses a Reader and anyone without a role in the tenant (Forbidden)', async () => {
    assertApiError(await download('riley@contoso.com', { DeviceId: claimed, Capabilities: [11] }), 403, 6, /Reader role cannot download device capabilities/);
    assertApiError(await download('jordan@fabrikam.com', { DeviceId: claimed, Capabilities: [11] }), 403, 6, /does not have access/);
  });

  it('needs the device claimed into this tenant (NotFound)', async () => {
    assertApiError(await download('avery@contoso.com', { DeviceId: deviceId(0x7101), Capabilities: [11] }), 404, 8, /not claimed to tenant 'Contoso Tenant'/);
    // Claimed, but into another tenant of the same Administrator.
    const fleet = emulator.seed.tenants.contosoFleet.id;
    assert.equal((await call(emulator, `/v2/tenants/${fleet}/devices/${deviceId(0x7102)}/claim`, { method: 'PUT', token: tokens['avery@contoso.com'] })).status, 202);
    assertApiError(await download('avery@contoso.com', { DeviceId: deviceId(0x7102), Capabilities: [11] }), 404, 8);
    assert.equal((await download('avery@contoso.com', { DeviceId: deviceId(0x7102), Capabilities: [11] }, fleet)).status, 200);
  });

  it('refuses a malformed device ID and capabilities it does not grant (BadRequest)', async () => {
    assertApiError(await download('avery@contoso.com', { DeviceId: 'ABC', Capabilities: [11] }), 400, 5, /128 hexadecimal/);
    assertApiError(await download('avery@contoso.com', { Capabilities: [11] }), 400, 5, /128 hexadecimal/);
    for (const capabilities of [[12], [1], [11.5], ['11'], [256]]) {
      assertApiError(await download('avery@contoso.com', { DeviceId: claimed, Capabilities: capabilities }), 400, 5, /cannot be granted; use 11 \(AppDevelopment\), 13 \(FieldServicing\)/);
    }
    assertApiError(await download('avery@contoso.com', { DeviceId: claimed, Capabilities: [11, 11] }), 400, 5, /listed twice/);
    assertApiError(await download('avery@contoso.com', { DeviceId: claimed, Capabilities: 11 }), 400, 5, /must be a list/);
    assertApiError(await download('avery@contoso.com', { DeviceId: claimed }), 400, 5, /must be a list/);
    assertApiError(await call(emulator, `/v2/tenants/${contoso}/deviceCapabilityImage`, { method: 'POST', token: tokens['avery@contoso.com'], body: '[11]', headers: { 'content-type': 'application/json' } }), 400, 5, /JSON object/);
  });
});
