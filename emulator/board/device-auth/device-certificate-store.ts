// Where the board keeps its daily device certificate: `<state>/daa/daily-certificate.json` (the record, written last,
// so it is what counts after a crash) and `<state>/daa/<tenant ID>` (the chain as PEM, leaf first), the file
// DeviceAuth_GetCertificatePath names to apps. Real boards keep it under /run/daa/<tenant ID>
// (github.com/Azure/azure-sphere-samples issue 176 shows the path in a log); here it survives restarts, so a board
// whose certificate is still valid is ready again as soon as it is online. Both writes are atomic (atomic-file.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../atomic-file';
import type { DeviceCertificateRecord } from './attestation-request';

const RECORD_FILE = 'daily-certificate.json';
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class DeviceCertificateStore {
  private readonly dir: string;
  private current: DeviceCertificateRecord | undefined;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'daa');
    this.current = this.load();
  }

  get certificate(): DeviceCertificateRecord | undefined {
    return this.current;
  }

  /**
   * The PEM file for `tenantId` (leaf, then the tenant CA). Like DeviceAuth_GetCertificatePath it always returns a
   * path; the file holds a certificate only once the board has one for that tenant.
   */
  certificatePath(tenantId: string): string {
    if (!TENANT_ID.test(tenantId)) throw new Error(`'${tenantId.slice(0, 60)}' is not a tenant ID (a GUID)`);
    return path.join(this.dir, tenantId.toLowerCase());
  }

  async save(record: DeviceCertificateRecord): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    // The certificates are public; only the device key (elsewhere in the state folder) is secret.
    await writeFileAtomic(this.certificatePath(record.tenantId), record.chainPem, 0o644);
    await writeFileAtomic(path.join(this.dir, RECORD_FILE), JSON.stringify(record, null, 2), 0o644);
    this.current = record;
  }

  private load(): DeviceCertificateRecord | undefined {
    let record: DeviceCertificateRecord;
    try {
      record = JSON.parse(fs.readFileSync(path.join(this.dir, RECORD_FILE), 'utf8')) as DeviceCertificateRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      console.error(`[board-sim] ignoring an unreadable daily certificate record: ${(error as Error).message}`);
      return undefined;
    }
    if (typeof record.chainPem !== 'string' || typeof record.tenantId !== 'string' || !TENANT_ID.test(record.tenantId)) return undefined;
    // The record is written last: a crash between the two writes leaves the PEM behind it, so it is brought up to date.
    const pemPath = this.certificatePath(record.tenantId);
    if (!fs.existsSync(pemPath) || fs.readFileSync(pemPath, 'utf8') !== record.chainPem) {
      fs.mkdirSync(this.dir, { recursive: true });
      writeFileAtomicSync(pemPath, record.chainPem, 0o644);
    }
    return record;
  }
}
