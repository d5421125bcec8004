// Test PKI made by the real `openssl` CLI (an independent implementation from the code under test):
// CAs and leaves with RSA or EC keys, written to a temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeyKind = 'rsa' | 'ec';

export interface IssuedCert {
  readonly certPath: string;
  readonly keyPath: string;
  readonly pem: string;
}

export function openssl(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export class OpensslPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'cloud-pki-'));
  private serial = 1;

  private keyArgs(kind: KeyKind): string[] {
    return kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  }

  /** A self-signed CA (basicConstraints CA:TRUE, keyCertSign). */
  createCa(name: string, kind: KeyKind = 'rsa', days = 30): IssuedCert {
    const base = join(this.dir, name.replace(/\W/g, '_'));
    openssl([
      'req', '-x509', ...this.keyArgs(kind), '-nodes', '-keyout', `${base}.key`, '-out', `${base}.pem`, '-subj', `/CN=${name}`, '-days', String(days),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash',
    ]);
    return { certPath: `${base}.pem`, keyPath: `${base}.key`, pem: readFileSync(`${base}.pem`, 'utf8') };
  }

  /** A certificate with subject CN `commonName` signed by `issuer`; `ca` makes it an intermediate CA. */
  issue(issuer: IssuedCert, commonName: string, options: { kind?: KeyKind; ca?: boolean; days?: number; serverFor127?: boolean } = {}): IssuedCert {
    const base = join(this.dir, `leaf${this.serial}`);
    openssl(['req', '-new', ...this.keyArgs(options.kind ?? 'ec'), '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`]);
    const ext = options.ca ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' : 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n';
    const server = options.serverFor127 ? 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' : '';
    writeFileSync(`${base}.ext`, ext + server);
    openssl([
      'x509', '-req', '-in', `${base}.csr`, '-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-set_serial', String(this.serial++),
      '-days', String(options.days ?? 7), '-extfile', `${base}.ext`, '-out', `${base}.pem`,
    ]);
    return { certPath: `${base}.pem`, keyPath: `${base}.key`, pem: readFileSync(`${base}.pem`, 'utf8') };
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
