// "IoT Hub" under each board: whether the board has its daily device certificate (and why not), and each hub it was
// connected to from here with the hub's word on it — identity, Connected / Disconnected (in words, not only an icon's
// colour), last activity, and for DPS links the registration. Redrawn when the hub's status changes (IotModel polls
// while the view is visible).
import * as vscode from 'vscode';
import type { AttachedBoard, DeviceModel } from '../../boards';
import { CommandId } from '../../commands/ids';
import { combinedDisposable, toDisposable, type IDisposable } from '../../common/lifecycle';
import { readBoardAuthReadiness } from '../../iot/board-auth-status';
import { linkKey, type IotLink } from '../../iot/iot-links';
import type { IotLinkStatus, IotModel } from '../../iot/iot-model';
import type { ClaimStatus } from '../../tenants/claim-status';
import { MessageNode, TreeNode } from '../tree-node';
import { boardNodeId } from './board-nodes';
import type { DevicesView } from './devices-view';

export const iotSectionNodeId = (boardKey: string): string => `${boardNodeId(boardKey)}/iot`;

/** The hub's "never": DateTime.MinValue. */
const NEVER = /^0001-01-01/;

function time(iso: string | undefined): string | undefined {
  if (!iso || NEVER.test(iso)) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toLocaleString('en-GB', { hour12: false });
}

/** The words a link's row shows for what the hub (and DPS) say. */
export function linkDescription(status: IotLinkStatus | undefined): string {
  if (!status) return 'reading…';
  if (status.error) return `cannot read the hub: ${status.error}`;
  const parts: string[] = [];
  if (status.link.dps) {
    const r = status.registration;
    parts.push(!r ? 'not registered yet' : r.status === 'assigned' ? `registered ${time(r.lastUpdatedDateTimeUtc) ?? ''}`.trim() : `registration ${r.status}${r.errorMessage ? `: ${r.errorMessage}` : ''}`);
  }
  const i = status.identity;
  if (!i) parts.push(status.link.dps ? 'no identity on the hub yet' : 'no identity on the hub (deleted?)');
  else {
    parts.push(i.connectionState === 'Connected' ? 'Connected' : 'Disconnected');
    if (i.status === 'disabled') parts.push('disabled');
    parts.push(time(i.lastActivityTime) ? `last activity ${time(i.lastActivityTime)}` : 'no activity yet');
  }
  return parts.join(' · ');
}

/** A device's hubs in a few words for rows elsewhere (the tenant's claimed devices): `contoso-hub: Connected`. */
export function iotHubSummary(iot: IotModel, deviceId: string): string | undefined {
  const links = iot.links.forDevice(deviceId);
  if (links.length === 0) return undefined;
  return links
    .map((l) => {
      const s = iot.statusOf(l);
      return `${l.hub.name}: ${s?.error ? 'unreadable' : s?.identity ? (s.identity.connectionState ?? 'Disconnected') : s ? 'no identity' : '…'}`;
    })
    .join(', ');
}

export class HubLinkNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly link: IotLink,
    readonly boardKey: string,
    private readonly status: IotLinkStatus | undefined,
  ) {
    super(`${parent.id}/${linkKey(link)}`, parent);
  }

  getTreeItem(): vscode.TreeItem {
    const label = this.link.dps ? `${this.link.dps.ref.name} → ${this.link.hub.name}` : this.link.hub.name;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = linkDescription(this.status);
    const connected = this.status?.identity?.connectionState === 'Connected';
    item.iconPath = this.status?.error
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
      : new vscode.ThemeIcon(connected ? 'pass-filled' : 'circle-large-outline', connected ? new vscode.ThemeColor('testing.iconPassed') : undefined);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**IoT hub** ${this.link.hub.name} (\`${this.link.hubHostName}\`)\n\n`);
    md.appendMarkdown(`Device ID: \`${this.link.deviceId}\`\n\n`);
    if (this.status?.identity) md.appendMarkdown(`Authentication: ${this.status.identity.authentication?.type ?? 'unknown'} · status ${this.status.identity.status ?? 'enabled'}\n\n`);
    if (this.link.dps) md.appendMarkdown(`Through DPS **${this.link.dps.ref.name}** (ID scope \`${this.link.dps.idScope}\`, enrollment group \`${this.link.dps.enrollmentGroupId}\`)\n\n`);
    if (this.status?.registration) md.appendMarkdown(`Registration: ${this.status.registration.status}${this.status.registration.assignedHub ? ` → ${this.status.registration.assignedHub}` : ''}\n\n`);
    item.tooltip = md;
    item.contextValue = 'iotHubLink';
    return item;
  }
}

