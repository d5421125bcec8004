// Tenant CA certificates and proof of possession, end to end with the IoT Hub / DPS ARM endpoints. The proof is
// checked by openssl (CLI) and node-forge; ARM verify must refuse a wrong CN and a certificate from another CA.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { etagOfIfMatch } from '../../../emulator/common/if-match';
import { ARM_SCOPE, call, removeDir, seededEmulatorPerSuite, tempStateDir, tokenFor } from '../../helpers/cloud-emulator';

type Json = Record<string, unknown>;

function derToPem(b64: string): string {
  return forge.pki.certificateToPem(forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(b64, 'base64').toString('binary'))));
}

describe('cloud emulator: tenant CA certificates and IoT Hub / DPS proof of possession', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;
  let workDir: string;
  let sphereToken: string;
  let armToken: string;
  let contoso: string;
  let fleet: string;

  before(async () => {
    emulator = seeded.emulator;
    workDir = tempStateDir();
    sphereToken = await tokenFor(emulator, 'avery@contoso.com');
    armToken = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    contoso = emulator.seed.tenants.contoso.id;
    fleet = emulator.seed.tenants.contosoFleet.id;
  });
  after(() => removeDir(workDir));

  const sphere = (path: string) => call(emulator, path, { token: sphereToken });
  async function caPem(tenantId: string): Promise<string> {
    const res = await sphere(`/v2/tenants/${tenantId}/cert`);
    assert.equal(res.status, 200, res.text);
    return derToPem(res.json as string);
  }
  async function proofPem(tenantId: string, code: string): Promise<string> {
    const res = await sphere(`/v2/tenants/${tenantId}/verification/${code}`);
    assert.equal(res.status, 200, res.text);
    return derToPem(res.json as string);
  }

  it('lists CA certificates with thumbprint, active/revoked flags and validity; cert and certchain match', async () => {
    const list = await sphere(`/v2/tenants/${contoso}/certificates`);
    assert.equal(list.status, 200);
    const entries = list.json as Json[];
    assert.equal(entries.length, 1);
    const entry = entries[0]!;
    assert.deepEqual(Object.keys(entry).sort(), ['Certificate', 'EndDate', 'IsActive', 'IsRevoked', 'StartDate', 'Thumbprint']);
    assert.equal(entry.IsActive, true);
    assert.equal(entry.IsRevoked, false);
    const der = Buffer.from(String(entry.Certificate), 'base64');
    assert.equal(entry.Thumbprint, createHash('sha1').update(der).digest('hex').toUpperCase());
    assert.ok(Date.parse(String(entry.StartDate)) < Date.now() && Date.now() < Date.parse(String(entry.EndDate)));

    const cert = await sphere(`/v2/tenants/${contoso}/cert?thumbprint=${String(entry.Thumbprint).toLowerCase()}`);
    assert.equal(cert.json, entry.Certificate);
    assert.equal((await sphere(`/v2/tenants/${contoso}/cert?thumbprint=${'0'.repeat(40)}`)).status, 404);

    const chain = await sphere(`/v2/tenants/${contoso}/certchain`);
    const p7b = join(workDir, 'chain.p7b');
    writeFileSync(p7b, Buffer.from(chain.json as string, 'base64'));
    const printed = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', p7b, '-print_certs', '-noout'], { encoding: 'utf8' });
    assert.match(printed, new RegExp(`subject=CN ?= ?Microsoft Azure Sphere ${contoso}`));
  });

  /** The tenant's chain as PEM (root, policy CA, tenant CA): a tenant CA is no trust anchor of its own any more. */
  async function chainPem(tenantId: string): Promise<string> {
    const res = await sphere(`/v2/tenants/${tenantId}/certchain`);
    assert.equal(res.status, 200, res.text);
    const p7b = join(workDir, `${tenantId}.p7b`);
    writeFileSync(p7b, Buffer.from(res.json as string, 'base64'));
    return execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', p7b, '-print_certs'], { encoding: 'utf8' });
  }

  it('issues a proof with CN = code signed by the tenant CA: openssl verify and node-forge accept it, another CA does not', async () => {
    const code = '47292AB6260DB02CCD2D07C601B7303DD49858B6';
    const ca = await caPem(contoso);
    const proof = await proofPem(contoso, code);
    const caFile = join(workDir, 'ca.pem');
    const proofFile = join(workDir, 'proof.pem');
    const otherCaFile = join(workDir, 'other-ca.pem');
    writeFileSync(caFile, await chainPem(contoso));
    writeFileSync(proofFile, proof);
    writeFileSync(otherCaFile, await chainPem(fleet));

    const ok = spawnSync('openssl', ['verify', '-CAfile', caFile, proofFile], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /proof\.pem: OK/);
    const subject = execFileSync('openssl', ['x509', '-in', proofFile, '-noout', '-subject'], { encoding: 'utf8' });
    assert.match(subject, new RegExp(`CN ?= ?${code}\\s*$`));
    const wrong = spawnSync('openssl', ['verify', '-CAfile', otherCaFile, proofFile], { encoding: 'utf8' });
    assert.notEqual(wrong.status, 0, 'a proof from one tenant does not chain to another tenant CA (though both share the root)');

    assert.equal(forge.pki.certificateFromPem(ca).verify(forge.pki.certificateFromPem(proof)), true);
    assert.equal((await sphere(`/v2/tenants/${contoso}/verification/${encodeURIComponent('bad code!')}`)).status, 400);
  });

  describe('ARM certificate endpoints', () => {
    const hubPath = () => {
      const h = emulator.seed.hubs.contosoHub;
      return `/subscriptions/${h.subscriptionId}/resourceGroups/${h.resourceGroup}/providers/Microsoft.Devices/IotHubs/${h.name}/certificates`;
    };
    const dpsPath = () => {
      const h = emulator.seed.hubs.contosoDps;
      return `/subscriptions/${h.subscriptionId}/resourceGroups/${h.resourceGroup}/providers/Microsoft.Devices/provisioningServices/${h.name}/certificates`;
    };
    const api = '?api-version=2023-06-30';
    const arm = (path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, path, { ...opts, token: armToken });

    async function runProofOfPossession(base: string, type: string): Promise<void> {
      const ca = await caPem(contoso);
      const uploaded = await arm(`${base}/sphere-ca${api}`, { method: 'PUT', body: { properties: { certificate: ca } } });
      assert.equal(uploaded.status, 201, uploaded.text);
      const desc = uploaded.json as { id: string; name: string; type: string; etag: string; properties: Json };
      assert.equal(desc.name, 'sphere-ca');
      assert.equal(desc.type, type);
      assert.ok(desc.id.endsWith('/certificates/sphere-ca'));
      assert.equal(desc.properties.isVerified, false);
      assert.equal(desc.properties.thumbprint, createHash('sha1').update(Buffer.from(String((await sphere(`/v2/tenants/${contoso}/cert`)).json), 'base64')).digest('hex').toUpperCase());
      assert.match(String(desc.properties.expiry), /GMT$/);
      assert.match(String(desc.properties.subject), new RegExp(contoso));

      assert.equal((await arm(`${base}/sphere-ca/generateVerificationCode${api}`, { method: 'POST' })).status, 400, 'If-Match is required');
      assert.equal((await arm(`${base}/sphere-ca/generateVerificationCode${api}`, { method: 'POST', headers: { 'If-Match': 'AAAAAAAAAAA=' } })).status, 412);
      const generated = await arm(`${base}/sphere-ca/generateVerificationCode${api}`, { method: 'POST', headers: { 'If-Match': desc.etag } });
      assert.equal(generated.status, 200, generated.text);
      const withCode = generated.json as { etag: string; properties: Json };
      const code = String(withCode.properties.verificationCode);
      assert.match(code, /^[0-9A-F]{40}$/);
      assert.notEqual(withCode.etag, desc.etag);

      const verify = (proof: string, etag = withCode.etag) => arm(`${base}/sphere-ca/verify${api}`, { method: 'POST', headers: { 'If-Match': etag }, body: { certificate: proof } });
      const wrongCn = await verify(await proofPem(contoso, 'ABCDEF0123456789'));
      assert.equal(wrongCn.status, 400);
      assert.match(String((wrongCn.json as { error: Json }).error.message), /subject CN/);
      const otherCa = await verify(await proofPem(fleet, code));
      assert.equal(otherCa.status, 400);
      assert.match(String((otherCa.json as { error: Json }).error.message), /not signed/);
      assert.equal((await verify(await proofPem(contoso, code), desc.etag)).status, 412, 'the etag before generateVerificationCode is stale');

      const proofB64 = String((await sphere(`/v2/tenants/${contoso}/verification/${code}`)).json);
      const verified = await verify(proofB64);
      assert.equal(verified.status, 200, verified.text);
      const done = verified.json as { etag: string; properties: Json };
      assert.equal(done.properties.isVerified, true);
      assert.notEqual(done.etag, withCode.etag);

      const got = await arm(`${base}/sphere-ca${api}`);
      assert.equal((got.json as { properties: Json }).properties.isVerified, true);
      const listed = await arm(`${base}${api}`);
      assert.deepEqual((listed.json as { value: Json[] }).value.map((c) => c.name), ['sphere-ca']);
      assert.equal((await arm(`${base}/sphere-ca${api}`, { method: 'DELETE' })).status, 400, 'delete needs If-Match');
      assert.equal((await arm(`${base}/sphere-ca${api}`, { method: 'DELETE', headers: { 'If-Match': done.etag } })).status, 200);
      assert.equal((await arm(`${base}/sphere-ca${api}`)).status, 404);
    }

    it('IoT Hub: upload, generateVerificationCode (If-Match), verify refuses wrong CN and another CA, accepts the proof', async () => {
      await runProofOfPossession(hubPath(), 'Microsoft.Devices/IotHubs/Certificates');
    });

    it('reads If-Match as ARM does: quotes and a weak prefix off, an etag that itself begins with "W/" kept whole', () => {
      assert.equal(etagOfIfMatch('W/AbC+/x0='), 'W/AbC+/x0=');
      assert.equal(etagOfIfMatch('"W/AbC+/x0="'), 'W/AbC+/x0=');
      assert.equal(etagOfIfMatch(' W/"AbC+/x0=" '), 'AbC+/x0=');
      assert.equal(etagOfIfMatch('*'), '*');
    });

    it('DPS: the same flow under provisioningServices', async () => {
      await runProofOfPossession(dpsPath(), 'Microsoft.Devices/provisioningServices/Certificates');
    });

    it('refuses bad uploads, missing api-version, Sphere-audience tokens and other directories', async () => {
      const bad = await arm(`${hubPath()}/x${api}`, { method: 'PUT', body: { properties: { certificate: 'not a certificate' } } });
      assert.equal(bad.status, 400);
      assert.equal((bad.json as { error: Json }).error.code, 'InvalidCertificate');
      const noVersion = await arm(hubPath());
      assert.equal(noVersion.status, 400);
      assert.equal((noVersion.json as { error: Json }).error.code, 'MissingApiVersionParameter');
      const wrongAudience = await call(emulator, `${hubPath()}${api}`, { token: sphereToken });
      assert.equal(wrongAudience.status, 401);
      assert.equal((wrongAudience.json as { error: Json }).error.code, 'InvalidAuthenticationToken');
      const jordan = await tokenFor(emulator, 'jordan@fabrikam.com', ARM_SCOPE);
      const foreign = await call(emulator, `${hubPath()}${api}`, { token: jordan });
      assert.equal(foreign.status, 403);
      assert.equal((foreign.json as { error: Json }).error.code, 'AuthorizationFailed');
      const c = emulator.seed.hubs.contosoHub;
      const hubs = await arm(`/subscriptions/${c.subscriptionId}/providers/Microsoft.Devices/IotHubs${api}`);
      assert.deepEqual((hubs.json as { value: Json[] }).value, [
        {
          id: `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Devices/IotHubs/${c.name}`,
          name: c.name,
          type: 'Microsoft.Devices/IotHubs',
          location: c.location,
          properties: { state: 'Active', provisioningState: 'Succeeded', hostName: emulator.hubHostName(c.name) },
        },
      ]);
      const subs = await arm(`/subscriptions${api}`);
      assert.deepEqual((subs.json as { value: Json[] }).value.map((s) => s.subscriptionId), [emulator.seed.subscriptions.contoso.id]);
    });
  });
});
