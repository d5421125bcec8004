// The board's persistent identity: its P-256 device key (the device ID is the public key), the simulator CA and the
// TLS leaf served on 443. Created once per state directory, then reloaded, so a board keeps its ID across runs.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deviceIdFromPublicKey } from '../common/device-id';
import { writeFileAtomicSync } from './atomic-file';
import {
  AZURE_SPHERE_DEVICE_CA_NAME, DEVICE_REST_HOST_NAME, generateP256KeyPair, issueCertificate,
} from './certificates';

export const BOARD_IP_ADDRESS = '192.168.35.2';

export interface BoardIdentity {
  /** 128 lower-case hex characters: X‖Y of the device public key, as `GET /device/security_state` reports. */
  deviceId: string;
  devicePublicKey: crypto.KeyObject;
  /**
   * The device's private key. A real board's never leaves its security subsystem; the simulator's stays in this
   * process and signs only what the board itself does: daily attestation requests and its TLS handshakes with IoT Hub.
   */
  deviceKey: crypto.KeyObject;
  caCertPem: string;
  caCertPath: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export { deviceIdFromPublicKey };

const FILES = {
  deviceKey: 'device-identity-key.pem',
  caKey: 'ca-key.pem',
  caCert: 'ca-cert.pem',
  serverKey: 'rest-server-key.pem',
  serverCert: 'rest-server-cert.pem',
};

function readOrCreateKey(filePath: string): crypto.KeyObject {
  if (fs.existsSync(filePath)) {
    return crypto.createPrivateKey(fs.readFileSync(filePath));
  }
  const { privateKey } = generateP256KeyPair();
  writeFileAtomicSync(filePath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return privateKey;
}

/** Loads the identity from `stateDir`, creating whatever is missing (keys are written with mode 0600). */
export function loadOrCreateIdentity(stateDir: string): BoardIdentity {
  fs.mkdirSync(stateDir, { recursive: true });
  const file = (name: keyof typeof FILES): string => path.join(stateDir, FILES[name]);
  const deviceKey = readOrCreateKey(file('deviceKey'));
  const caKey = readOrCreateKey(file('caKey'));
  const serverKey = readOrCreateKey(file('serverKey'));
  const caPublic = crypto.createPublicKey(caKey);

  let caCertPem: string;
  if (fs.existsSync(file('caCert'))) {
    caCertPem = fs.readFileSync(file('caCert'), 'utf8');
  } else {
    caCertPem = issueCertificate({
      subject: AZURE_SPHERE_DEVICE_CA_NAME,
      publicKey: caPublic,
      signingKey: caKey,
      notBefore: new Date('2018-05-22T00:00:00Z'),
      notAfter: new Date('2038-05-17T00:00:00Z'),
      isCa: true,
    });
    writeFileAtomicSync(file('caCert'), caCertPem, 0o644);
  }

  let serverCertPem: string;
  if (fs.existsSync(file('serverCert'))) {
    serverCertPem = fs.readFileSync(file('serverCert'), 'utf8');
  } else {
    serverCertPem = issueCertificate({
      subject: { CN: DEVICE_REST_HOST_NAME },
      publicKey: crypto.createPublicKey(serverKey),
      issuer: AZURE_SPHERE_DEVICE_CA_NAME,
      issuerPublicKey: caPublic,
      signingKey: caKey,
      notBefore: new Date(Date.now() - 24 * 3600 * 1000),
      notAfter: new Date('2038-05-17T00:00:00Z'),
      isCa: false,
      dnsNames: [DEVICE_REST_HOST_NAME],
      ipAddresses: [BOARD_IP_ADDRESS],
      extendedKeyUsage: ['serverAuth'],
    });
    writeFileAtomicSync(file('serverCert'), serverCertPem, 0o644);
  }

  const devicePublicKey = crypto.createPublicKey(deviceKey);
  return {
    deviceId: deviceIdFromPublicKey(devicePublicKey),
    devicePublicKey,
    deviceKey,
    caCertPem,
    caCertPath: file('caCert'),
    serverCertPem,
    serverKeyPem: serverKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
