// The security service client against the emulator over HTTPS: every method, paging across pages, 429 with
// Retry-After honoured, Operations, error mapping, validation before sending, and the proof-of-possession
// certificate checked by our helpers and by `openssl verify`.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { CloudApiError } from '../../../src/cloud/api-error';
import { CertificateError, parseCertificate, toPem, verifyProofOfPossession, writeCertificateFile } from '../../../src/cloud/certificates';
import { CancelledError, InvalidArgumentError } from '../../../src/cloud/errors';
import { collectAll } from '../../../src/cloud/paging';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { OperationState, OperationType } from '../../../src/cloud/sphere-api-types';
import { RecordingTransport } from '../../helpers/recording-transport';
import { signedIn, signedInPerSuite } from '../../helpers/cloud-harness';
import { openssl, OpensslPki } from '../../helpers/openssl-pki';


describe('cloud/SphereApiClient against the emulator', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com', { bulkDevices: 25 });
  let transport: RecordingTransport;
  let sleeps: number[];
  let api: SphereApiClient;
  const seed = () => suite.fx.emu.seed;

  beforeEach(() => {
    transport = new RecordingTransport(suite.session.transport);
    sleeps = [];
    api = new SphereApiClient({
      settings: suite.fx.settings,
      tokens: suite.session.engine,
      transport,
      retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    });
  });

  describe('tenants', () => {
    it('lists the tenants the user has roles in, and reads one', async () => {
      const tenants = await api.listTenants();
      const byName = new Map(tenants.map((t) => [t.Name, t]));
      assert.deepEqual(byName.get('Contoso Tenant')?.Roles, ['Administrator']);
      assert.ok(byName.has('Contoso Fleet'));
      assert.ok(!byName.has('Fabrikam Tenant'), 'another directory’s tenant is not listed');
      const one = await api.getTenant(seed().tenants.contoso.id.toUpperCase());
      assert.equal(one.Name, 'Contoso Tenant');
    });

    it('maps a Forbidden error for a tenant of another directory to a clear message', async () => {
      await assert.rejects(api.getTenant(seed().tenants.fabrikam.id), (err: unknown) => {
        assert.ok(err instanceof CloudApiError);
        assert.equal(err.status, 403);
        assert.equal(err.code, 'Forbidden');
        assert.match(err.message, /^Reading tenant 5a7d2e10-.* failed: The user does not have access to tenant .* \(Forbidden, HTTP 403\)\.$/);
        return true;
      });
    });

    it('refuses a second tenant in the directory unless forced, then creates it and waits for the Operation', async () => {
      const deviceId = seed().availableDeviceIds[0];
      await assert.rejects(api.createTenant({ deviceId, name: 'Contoso Lab' }), (err: unknown) => err instanceof CloudApiError && err.code === 'Conflict' && /ForceAdditional/.test(err.message));
      const created = await api.createTenant({ deviceId, name: 'Contoso Lab', force: true });
      assert.equal(created.Name, 'Contoso Lab');
      assert.deepEqual(created.Roles, ['Administrator']);
      assert.ok((await api.listTenants()).some((t) => t.Id === created.Id));
      await assert.rejects(api.createTenant({ deviceId, name: 'Contoso Lab 2', force: true }), (err: unknown) => err instanceof CloudApiError && err.status === 409);
    });

    it('rejects bad tenant arguments before sending anything', async () => {
      await assert.rejects(api.getTenant('not-a-guid'), InvalidArgumentError);
      await assert.rejects(api.createTenant({ deviceId: 'ABC', name: 'x' }), (e: unknown) => e instanceof InvalidArgumentError && /128 hexadecimal/.test(e.message));
      await assert.rejects(api.createTenant({ deviceId: seed().availableDeviceIds[1], name: 'x'.repeat(51) }), InvalidArgumentError);
      await assert.rejects(api.createTenant({ deviceId: seed().availableDeviceIds[1], name: '  ' }), InvalidArgumentError);
      assert.equal(transport.sent.length, 0);
    });
  });

  describe('users and roles', () => {
    it('needs registration before listing tenants, and registers the signed-in user', async () => {
      const quinnSession = await signedIn(suite.fx, 'quinn@contoso.com');
      try {
        const quinn = quinnSession.sphere;
        await assert.rejects(quinn.listTenants(), (e: unknown) => e instanceof CloudApiError && e.status === 403 && /not registered/.test(e.message));
        const me = await quinn.registerUser();
        assert.equal(me.Mail, 'quinn@contoso.com');
        assert.deepEqual(await quinn.listTenants(), []);
      } finally {
        quinnSession.dispose();
      }
    });

    it('registers a user and lists, adds and removes roles', async () => {
      const t = seed().tenants.contoso.id;
      const registered = await api.registerUser({ email: 'quinn@contoso.com' });
      assert.equal(registered.Mail, 'quinn@contoso.com');
      assert.deepEqual(await api.listAvailableRoles(), ['Administrator', 'Contributor', 'Reader']);

      const users = await api.listUsers(t);
      assert.equal(users.TenantId, t);
      assert.deepEqual(users.Principals.find((p) => p.Mail === 'parker@contoso.com')?.Roles, ['Contributor']);

      const added = await api.addRole(t, 'quinn@contoso.com', 'Reader');
      assert.deepEqual(added.Roles, ['Reader']);
      assert.deepEqual((await api.getUserRoles(t, 'quinn@contoso.com')).Roles, ['Reader']);
      const removed = await api.removeRole(t, 'quinn@contoso.com', 'Reader');
      assert.deepEqual(removed.Roles, []);
      await assert.rejects(api.removeRole(t, 'avery@contoso.com', 'Administrator'), (e: unknown) => e instanceof CloudApiError && e.code === 'Conflict' && /at least one Administrator/.test(e.message));
    });

    it('rejects a bad user or role before sending', async () => {
      await assert.rejects(api.addRole(seed().tenants.contoso.id, 'not an email', 'Reader'), InvalidArgumentError);
      await assert.rejects(api.addRole(seed().tenants.contoso.id, 'x@contoso.com', 'Owner' as never), (e: unknown) => e instanceof InvalidArgumentError && /Administrator, Contributor, Reader/.test(e.message));
      assert.equal(transport.sent.length, 0);
    });
  });

  describe('devices', () => {
    it('claims a device, waits for the Operation, reads the device and the Operation back', async () => {
      const t = seed().tenants.contoso.id;
      const deviceId = seed().availableDeviceIds[1].toLowerCase();
      const op = await api.claimDevice(t, deviceId);
      assert.equal(op.OperationType, OperationType.DeviceClaim);
      assert.equal(op.State, OperationState.Complete);
      const device = await api.getDevice(t, deviceId);
      assert.equal(device.DeviceId, deviceId.toUpperCase());
      assert.equal(device.TenantId, t);
      assert.equal((await api.getOperation(t, op.OperationId)).OperationId, op.OperationId);
      // Claiming into the same tenant again succeeds.
      assert.equal((await api.claimDevice(t, deviceId)).State, OperationState.Complete);
    });

    it('refuses to move a claimed device to another tenant (Conflict), with the service’s reason', async () => {
      const jordan = await signedIn(suite.fx, 'jordan@fabrikam.com');
      try {
        const fabrikam = jordan.sphere;
        await assert.rejects(fabrikam.claimDevice(seed().tenants.fabrikam.id, seed().claimedDeviceIds[0]), (e: unknown) => {
          assert.ok(e instanceof CloudApiError);
          assert.equal(e.code, 'Conflict');
          assert.match(e.message, /^Claiming device D4D4D4D4… into tenant .* failed: .*never be moved.*\(Conflict, HTTP 409\)\.$/);
          return true;
        });
      } finally {
        jordan.dispose();
      }
    });

    it('maps NotFound for a device that is not in the tenant', async () => {
      await assert.rejects(api.getDevice(seed().tenants.contoso.id, 'F0'.repeat(64)), (e: unknown) => e instanceof CloudApiError && e.status === 404 && e.code === 'NotFound');
    });

    it('tells whether a tenant holds a device: NotFound is "no", a refusal is an error', async () => {
      const contoso = seed().tenants.contoso.id;
      assert.equal(await api.isDeviceInTenant(contoso, seed().claimedDeviceIds[0]), true);
      assert.equal(await api.isDeviceInTenant(contoso, 'F0'.repeat(64)), false);
      // Avery holds no role in Fabrikam's tenant: the service refuses, which says nothing about the device.
      await assert.rejects(api.isDeviceInTenant(seed().tenants.fabrikam.id, seed().claimedDeviceIds[0]), (e: unknown) => e instanceof CloudApiError && e.status === 403);
    });

    it('follows continuation tokens across several pages', async () => {
      const fleet = seed().tenants.contosoFleet.id;
      const sizes: number[] = [];
      const ids = new Set<string>();
      for await (const page of api.listDevicePages(fleet, { maxPageSize: 10 })) {
        sizes.push(page.items.length);
        for (const d of page.items) ids.add(d.DeviceId);
      }
      assert.deepEqual(sizes, [10, 10, 5]);
      assert.equal(ids.size, 25);
      const continuationHeaders = transport.sent.map((r) => r.headers?.['sphere-continuation']);
      assert.equal(continuationHeaders[0], undefined);
      assert.ok(continuationHeaders.slice(1).every((h) => typeof h === 'string' && h.length > 0));
      assert.equal((await api.listDevices(fleet, { maxPageSize: 7 })).length, 25);
      assert.equal((await collectAll(api.listDevicePages(fleet))).length, 25);
    });

    it('stops paging when the AbortSignal fires between pages', async () => {
      const controller = new AbortController();
      const pages = api.listDevicePages(seed().tenants.contosoFleet.id, { maxPageSize: 10, signal: controller.signal });
      await pages.next();
      controller.abort();
      await assert.rejects(pages.next(), CancelledError);
    });
  });

  describe('throttling', () => {
    it('retries 429 after the Retry-After the service asked for', async () => {
      suite.fx.emu.testHooks.throttleNext(2, 3);
      const tenants = await api.listTenants();
      assert.ok(tenants.length > 0);
      assert.deepEqual(sleeps, [3000, 3000]);
      assert.equal(transport.sent.length, 3);
    });

    it('also retries a POST that was throttled (the service did not act on it)', async () => {
      suite.fx.emu.testHooks.throttleNext(1, 1, '/v2/users/register');
      await api.registerUser();
      assert.deepEqual(sleeps, [1000]);
    });

    it('gives up with the advised wait when Retry-After is longer than the policy allows, without sleeping', async () => {
      suite.fx.emu.testHooks.throttleNext(1, 600);
      await assert.rejects(api.listTenants(), (e: unknown) => e instanceof CloudApiError && e.code === 'throttled' && /600 s/.test(e.message));
      assert.deepEqual(sleeps, []);
    });

    it('gives up after the retry budget with the throttling message', async () => {
      suite.fx.emu.testHooks.throttleNext(5, 1);
      await assert.rejects(api.listTenants(), (e: unknown) => e instanceof CloudApiError && e.status === 429 && /Too many requests/.test(e.message));
      assert.equal(sleeps.length, 4);
    });
  });

  describe('CA certificates', () => {
    let pki: OpensslPki;
    before(() => {
      pki = new OpensslPki();
    });
    after(() => pki.dispose());

    it('lists CA certificates and downloads the CA and its chain with matching thumbprints', async () => {
      const t = seed().tenants.contoso.id;
      const list = await api.listCaCertificates(t);
      assert.equal(list.length, 1);
      assert.equal(list[0]!.IsActive, true);
      const ca = await api.getCaCertificate(t);
      assert.equal(ca.thumbprint, list[0]!.Thumbprint);
      assert.equal(parseCertificate(list[0]!.Certificate).thumbprint, ca.thumbprint);
      assert.equal(ca.isCa, true);
      const byThumbprint = await api.getCaCertificate(t, { thumbprint: ca.thumbprint.toLowerCase() });
      assert.equal(byThumbprint.thumbprint, ca.thumbprint);
      const chain = await api.getCaCertificateChain(t);
      assert.ok(chain.some((c) => c.thumbprint === ca.thumbprint));
      await assert.rejects(api.getCaCertificate(t, { thumbprint: '00'.repeat(20) }), (e: unknown) => e instanceof CloudApiError && e.code === 'NotFound');
    });

    it('gets a proof whose CN is the code, signed by the tenant CA: accepted by our helpers and by openssl verify', async () => {
      const t = seed().tenants.contoso.id;
      const code = '47292AB6260DB02CCD2D07C601B7303DD49858B6';
      const ca = await api.getCaCertificate(t);
      const proof = await api.getProofOfPossessionCertificate(t, code);
      assert.equal(proof.subjectCommonName, code);
      verifyProofOfPossession(proof, ca, code);

      const caPath = await writeCertificateFile(pki.path('CAcertificate.cer'), ca);
      const proofPath = await writeCertificateFile(pki.path('ValidationCertification.cer'), proof);
      writeFileSync(pki.path('ca.pem'), openssl(['x509', '-inform', 'DER', '-in', caPath]));
      writeFileSync(pki.path('proof.pem'), openssl(['x509', '-inform', 'DER', '-in', proofPath]));
      // The tenant CA is issued by the emulator's policy CA and root, as Azure's are: openssl needs the whole chain.
      writeFileSync(pki.path('chain.pem'), (await api.getCaCertificateChain(t)).map((c) => toPem(c)).join(''));
      assert.match(openssl(['verify', '-CAfile', pki.path('chain.pem'), pki.path('proof.pem')]).toString(), /proof\.pem: OK/);
      assert.equal(openssl(['x509', '-in', pki.path('proof.pem'), '-noout', '-subject']).toString().trim(), `subject=CN = ${code}`);
    });

    it('refuses the proof for a wrong code and against a foreign CA (ours and openssl alike)', async () => {
      const t = seed().tenants.contoso.id;
      const proof = await api.getProofOfPossessionCertificate(t, 'CODE-A');
      const ca = await api.getCaCertificate(t);
      assert.throws(() => verifyProofOfPossession(proof, ca, 'CODE-B'), (e: unknown) => e instanceof CertificateError && e.problem === 'cn_mismatch');

      const foreignCa = await api.getCaCertificate(seed().tenants.contosoFleet.id);
      assert.throws(() => verifyProofOfPossession(proof, foreignCa, 'CODE-A'), (e: unknown) => e instanceof CertificateError && (e.problem === 'issuer_mismatch' || e.problem === 'bad_signature'));
      writeFileSync(pki.path('foreign.pem'), toPem(foreignCa));
      writeFileSync(pki.path('proofA.pem'), toPem(proof));
      assert.throws(() => openssl(['verify', '-CAfile', pki.path('foreign.pem'), pki.path('proofA.pem')]));
    });

    it('rejects a bad verification code or thumbprint before sending', async () => {
      const t = seed().tenants.contoso.id;
      await assert.rejects(api.getProofOfPossessionCertificate(t, ''), InvalidArgumentError);
      await assert.rejects(api.getProofOfPossessionCertificate(t, 'has space'), InvalidArgumentError);
      await assert.rejects(api.getCaCertificate(t, { thumbprint: 'abc' }), (e: unknown) => e instanceof InvalidArgumentError && /40 hexadecimal/.test(e.message));
      assert.equal(transport.sent.length, 0);
    });
  });

  it('sends the bearer token only in the Authorization header and refreshes once after a 401', async () => {
    let calls = 0;
    const stale = {
      getAccessToken: async (scopes: readonly string[], options?: { forceRefresh?: boolean }) => {
        calls++;
        // Before the forced refresh, hand out a token the service will not accept.
        if (calls === 1) return { ...(await suite.session.engine.getAccessToken(scopes)), token: 'stale-token' };
        return suite.session.engine.getAccessToken(scopes, options);
      },
    };
    const client = new SphereApiClient({ settings: suite.fx.settings, tokens: stale, transport });
    assert.ok((await client.listTenants()).length > 0);
    assert.equal(transport.sent.length, 2);
    assert.equal(transport.sent[0]!.headers?.authorization, 'Bearer stale-token');
    assert.ok(!transport.sent[0]!.url.includes('stale-token'));
  });
});
