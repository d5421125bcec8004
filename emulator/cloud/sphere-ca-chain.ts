// The CAs above every tenant CA. Azure Sphere's device certificates chain "first to a tenant-level certificate … and
// then to a Microsoft certificate" (learn.microsoft.com/azure-sphere/deployment/device-identity); the chain
// `azsphere ca-certificate download-chain` writes holds a root CA, a policy CA under it, and the tenant CA. The
// emulator makes its own root and policy CA once per state folder (journal record `sphereCas`) and issues new tenant
// CAs from the policy CA, so clients see a chain of the real shape.
//
// Azure's root and policy CAs are EC P-384; these are RSA, because the emulator's own certificate reading
// (pki.ts, over node-forge's RSA-only pki layer: the .p7b writer, hub uploads) must be able to read every certificate
// of the chain. Nothing here claims to be Microsoft's: the names say "cloud emulator".
import type { IssuingCa } from './model';
import { createCertificatePem, generateRsaKeyPair } from './pki';
import type { Store } from './store';

export interface SphereCas {
  root: IssuingCa;
  policyCa: IssuingCa;
}

const ORGANIZATION = 'Sphere Explorer cloud emulator';
export const ROOT_CA_NAME = 'Azure Sphere Root CA (cloud emulator)';
export const POLICY_CA_NAME = 'Azure Sphere Policy CA (cloud emulator)';
const YEAR_MS = 365 * 24 * 3600 * 1000;

async function createSphereCas(): Promise<SphereCas> {
  const [rootKeys, policyKeys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const now = Date.now();
  const notBefore = new Date(now - 24 * 3600 * 1000);
  const rootPem = createCertificatePem({
    subjectCommonName: ROOT_CA_NAME,
    subjectOrganization: ORGANIZATION,
    publicKeyPem: rootKeys.publicKeyPem,
    signingKeyPem: rootKeys.privateKeyPem,
    isCa: true,
    notBefore,
    notAfter: new Date(now + 20 * YEAR_MS),
  });
  const policyPem = createCertificatePem({
    subjectCommonName: POLICY_CA_NAME,
    subjectOrganization: ORGANIZATION,
    publicKeyPem: policyKeys.publicKeyPem,
    issuer: { certPem: rootPem, privateKeyPem: rootKeys.privateKeyPem },
    isCa: true,
    notBefore,
    notAfter: new Date(now + 15 * YEAR_MS),
  });
  return {
    root: { certPem: rootPem, keyPem: rootKeys.privateKeyPem },
    policyCa: { certPem: policyPem, keyPem: policyKeys.privateKeyPem },
  };
}

/** Requests that found no CAs yet share one creation, so two tenants made at once get the same root. */
const creating = new WeakMap<Store, Promise<SphereCas>>();

/** The state folder's root and policy CA, made (and journaled) the first time a tenant CA needs them. */
export function sphereCas(store: Store): Promise<SphereCas> {
  const existing = store.state.sphereCas;
  if (existing) return Promise.resolve(existing);
  let pending = creating.get(store);
  if (!pending) {
    pending = createSphereCas()
      .then(async (cas) => {
        if (!store.state.sphereCas) await store.commit({ t: 'sphereCas', root: cas.root, policyCa: cas.policyCa });
        return store.state.sphereCas!;
      })
      .finally(() => creating.delete(store));
    creating.set(store, pending);
  }
  return pending;
}
