// The emulator's daily device certificate (docs/cloud-api.md#daily-device-certificate-emulator) and the tenant CA
// chain above it: root → policy CA → tenant CA from `certchain`, a leaf for the device's own key with CN = its ID in
// lower case, 24 hours by the emulator's clock, which `openssl verify` accepts against that chain alone.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdjustableClock } from '../../../emulator/common/clock';
import { deriveSeed } from '../../../emulator/common/seeded-random';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { Store } from '../../../emulator/cloud/store';
import { createTenantCa } from '../../../emulator/cloud/tenant-ca';
import { completedOperation, OperationType } from '../../../emulator/cloud/model';
import { assertApiError, call, removeDir, seededEmulatorPerSuite, seededStateDir, tempStateDir, tokenFor } from '../../helpers/cloud-emulator';
import { SEED, startCloudEmulator } from '../../../emulator/cloud/index';
import { attestationBody, seededDeviceKey, type DeviceKey } from '../../helpers/device-keys';
import { testSeed } from '../../helpers/test-seed';

type Json = Record<string, unknown>;

const HOUR_MS = 3600 * 1000;

interface Issued {
  tenantId: string;
  certificatePem: string;
  chainPem: string;
  notBefore: string;
  notAfter: string;
}

/** The certificates of a DER .p7b as PEM, in file order. */
function p7bToPems(dir: string, b64: string): string[] {
  const file = join(dir, 'chain.p7b');
  writeFileSync(file, Buffer.from(b64, 'base64'));
  const printed = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', file, '-print_certs'], { encoding: 'utf8' });
  return [...printed.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)].map((m) => m[0]);
}

function opensslVerify(dir: string, caPems: string[], leafPem: string, name = 'leaf'): ReturnType<typeof spawnSync> {
  const caFile = join(dir, `${name}-cas.pem`);
  const leafFile = join(dir, `${name}.pem`);
  writeFileSync(caFile, caPems.join(''));
  writeFileSync(leafFile, leafPem);
  return spawnSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', caFile, leafFile], { encoding: 'utf8' });
}

