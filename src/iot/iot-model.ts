// The VS Code side's view of boards on IoT hubs: the links made here (iot-links.ts), and for each the hub's identity
// (connection state, last activity) and, through DPS, the registration — read with the signed-in account, refreshed
// every few seconds while someone is looking (the Devices view is visible) and on demand. Data-plane clients are kept
// per hub, so a hub's key is read once per sign-in.
import * as vscode from 'vscode';
import type { SignInService } from '../auth/sign-in-service';
import type { HubRef } from '../cloud/arm-certificate-client';
import type { DeviceRegistrationState } from '../cloud/iot/dps-enrollment-client';
import { dpsClientFor } from '../cloud/iot/dps-enrollment';
import { hubRegistryFor, type IotClients } from '../cloud/iot/hub-device-connection';
import type { HubDeviceIdentity, HubRegistryClient } from '../cloud/iot/hub-registry-client';
import type { DpsEnrollmentClient } from '../cloud/iot/dps-enrollment-client';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { TenantModel } from '../tenants/tenant-model';
import { IotLinkStore, linkKey, type IotLink } from './iot-links';

export interface IotLinkStatus {
  readonly link: IotLink;
  /** undefined: the hub has no identity with this ID (any more). */
  readonly identity?: HubDeviceIdentity;
  readonly registration?: DeviceRegistrationState;
  /** Why the hub could not be read (already in words). */
  readonly error?: string;
  readonly readAt: number;
}

const POLL_MS = 5000;

export class IotModel extends Disposable {
  readonly links: IotLinkStore;
  private readonly statuses = new Map<string, IotLinkStatus>();
  private readonly registries = new Map<string, Promise<HubRegistryClient>>();
  private readonly dpsClients = new Map<string, Promise<DpsEnrollmentClient>>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<string>());
  /** Fires with a (lower-case) device ID whose links or hub status changed. */
  readonly onDidChange = this._onDidChange.event;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly signIn: SignInService,
    private readonly tenants: TenantModel,
    memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.links = new IotLinkStore(memento);
    this._register(signIn.onDidChangeAccounts(() => this.forgetClients()));
    this._register(toDisposable(() => this.setWatching(false)));
  }

  async clients(): Promise<IotClients> {
    const { arm, transport } = await this.signIn.getClients();
    return { arm, api: await this.tenants.apiClient(), transport, logger: this.log };
  }

  statusOf(link: IotLink): IotLinkStatus | undefined {
    return this.statuses.get(linkKey(link));
  }

  /** Never read, or read longer ago than the polling interval (e.g. the view was hidden meanwhile). */
  isStale(link: IotLink): boolean {
    const status = this.statusOf(link);
    return !status || Date.now() - status.readAt >= POLL_MS;
  }

  async addLink(link: IotLink): Promise<void> {
    await this.links.add(link);
    await this.refresh(link.deviceId);
  }

  async removeLink(link: IotLink): Promise<void> {
    await this.links.remove(link);
    this.statuses.delete(linkKey(link));
    this._onDidChange.fire(link.deviceId);
  }

  /** Reads the hub (and DPS) status of every link of `deviceId` now; fires onDidChange when anything differs. */
  async refresh(deviceId: string): Promise<void> {
    const links = this.links.forDevice(deviceId);
    let changed = false;
    await Promise.all(
      links.map(async (link) => {
        const next = await this.read(link);
        const before = this.statuses.get(linkKey(link));
        this.statuses.set(linkKey(link), next);
        if (!before || summary(before) !== summary(next)) changed = true;
      }),
    );
    if (changed || links.length === 0) this._onDidChange.fire(deviceId.toLowerCase());
  }

  /** Polls every linked device while `watching` (the Devices view is visible). */
  setWatching(watching: boolean): void {
    if (watching && !this.timer && !this.isDisposed) {
      this.timer = setInterval(() => void this.pollOnce(), POLL_MS);
      void this.pollOnce();
    } else if (!watching && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** The registry client of a hub, made once per sign-in. */
  registryFor(hub: HubRef): Promise<HubRegistryClient> {
    const key = `${hub.subscriptionId}/${hub.resourceGroup}/${hub.name}`.toLowerCase();
    let registry = this.registries.get(key);
    if (!registry) {
      registry = this.clients().then((c) => hubRegistryFor(c, hub));
      registry.catch(() => this.registries.delete(key));
      this.registries.set(key, registry);
    }
    return registry;
  }

  private dpsClientFor(dps: HubRef): Promise<DpsEnrollmentClient> {
    const key = `${dps.subscriptionId}/${dps.resourceGroup}/${dps.name}`.toLowerCase();
    let client = this.dpsClients.get(key);
    if (!client) {
      client = this.clients().then(async (c) => (await dpsClientFor(c, dps)).client);
      client.catch(() => this.dpsClients.delete(key));
      this.dpsClients.set(key, client);
    }
    return client;
  }

  private async pollOnce(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const devices = new Set(this.links.all().map((l) => l.deviceId));
      if (devices.size === 0 || !(await this.tenants.account())) return;
      for (const deviceId of devices) await this.refresh(deviceId);
    } catch (err) {
      this.log.warn(`IoT hub status: ${(err as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private async read(link: IotLink): Promise<IotLinkStatus> {
    try {
      const registry = await this.registryFor(link.hub);
      const identity = await registry.getDevice(link.deviceId);
      const registration = link.dps ? await (await this.dpsClientFor(link.dps.ref)).getRegistrationState(link.deviceId) : undefined;
      return { link, identity, registration, readAt: Date.now() };
    } catch (err) {
      return { link, error: (err as Error).message, readAt: Date.now() };
    }
  }

  private forgetClients(): void {
    this.registries.clear();
    this.dpsClients.clear();
  }
}

function summary(s: IotLinkStatus): string {
  const i = s.identity;
  const r = s.registration;
  return JSON.stringify([i?.connectionState, i?.lastActivityTime, i?.status, i?.authentication?.type, !!i, r?.status, r?.assignedHub, r?.lastUpdatedDateTimeUtc, s.error]);
}
