/**
 * Real certificates for the TLS tests, made once per process with the openssl CLI: an EC P-256 CA shaped like the
 * board's "Azure Sphere Device" CA and a server certificate for both link addresses and the board's host name.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TlsFixture {
  ca: string;
  key: string;
  cert: string;
}

let cached: TlsFixture | undefined;

export function tlsFixture(): TlsFixture {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'net-tls-'));
  try {
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
    run('req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '2', '-out', 'ca.pem',
      '-subj', '/C=US/ST=Washington/L=Redmond/O=Test/CN=Test Azure Sphere Device CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'srv.key');
    run('req', '-new', '-key', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=192.168.35.2');
    fs.writeFileSync(path.join(dir, 'ext.cnf'),
      'subjectAltName=IP:192.168.35.2,IP:192.168.35.1,DNS:*.devices.sphere.azure.local\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    run('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', 'ext.cnf', '-out', 'srv.pem');
    cached = {
      ca: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
      key: fs.readFileSync(path.join(dir, 'srv.key'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'srv.pem'), 'utf8'),
    };
    return cached;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
