// Which IoT hubs (directly, or through a DPS enrollment) each board was connected to from this editor: what the
// Devices view looks up to show a board's hub identity and connection state. Names and host names only — never a
// key or a token — kept in globalState so they survive a reload.
import type * as vscode from 'vscode';
import type { HubRef } from '../cloud/arm-certificate-client';

export interface IotLink {
  /** The device ID in lower case: the hub's device ID and DPS registration ID. */
  readonly deviceId: string;
  readonly tenantId: string;
  readonly hub: HubRef;
  readonly hubHostName: string;
  /** Present when the board reaches the hub through a DPS enrollment group. */
  readonly dps?: {
    readonly ref: HubRef;
    readonly idScope: string;
    readonly enrollmentGroupId: string;
    readonly deviceProvisioningHostName: string;
  };
}

const KEY = 'sphereExplorer.iotLinks';

export function linkKey(link: Pick<IotLink, 'deviceId' | 'hubHostName' | 'dps'>): string {
  return `${link.deviceId}|${link.hubHostName.toLowerCase()}|${link.dps ? link.dps.ref.name.toLowerCase() : 'direct'}`;
}

export class IotLinkStore {
  constructor(private readonly memento: vscode.Memento) {}

  all(): IotLink[] {
    const value = this.memento.get<unknown>(KEY);
    return Array.isArray(value) ? (value.filter(isLink) as IotLink[]) : [];
  }

  forDevice(deviceId: string): IotLink[] {
    const id = deviceId.toLowerCase();
    return this.all().filter((l) => l.deviceId === id);
  }

  /** Adds the link, or replaces the one for the same device, hub and path. */
  async add(link: IotLink): Promise<void> {
    const key = linkKey(link);
    await this.memento.update(KEY, [...this.all().filter((l) => linkKey(l) !== key), link]);
  }

  async remove(link: IotLink): Promise<void> {
    const key = linkKey(link);
    await this.memento.update(KEY, this.all().filter((l) => linkKey(l) !== key));
  }
}

function isLink(value: unknown): boolean {
  const v = value as Partial<IotLink> | null;
  return !!v && typeof v.deviceId === 'string' && typeof v.hubHostName === 'string' && typeof v.tenantId === 'string' && !!v.hub && typeof v.hub.name === 'string';
}