export class IotHubSectionNode extends TreeNode {
  constructor(
    parent: TreeNode,
    private readonly board: AttachedBoard,
    private readonly deps: { devices: DeviceModel; claims: ClaimStatus; iot: IotModel },
    /** Told when the board has no certificate yet: it may get one any moment, so the section is looked at again. */
    private readonly notReady: (boardKey: string) => void,
  ) {
    super(iotSectionNodeId(board.key), parent);
  }

  get boardKey(): string {
    return this.board.key;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('IoT Hub', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('radio-tower');
    const links = this.board.deviceId ? this.deps.iot.links.forDevice(this.board.deviceId) : [];
    const hubs = [...new Set(links.map((l) => l.hub.name))];
    const connected = links.some((l) => this.deps.iot.statusOf(l)?.identity?.connectionState === 'Connected');
    item.description = links.length === 0 ? 'not connected' : `${connected ? 'Connected' : 'Disconnected'} · ${hubs.join(', ')}`;
    item.contextValue = 'iotHubSection';
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const rows: TreeNode[] = [];
    const readiness = await readBoardAuthReadiness(this.deps.devices, this.deps.claims, this.board);
    if (!readiness.ready) this.notReady(this.board.key);
    rows.push(
      readiness.ready
        ? new MessageNode(`${this.id}/auth`, this, 'Device certificate: ready', { icon: new vscode.ThemeIcon('verified'), tooltip: 'The board has its daily device certificate and can authenticate to IoT Hub / DPS.', contextValue: 'deviceAuth.ready' })
        : new MessageNode(`${this.id}/auth`, this, 'Device certificate: not ready', { icon: new vscode.ThemeIcon('warning'), description: readiness.reason, tooltip: `Not ready: ${readiness.reason}.`, contextValue: 'deviceAuth.notReady' }),
    );
    const links = this.board.deviceId ? this.deps.iot.links.forDevice(this.board.deviceId) : [];
    for (const link of links) rows.push(new HubLinkNode(this, link, this.board.key, this.deps.iot.statusOf(link)));
    if (links.length === 0) {
      rows.push(
        new MessageNode(`${this.id}/none`, this, 'Not connected to an IoT hub — Connect…', {
          icon: new vscode.ThemeIcon('plug'),
          command: { title: 'Connect Board to IoT Hub…', command: CommandId.connectBoardToIotHub, arguments: [{ boardKey: this.board.key }] },
          contextValue: 'iotHub.none',
        }),
      );
    } else if (links.some((l) => this.deps.iot.isStale(l))) {
      // Drawn with what is known; a fresh read redraws the section when the hub says something new.
      void Promise.all([...new Set(links.map((l) => l.deviceId))].map((id) => this.deps.iot.refresh(id)));
    }
    return rows;
  }
}

/** How often a section whose board has no certificate yet is read again (while the view is visible). */
const READINESS_RECHECK_MS = 3000;
/** How often one whose board has it is read again: a board can lose it (offline, restarted, a day passed). */
const READY_RECHECK_MS = 10_000;

/**
 * Adds the section under every board and redraws it when the hub side of that board changes, when the board's facts
 * are read again (it restarted, came back), every few seconds while its board has no certificate yet, and now and
 * then when it has one.
 */
export function addIotHubSection(view: DevicesView, deps: { devices: DeviceModel; claims: ClaimStatus; iot: IotModel }): IDisposable {
  const waiting = new Set<string>();
  const section = view.addBoardSection((parent, board) => new IotHubSectionNode(parent, board, deps, (key) => waiting.add(key)));
  let sinceAll = 0;
  const redraw = deps.iot.onDidChange((deviceId) => {
    for (const board of deps.devices.boards) {
      if (board.deviceId?.toLowerCase() === deviceId) section.refresh(iotSectionNodeId(board.key));
    }
  });
  const boardChanged = deps.devices.onDidChangeBoard((board) => section.refresh(iotSectionNodeId(board.key)));
  const recheck = setInterval(() => {
    if (!view.treeView.visible) return;
    sinceAll += READINESS_RECHECK_MS;
    // A collapsed section is not read again by a refresh, so this costs a board nothing until it is expanded.
    const keys = sinceAll >= READY_RECHECK_MS ? deps.devices.boards.map((b) => b.key) : [...waiting];
    if (sinceAll >= READY_RECHECK_MS) sinceAll = 0;
    waiting.clear();
    for (const key of keys) section.refresh(iotSectionNodeId(key));
  }, READINESS_RECHECK_MS);
  const watch = view.treeView.onDidChangeVisibility((e) => deps.iot.setWatching(e.visible));
  deps.iot.setWatching(view.treeView.visible);
  return combinedDisposable(section, redraw, boardChanged, watch, toDisposable(() => clearInterval(recheck)));
}
