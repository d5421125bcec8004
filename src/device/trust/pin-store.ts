// Where trust-on-first-use pins live. The VS Code layer backs this with globalState; tests and the CLI use a JSON file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface CertificatePin {
  /** SHA-256 fingerprint (colon-separated hex, as Node prints it) of the pinned certificate. */
  fingerprint256: string;
  /** The pinned certificate itself, PEM; chains are verified up to it. */
  certificatePem: string;
  subject: string;
  pinnedAt: string;
}

export interface PinStore {
  get(deviceId: string): Promise<CertificatePin | undefined>;
  set(deviceId: string, pin: CertificatePin): Promise<void>;
  delete(deviceId: string): Promise<void>;
}

const normalizeId = (deviceId: string): string => deviceId.toLowerCase();

export class MemoryPinStore implements PinStore {
  private readonly pins = new Map<string, CertificatePin>();
  async get(deviceId: string): Promise<CertificatePin | undefined> {
    return this.pins.get(normalizeId(deviceId));
  }
  async set(deviceId: string, pin: CertificatePin): Promise<void> {
    this.pins.set(normalizeId(deviceId), pin);
  }
  async delete(deviceId: string): Promise<void> {
    this.pins.delete(normalizeId(deviceId));
  }
}

/** Pins in one JSON file ({ deviceId: pin }); writes go to a temporary file first, then rename, so a crash never truncates it. */
export class JsonFilePinStore implements PinStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly filePath: string) {}

  async get(deviceId: string): Promise<CertificatePin | undefined> {
    return (await this.readAll())[normalizeId(deviceId)];
  }

  set(deviceId: string, pin: CertificatePin): Promise<void> {
    return this.update((all) => {
      all[normalizeId(deviceId)] = pin;
    });
  }

  delete(deviceId: string): Promise<void> {
    return this.update((all) => {
      delete all[normalizeId(deviceId)];
    });
  }

  private async readAll(): Promise<Record<string, CertificatePin>> {
    try {
      return JSON.parse(await fs.readFile(this.filePath, 'utf8')) as Record<string, CertificatePin>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  }

  private update(change: (all: Record<string, CertificatePin>) => void): Promise<void> {
    const next = this.queue.then(async () => {
      const all = await this.readAll();
      change(all);
      await fs.mkdir(path.dirname(this.filePath), { recursive: true });
      const temp = `${this.filePath}.${process.pid}.tmp`;
      await fs.writeFile(temp, JSON.stringify(all, null, 2), { mode: 0o600 });
      await fs.rename(temp, this.filePath);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
