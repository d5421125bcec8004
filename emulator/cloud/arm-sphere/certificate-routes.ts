// A catalog's CA certificates (Microsoft.AzureSphere/catalogs/certificates): its tenant's CAs (tenant-ca.ts), named by
// serial number, `.default` = the active one (the newest). retrieveCertChain gives the chain as
// `azsphere ca-certificate download-chain` writes it (a base64 PKCS#7 .p7b: root, policy CA, tenant CA);
// retrieveProofOfPossessionNonce issues the proof-of-possession certificate for a verification code (subject CN =
// the nonce, signed by the CA), as the certificate's fields at the top level.
import { jsonResponse, type EmuResponse } from '../http';
import { pkcs7ChainDer } from '../pki';
import { issueProofOfPossession, tenantCaChainPems } from '../tenant-ca';
import type { TenantCa } from '../model';
import { badRequest, resourceNotFound } from './arm-errors';
import { armPage } from './arm-paging';
import { certificateProperties, certificateResource, certificateSerial, TYPES } from './arm-resources';
import { authorize, objectBody, operationName, type SphereCall, type SphereDeps } from './sphere-call';

function caNamed(call: SphereCall, serial: string): { ca: TenantCa; active: boolean } {
  const cas = call.scope.tenant.cas;
  const active = cas[cas.length - 1]!;
  if (serial.toLowerCase() === '.default') return { ca: active, active: true };
  const ca = cas.find((c) => certificateSerial(c) === serial.toUpperCase());
  if (!ca) throw resourceNotFound(TYPES.certificate, `${call.scope.catalog.name}/${serial}`, call.scope.catalog.resourceGroup);
  return { ca, active: ca === active };
}

export async function routeCertificates(deps: SphereDeps, call: SphereCall): Promise<EmuResponse | undefined> {
  const { req, rest, low, scope } = call;
  const m = req.method;
  const now = deps.ctx.clock.now();
  if (low.length === 1 && m === 'GET') {
    authorize(deps.ctx, call.user, scope.id, 'read', operationName(TYPES.certificate, 'read'));
    const cas = scope.tenant.cas;
    const items = cas.map((ca, i) => certificateResource(scope, ca, i === cas.length - 1, now));
    return jsonResponse(200, armPage(req, deps.ctx.baseUrl, items, `certificates:${scope.tenant.id}`, true));
  }
  if (low.length === 2 && m === 'GET') {
    authorize(deps.ctx, call.user, scope.id, 'read', operationName(TYPES.certificate, 'read'));
    const { ca, active } = caNamed(call, rest[1]!);
    return jsonResponse(200, certificateResource(scope, ca, active, now));
  }
  if (low.length === 3 && m === 'POST' && low[2] === 'retrievecertchain') {
    authorize(deps.ctx, call.user, scope.id, 'read', operationName(TYPES.certificate, 'retrieveCertChain'));
    const { ca } = caNamed(call, rest[1]!);
    return jsonResponse(200, { certificateChain: pkcs7ChainDer(tenantCaChainPems(ca)).toString('base64') });
  }
  if (low.length === 3 && m === 'POST' && low[2] === 'retrieveproofofpossessionnonce') {
    authorize(deps.ctx, call.user, scope.id, 'action', operationName(TYPES.certificate, 'retrieveProofOfPossessionNonce'));
    const { ca, active } = caNamed(call, rest[1]!);
    const nonce = objectBody(req).proofOfPossessionNonce;
    if (typeof nonce !== 'string' || nonce.trim() === '' || nonce.length > 64) {
      throw badRequest("The body must be {\"proofOfPossessionNonce\": \"<the verification code, at most 64 characters>\"}.", 'proofOfPossessionNonce', 'InvalidRequestContent');
    }
    const proofPem = await issueProofOfPossession(ca, nonce);
    return jsonResponse(200, certificateProperties(proofPem, active, now));
  }
  return undefined;
}
