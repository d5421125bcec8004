// The emulator's own TLS identity: a local CA and a server certificate for 127.0.0.1 / localhost, both kept in the
// state directory so clients that trusted the CA once keep trusting it after a restart.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from './files';
import { createCertificatePem, generateRsaKeyPair } from './pki';

export interface TlsMaterial {
  caCertPem: string;
  caCertPath: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export async function loadOrCreateTls(stateDir: string): Promise<TlsMaterial> {
  const dir = join(stateDir, 'tls');
  const caCertPath = join(dir, 'ca.pem');
  const serverCertPath = join(dir, 'server.pem');
  const serverKeyPath = join(dir, 'server-key.pem');
  // The server files are written last, so their presence means the whole set is complete.
  if (existsSync(caCertPath) && existsSync(serverCertPath) && existsSync(serverKeyPath)) {
    return {
      caCertPem: readFileSync(caCertPath, 'utf8'),
      caCertPath,
      serverCertPem: readFileSync(serverCertPath, 'utf8'),
      serverKeyPem: readFileSync(serverKeyPath, 'utf8'),
    };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const notBefore = new Date(now - 3600 * 1000);
  const caKeys = await generateRsaKeyPair();
  const caCertPem = createCertificatePem({
    subjectCommonName: 'Sphere Explorer Cloud Emulator Local CA',
    subjectOrganization: 'Sphere Explorer (local emulator, not a real authority)',
    publicKeyPem: caKeys.publicKeyPem,
    signingKeyPem: caKeys.privateKeyPem,
    isCa: true,
    notBefore,
    notAfter: new Date(now + 10 * YEAR_MS),
  });
  const serverKeys = await generateRsaKeyPair();
  const serverCertPem = createCertificatePem({
    subjectCommonName: '127.0.0.1',
    publicKeyPem: serverKeys.publicKeyPem,
    issuer: { certPem: caCertPem, privateKeyPem: caKeys.privateKeyPem },
    isCa: false,
    notBefore,
    notAfter: new Date(now + 2 * YEAR_MS),
    ipAddresses: ['127.0.0.1', '::1'],
    dnsNames: ['localhost'],
  });
  writeFileDurably(caCertPath, caCertPem, 0o644);
  writeFileDurably(serverKeyPath, serverKeys.privateKeyPem);
  writeFileDurably(serverCertPath, serverCertPem, 0o644);
  return { caCertPem, caCertPath, serverCertPem, serverKeyPem: serverKeys.privateKeyPem };
}
