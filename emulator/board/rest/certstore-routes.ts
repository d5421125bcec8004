// Certificate store endpoints: list, show, add (client / rootca), delete, free space. Codes:
// docs/device-rest-api.md#certificate-store.
import * as crypto from 'node:crypto';
import type { CertRecord, CertType } from '../board-state';
import { badRequest, DeviceErrorCode, DeviceRestError, notFound } from '../device-errors';
import type { BoardContext } from './context';
import { ok, readJsonObject, type Router } from './http-kit';

/** Free bytes of an empty store, as real boards report (`{"AvailableSpace":"24514"}`). */
export const CERT_STORE_CAPACITY = 24514;
const MAX_CERT_ID_LENGTH = 16;
const MAX_PEM_LENGTH = 8192;
const MAX_PASSWORD_LENGTH = 256;

function checkCertId(id: string): string {
  if (id.length === 0 || id.length > MAX_CERT_ID_LENGTH) {
    throw badRequest(DeviceErrorCode.certIdTooLong, 'Certificate identifiers must be 1-16 characters');
  }
  if (!/^[A-Za-z0-9._-]+$/.test(id)) {
    throw badRequest(DeviceErrorCode.certIdInvalid, 'Certificate identifiers may only be alphanumeric or .-_');
  }
  return id;
}

/** Bytes a certificate occupies in the store. */
export function certFootprint(cert: CertRecord): number {
  return Buffer.byteLength(cert.publicCert) + Buffer.byteLength(cert.privateKey ?? '') + Buffer.byteLength(cert.password ?? '');
}

export function certStoreFreeSpace(certs: readonly CertRecord[]): number {
  return CERT_STORE_CAPACITY - certs.reduce((sum, cert) => sum + certFootprint(cert), 0);
}

/** OpenSSL one-line style used by the device: `/C=US/O=Contoso/CN=name`. */
function slashName(multiline: string): string {
  return multiline.split('\n').filter((line) => line.length > 0).map((line) => `/${line}`).join('');
}

/** `2022-06-17T09:12:46` (UTC, no zone), the device's date format. */
function deviceDate(opensslDate: string): string {
  return new Date(opensslDate).toISOString().slice(0, 19);
}

function parseCertificate(pem: string): crypto.X509Certificate {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw badRequest(DeviceErrorCode.certContentsInvalid, 'Certificate contents are invalid');
  }
  try {
    return new crypto.X509Certificate(pem);
  } catch {
    throw badRequest(DeviceErrorCode.publicCertInvalid, 'Public certificate content is invalid');
  }
}

function parseBody(body: Record<string, unknown>): Omit<CertRecord, 'id'> {
  const certTypeText = typeof body.certType === 'string' ? body.certType.toLowerCase() : '';
  if (certTypeText !== 'client' && certTypeText !== 'rootca') {
    throw badRequest(DeviceErrorCode.certTypeInvalid, "Certificate type must be 'client' or 'rootca'");
  }
  const certType = certTypeText as CertType;
  const { publicCert, privateKey, password } = body;
  if (typeof publicCert !== 'string' || publicCert.length === 0) {
    throw badRequest(DeviceErrorCode.certContentsInvalid, 'publicCert is required');
  }
  if (publicCert.length > MAX_PEM_LENGTH) {
    throw badRequest(DeviceErrorCode.publicCertTooLong, 'Public certificate content is too long');
  }
  const certificate = parseCertificate(publicCert);
  if (privateKey !== undefined && typeof privateKey !== 'string') {
    throw badRequest(DeviceErrorCode.privateKeyInvalid, 'privateKey must be PEM text');
  }
  if (password !== undefined && typeof password !== 'string') {
    throw badRequest(DeviceErrorCode.passwordTooLong, 'password must be text');
  }
  if (certType === 'rootca') {
    if (privateKey !== undefined) {
      throw badRequest(DeviceErrorCode.privateKeyNotAllowed, 'Private key is not allowed for a root CA');
    }
    if (password !== undefined) {
      throw badRequest(DeviceErrorCode.passwordNotAllowed, 'Password is not allowed for a root CA');
    }
    return { certType, publicCert };
  }
  if (privateKey === undefined || privateKey.length === 0) {
    throw badRequest(DeviceErrorCode.privateKeyInvalid, 'A client certificate needs its private key');
  }
  if (privateKey.length > MAX_PEM_LENGTH) {
    throw badRequest(DeviceErrorCode.privateKeyTooLong, 'Private key content is too long');
  }
  if (password !== undefined && password.length > MAX_PASSWORD_LENGTH) {
    throw badRequest(DeviceErrorCode.passwordTooLong, 'Private key password is too long');
  }
  const encrypted = privateKey.includes('ENCRYPTED');
  if (password !== undefined && password.length > 0 && !encrypted) {
    throw badRequest(DeviceErrorCode.passwordForUnencryptedKey, 'Password given for an unencrypted key');
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(encrypted ? { key: privateKey, passphrase: password ?? '' } : privateKey);
  } catch {
    // Wrong password and garbage look the same from here; neither text reaches the error.
    throw badRequest(DeviceErrorCode.privateKeyInvalid, 'Private key content is invalid');
  }
  if (!certificate.checkPrivateKey(key)) {
    throw badRequest(DeviceErrorCode.keyPairMismatch, 'Certificate and private key do not match');
  }
  const record: Omit<CertRecord, 'id'> = { certType, publicCert, privateKey };
  if (password !== undefined && password.length > 0) {
    record.password = password;
  }
  return record;
}

export function addCertstoreRoutes(router: Router, board: BoardContext): void {
  const { store } = board;

  router
    .add('GET', '/certstore/certs', () => ok({ identifiers: store.view.certs.map((c) => c.id) }))
    .add('GET', '/certstore/space', () => ok({ AvailableSpace: String(certStoreFreeSpace(store.view.certs)) }))
    .add('GET', '/certstore/certs/:id', (_req, [idText]) => {
      const id = checkCertId(idText);
      const cert = store.view.certs.find((c) => c.id === id);
      if (!cert) {
        throw notFound(DeviceErrorCode.certNotFound, 'No certificate with that identifier');
      }
      const x509 = new crypto.X509Certificate(cert.publicCert);
      return ok({
        id: cert.id,
        notBefore: deviceDate(x509.validFrom),
        notAfter: deviceDate(x509.validTo),
        subjectName: slashName(x509.subject),
        issuerName: slashName(x509.issuer),
      });
    })
    .add('POST', '/certstore/certs/:id', async (req, [idText]) => {
      const id = checkCertId(idText);
      const parsed = parseBody(await readJsonObject(req, DeviceErrorCode.certContentsInvalid));
      await store.update((state) => {
        if (state.certs.some((c) => c.id === id)) {
          // No device code for this case is documented; 409 tells the client what happened.
          throw new DeviceRestError(409, undefined, `Certificate ${id} already exists`);
        }
        const record: CertRecord = { id, ...parsed };
        if (certFootprint(record) > certStoreFreeSpace(state.certs)) {
          throw badRequest(DeviceErrorCode.certStoreFull, 'Certificate store is out of space');
        }
        state.certs.push(record);
      });
      return ok();
    })
    .add('DELETE', '/certstore/certs/:id', async (_req, [idText]) => {
      const id = checkCertId(idText);
      await store.update((state) => {
        const index = state.certs.findIndex((c) => c.id === id);
        if (index < 0) {
          throw notFound(DeviceErrorCode.certNotFound, 'No certificate with that identifier');
        }
        state.certs.splice(index, 1);
      });
      return ok();
    });
}