describe('cloud emulator: daily device certificates', () => {
  const clock = new AdjustableClock();
  const seeded = seededEmulatorPerSuite({ clock });
  let emulator: CloudEmulator;
  let token: string;
  let contoso: string;
  let workDir: string;
  let device: DeviceKey;

  before(async () => {
    emulator = seeded.emulator;
    token = await tokenFor(emulator, 'avery@contoso.com');
    contoso = emulator.seed.tenants.contoso.id;
    workDir = tempStateDir();
  });
  after(() => removeDir(workDir));
  beforeEach(() => {
    device = seededDeviceKey(testSeed());
  });

  const attest = (key: DeviceKey, body: unknown, path = `/v2/devices/${key.deviceId}/dailycertificate`) => call(emulator, path, { method: 'POST', body: body as object });
  const boardNow = () => new Date(clock.now()).toISOString();
  const claim = async (key: DeviceKey) => {
    const res = await call(emulator, `/v2/tenants/${contoso}/devices/${key.deviceId}/claim`, { method: 'PUT', token });
    assert.equal(res.status, 202, res.text);
  };
  const chain = async (tenantId = contoso): Promise<string[]> => {
    const res = await call(emulator, `/v2/tenants/${tenantId}/certchain`, { token });
    assert.equal(res.status, 200, res.text);
    return p7bToPems(workDir, res.json as string);
  };

  it('hands out the tenant CA chain root first: root, policy CA, tenant CA, each issued by the one before', async () => {
    const certs = (await chain()).map((pem) => new X509Certificate(pem));
    assert.equal(certs.length, 3);
    const [root, policy, tenant] = certs as [X509Certificate, X509Certificate, X509Certificate];
    assert.match(root.subject, /CN=Azure Sphere Root CA \(cloud emulator\)/);
    assert.equal(root.issuer, root.subject);
    assert.match(policy.subject, /CN=Azure Sphere Policy CA \(cloud emulator\)/);
    assert.equal(tenant.subject, `CN=Microsoft Azure Sphere ${contoso}`);
    assert.ok(policy.checkIssued(root) && policy.verify(root.publicKey));
    assert.ok(tenant.checkIssued(policy) && tenant.verify(policy.publicKey));
    assert.ok(certs.every((c) => c.ca));
    const tenantCa = await call(emulator, `/v2/tenants/${contoso}/cert`, { token });
    assert.equal(Buffer.from(tenantCa.json as string, 'base64').equals(tenant.raw), true, '/cert is the last certificate of the chain');
    const jordan = await tokenFor(emulator, 'jordan@fabrikam.com');
    const fabrikamChain = await call(emulator, `/v2/tenants/${emulator.seed.tenants.fabrikam.id}/certchain`, { token: jordan });
    const fabrikamRoot = new X509Certificate(p7bToPems(workDir, fabrikamChain.json as string)[0]!);
    assert.equal(fabrikamRoot.fingerprint256, root.fingerprint256, 'one root per state folder');
  });

  it('refuses a device that is not claimed with 404, after checking its signature', async () => {
    const res = await attest(device, attestationBody(device, boardNow()));
    assertApiError(res, 404, 8, /not claimed/);
  });

  it('issues a claimed device its certificate: CN = lower-case device ID, its own key, 24 h from now, client auth, chained to the tenant CA', async () => {
    await claim(device);
    const before = clock.now();
    const res = await attest(device, attestationBody(device, boardNow()));
    assert.equal(res.status, 200, res.text);
    const issued = res.json as Issued;
    assert.deepEqual(Object.keys(issued).sort(), ['certificatePem', 'chainPem', 'notAfter', 'notBefore', 'tenantId']);
    assert.equal(issued.tenantId, contoso);
    const leaf = new X509Certificate(issued.certificatePem);
    assert.equal(leaf.subject, `CN=${device.deviceId}`);
    assert.equal(device.deviceId, device.deviceId.toLowerCase());
    assert.equal(leaf.subject.length, 3 + 128);
    assert.deepEqual(leaf.publicKey.export({ format: 'jwk' }), device.publicKey.export({ format: 'jwk' }));
    assert.equal(leaf.ca, false);
    assert.equal(leaf.issuer, `CN=Microsoft Azure Sphere ${contoso}`);
    const notBefore = Date.parse(leaf.validFrom);
    const notAfter = Date.parse(leaf.validTo);
    assert.equal(new Date(notBefore).toISOString(), new Date(Math.floor(Date.parse(issued.notBefore) / 1000) * 1000).toISOString());
    assert.ok(notBefore <= before && notBefore >= before - 10 * 60_000, 'backdated a few minutes');
    assert.ok(Math.abs(notAfter - (before + 24 * HOUR_MS)) < 60_000, `valid 24 h, not until ${leaf.validTo}`);
    const extensions = execFileSync('openssl', ['x509', '-noout', '-ext', 'extendedKeyUsage,basicConstraints'], { input: issued.certificatePem, encoding: 'utf8' });
    assert.match(extensions, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(extensions, /Extended Key Usage:\s+TLS Web Client Authentication\s*$/);

    const [root, policy, tenantCa] = await chain();
    assert.equal(issued.chainPem, issued.certificatePem + tenantCa, 'chainPem is the leaf and the tenant CA');
    const verified = opensslVerify(workDir, [root!, policy!, tenantCa!], issued.certificatePem);
    assert.equal(verified.status, 0, `${String(verified.stdout)}${String(verified.stderr)}`);
    assert.match(String(verified.stdout), /leaf\.pem: OK/);
    const withoutRoot = opensslVerify(workDir, [policy!, tenantCa!], issued.certificatePem, 'partial');
    assert.notEqual(withoutRoot.status, 0, 'the chain ends at the root: without it (and without -partial_chain) openssl refuses');
  });

  it('refuses a wrong signature, a tampered timestamp and another device\'s key with 401', async () => {
    await claim(device);
    const other = seededDeviceKey(deriveSeed(testSeed(), 1));
    const now = boardNow();
    const otherKey = await attest(device, { timestamp: now, signature: attestationBody(other, now).signature });
    assertApiError(otherKey, 401, 6, /signature/);
    const tampered = await attest(device, attestationBody(device, new Date(clock.now() + 1000).toISOString(), now));
    assertApiError(tampered, 401, 6, /signature/);
    const garbage = await attest(device, { timestamp: now, signature: Buffer.from('not a DER signature').toString('base64') });
    assertApiError(garbage, 401, 6, /signature/);
    const notAPoint = await attest(device, attestationBody(device, now), `/v2/devices/${'1'.repeat(128)}/dailycertificate`);
    assertApiError(notAPoint, 401, 6, /signature/);
  });

  it('refuses a board whose clock is more than five minutes off the emulator\'s with 401, and takes one within', async () => {
    await claim(device);
    for (const offsetMs of [6 * 60_000, -6 * 60_000, -25 * 365 * 24 * HOUR_MS]) {
      const res = await attest(device, attestationBody(device, new Date(clock.now() + offsetMs).toISOString()));
      assertApiError(res, 401, 6, /clock is not synced/);
    }
    const within = await attest(device, attestationBody(device, new Date(clock.now() - 4 * 60_000).toISOString()));
    assert.equal(within.status, 200, within.text);
  });

  it('answers malformed requests with 400 and other methods with 405', async () => {
    const now = boardNow();
    const good = attestationBody(device, now);
    const cases: [string, unknown, RegExp][] = [
      [`/v2/devices/${device.deviceId.slice(2)}/dailycertificate`, good, /128 hexadecimal/],
      [`/v2/devices/${device.deviceId}/dailycertificate`, 'not json', /JSON/],
      [`/v2/devices/${device.deviceId}/dailycertificate`, { signature: good.signature }, /timestamp/],
      [`/v2/devices/${device.deviceId}/dailycertificate`, { ...good, timestamp: now.replace('Z', '+01:00') }, /timestamp/],
      [`/v2/devices/${device.deviceId}/dailycertificate`, { ...good, timestamp: '2000-13-45T99:00:00Z' }, /timestamp/],
      [`/v2/devices/${device.deviceId}/dailycertificate`, { timestamp: now }, /signature/],
      [`/v2/devices/${device.deviceId}/dailycertificate`, { timestamp: now, signature: 'not base64!' }, /signature/],
    ];
    for (const [path, body, message] of cases) {
      const res = typeof body === 'string'
        ? await call(emulator, path, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
        : await call(emulator, path, { method: 'POST', body: body as object });
      assertApiError(res, 400, 5, message);
    }
    const get = await call(emulator, `/v2/devices/${device.deviceId}/dailycertificate`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  it('issues by the emulator\'s clock: a day later the certificate is new and valid from then', async () => {
    await claim(device);
    const first = (await attest(device, attestationBody(device, boardNow()))).json as Issued;
    clock.advance(24 * HOUR_MS);
    try {
      const res = await attest(device, attestationBody(device, boardNow()));
      assert.equal(res.status, 200, res.text);
      const second = res.json as Issued;
      assert.ok(Date.parse(second.notBefore) >= Date.parse(first.notAfter) - 10 * 60_000);
      assert.notEqual(new X509Certificate(second.certificatePem).serialNumber, new X509Certificate(first.certificatePem).serialNumber);
      const late = await attest(device, attestationBody(device, new Date(clock.now() - 24 * HOUR_MS).toISOString()));
      assertApiError(late, 401, 6, /clock is not synced/);
    } finally {
      clock.advance(-24 * HOUR_MS);
    }
  });
});

describe('cloud emulator: tenants from before the emulator had a root CA', () => {
  let emulator: CloudEmulator | undefined;
  let stateDir: string;
  let workDir: string;
  const oldTenantId = '0d1d5b1a-7a53-4a8e-9d4b-5e0ac0de0001';

  before(async () => {
    stateDir = await seededStateDir();
    workDir = tempStateDir();
    // A tenant as an older emulator journaled it: a self-signed CA and no issuer chain.
    const store = await Store.open(stateDir);
    const operation = completedOperation(OperationType.TenantCreation, oldTenantId, `/v2/tenants/${oldTenantId}`);
    const avery = SEED.users.avery;
    await store.commit({
      t: 'tenant', id: oldTenantId, name: 'Older Tenant', directoryId: avery.directoryId, createdByOid: avery.oid,
      createdFromDeviceId: null, createdUtc: operation.CreatedDateUTC, ca: await createTenantCa(oldTenantId), operation,
    });
    await store.close();
    emulator = await startCloudEmulator({ port: 0, stateDir, seed: true });
  });
  after(async () => {
    await emulator?.close();
    removeDir(stateDir);
    removeDir(workDir);
  });

  it('keeps its self-signed CA, which is then the whole chain, and issues device certificates that verify against it', async () => {
    const token = await tokenFor(emulator!, 'avery@contoso.com');
    const res = await call(emulator!, `/v2/tenants/${oldTenantId}/certchain`, { token });
    assert.equal(res.status, 200, res.text);
    const pems = p7bToPems(workDir, res.json as string);
    assert.equal(pems.length, 1);
    const ca = new X509Certificate(pems[0]!);
    assert.equal(ca.subject, ca.issuer);

    const device = seededDeviceKey(testSeed());
    assert.equal((await call(emulator!, `/v2/tenants/${oldTenantId}/devices/${device.deviceId}/claim`, { method: 'PUT', token })).status, 202);
    const issued = await call(emulator!, `/v2/devices/${device.deviceId}/dailycertificate`, { method: 'POST', body: attestationBody(device, new Date().toISOString()) });
    assert.equal(issued.status, 200, issued.text);
    const verified = opensslVerify(workDir, pems, (issued.json as Issued).certificatePem);
    assert.equal(verified.status, 0, `${String(verified.stdout)}${String(verified.stderr)}`);
    assert.deepEqual((issued.json as Json).tenantId, oldTenantId);
  });
});
