// The ARM client for IoT Hub / DPS CA certificates against the emulator over HTTPS: upload, generate a verification
// code with If-Match, verify with the tenant's proof, get, list, delete; stale etags, foreign subscriptions and bad
// names refused; and the whole proof-of-possession flow in one call.
import { strict as assert } from 'node:assert';
import { CloudApiError } from '../../../src/cloud/api-error';
import { ArmCertificateClient, toHubRef, type HubRef } from '../../../src/cloud/arm-certificate-client';
import { CertificateNameTakenError, proveTenantCaPossession, type CaProofStep } from '../../../src/cloud/ca-proof-flow';
import { InvalidArgumentError } from '../../../src/cloud/errors';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { signedInPerSuite } from '../../helpers/cloud-harness';

describe('cloud/ArmCertificateClient against the emulator', function () {
  this.timeout(30_000);
  const suite = signedInPerSuite('avery@contoso.com');
  let arm: ArmCertificateClient;
  let sphere: SphereApiClient;
  let hub: HubRef;
  let dps: HubRef;
  const tenantId = () => suite.fx.emu.seed.tenants.contoso.id;

  before(async () => {
    ({ sphere, arm } = suite.session);
    const h = suite.fx.emu.seed.hubs.contosoHub;
    hub = { kind: 'iotHub', subscriptionId: h.subscriptionId, resourceGroup: h.resourceGroup, name: h.name };
    const d = suite.fx.emu.seed.hubs.contosoDps;
    dps = { kind: 'dps', subscriptionId: d.subscriptionId, resourceGroup: d.resourceGroup, name: d.name };
  });

  it('finds subscriptions and hubs, and turns a listed hub into a HubRef', async () => {
    const subs = await arm.listSubscriptions();
    assert.deepEqual(subs.map((s) => s.displayName), ['Contoso IoT']);
    const hubs = await arm.listHubs(subs[0]!.subscriptionId, 'iotHub');
    assert.deepEqual(hubs.map((h) => h.name), ['contoso-hub']);
    assert.deepEqual(toHubRef(hubs[0]!), hub);
    assert.deepEqual((await arm.listHubs(subs[0]!.subscriptionId, 'dps')).map((h) => toHubRef(h)), [dps]);
  });

  it('uploads the tenant CA, generates a code with the etag, verifies with the tenant’s proof, lists and deletes', async () => {
    const ca = await sphere.getCaCertificate(tenantId());
    const uploaded = await arm.uploadCertificate(hub, 'sphere-ca', ca);
    assert.equal(uploaded.name, 'sphere-ca');
    assert.equal(uploaded.properties.isVerified, false);
    assert.equal(uploaded.properties.thumbprint, ca.thumbprint);

    const withCode = await arm.generateVerificationCode(hub, 'sphere-ca', uploaded.etag);
    const code = withCode.properties.verificationCode;
    assert.match(code, /^[0-9A-F]{40}$/);
    assert.notEqual(withCode.etag, uploaded.etag);

    // The old etag no longer matches: the hub refuses with PreconditionFailed, and our message says so.
    const proof = await sphere.getProofOfPossessionCertificate(tenantId(), code);
    await assert.rejects(arm.verifyCertificate(hub, 'sphere-ca', uploaded.etag, proof), (e: unknown) => e instanceof CloudApiError && e.status === 412 && e.code === 'PreconditionFailed' && /Verifying certificate "sphere-ca" of IoT hub "contoso-hub" failed/.test(e.message));

    const verified = await arm.verifyCertificate(hub, 'sphere-ca', withCode.etag, proof);
    assert.equal(verified.properties.isVerified, true);
    assert.equal((await arm.getCertificate(hub, 'sphere-ca')).properties.isVerified, true);
    assert.deepEqual((await arm.listCertificates(hub)).map((c) => c.name), ['sphere-ca']);

    await arm.deleteCertificate(hub, 'sphere-ca', verified.etag);
    assert.deepEqual(await arm.listCertificates(hub), []);
    await assert.rejects(arm.getCertificate(hub, 'sphere-ca'), (e: unknown) => e instanceof CloudApiError && e.status === 404 && e.code === 'CertificateNotFound');
  });

  it('has the hub refuse a proof for another code (CertificateVerificationFailed)', async () => {
    const ca = await sphere.getCaCertificate(tenantId());
    const up = await arm.uploadCertificate(dps, 'wrong-code', ca);
    const withCode = await arm.generateVerificationCode(dps, 'wrong-code', up.etag);
    const otherProof = await sphere.getProofOfPossessionCertificate(tenantId(), 'NOT-THE-CODE');
    await assert.rejects(arm.verifyCertificate(dps, 'wrong-code', withCode.etag, otherProof), (e: unknown) => e instanceof CloudApiError && e.code === 'CertificateVerificationFailed' && /provisioning service "contoso-dps"/.test(e.message));
  });

  it('runs the whole proof-of-possession flow in one call, reporting each step; a second run is a no-op', async () => {
    const steps: CaProofStep[] = [];
    const result = await proveTenantCaPossession({ sphere, arm, tenantId: tenantId(), hub, certificateName: 'tenant-ca', onProgress: (s) => steps.push(s) });
    assert.equal(result.properties.isVerified, true);
    assert.deepEqual(steps, ['download-ca', 'upload-ca', 'generate-code', 'download-proof', 'check-proof', 'verify-on-hub', 'done']);
    const again: CaProofStep[] = [];
    await proveTenantCaPossession({ sphere, arm, tenantId: tenantId(), hub, certificateName: 'tenant-ca', onProgress: (s) => again.push(s) });
    assert.deepEqual(again, ['download-ca', 'done']);
  });

  it('will not overwrite a hub entry that holds another CA', async () => {
    const otherCa = await sphere.getCaCertificate(suite.fx.emu.seed.tenants.contosoFleet.id);
    await arm.uploadCertificate(hub, 'taken', otherCa);
    await assert.rejects(proveTenantCaPossession({ sphere, arm, tenantId: tenantId(), hub, certificateName: 'taken' }), CertificateNameTakenError);
    assert.equal((await arm.getCertificate(hub, 'taken')).properties.thumbprint, otherCa.thumbprint);
  });

  it('maps a hub in another directory’s subscription to AuthorizationFailed', async () => {
    const f = suite.fx.emu.seed.hubs.fabrikamHub;
    const foreign: HubRef = { kind: 'iotHub', subscriptionId: f.subscriptionId, resourceGroup: f.resourceGroup, name: f.name };
    await assert.rejects(arm.listCertificates(foreign), (e: unknown) => e instanceof CloudApiError && e.status === 403 && e.code === 'AuthorizationFailed');
  });

  it('rejects bad names, kinds and etags before sending', async () => {
    const ca = await sphere.getCaCertificate(tenantId());
    await assert.rejects(arm.uploadCertificate(hub, 'bad name!', ca), (e: unknown) => e instanceof InvalidArgumentError && /1–64/.test(e.message));
    await assert.rejects(arm.uploadCertificate({ ...hub, name: 'x' }, 'ok', ca), InvalidArgumentError);
    await assert.rejects(arm.uploadCertificate({ ...hub, subscriptionId: 'nope' }, 'ok', ca), InvalidArgumentError);
    await assert.rejects(arm.generateVerificationCode(hub, 'ok', ''), (e: unknown) => e instanceof InvalidArgumentError && /etag/.test(e.message));
    await assert.rejects(arm.uploadCertificate(hub, 'ok', 'not a certificate!'), InvalidArgumentError);
  });
});
