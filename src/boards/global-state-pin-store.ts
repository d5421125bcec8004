// Trust-on-first-use pins of real boards' certificates in globalState: fingerprints and public certificates are not
// secrets, and globalState follows the user across workspaces like the boards do.
import type * as vscode from 'vscode';
import type { CertificatePin, PinStore } from '../device';

const KEY = 'sphereExplorer.devicePins';

export class GlobalStatePinStore implements PinStore {
  constructor(private readonly state: vscode.Memento) {}

  async get(deviceId: string): Promise<CertificatePin | undefined> {
    return this.all()[deviceId.toLowerCase()];
  }

  async set(deviceId: string, pin: CertificatePin): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [deviceId.toLowerCase()]: pin });
  }

  async delete(deviceId: string): Promise<void> {
    const all = this.all();
    delete all[deviceId.toLowerCase()];
    await this.state.update(KEY, all);
  }

  private all(): Record<string, CertificatePin> {
    return { ...this.state.get<Record<string, CertificatePin>>(KEY, {}) };
  }
}
