// Nodes under "Attached": one per board, and under each its applications, network interfaces and certificate store.
import * as vscode from 'vscode';
import type { NetworkInterface } from '../../device';
import type { AttachedBoard, DeviceModel } from '../../boards';
import { appSummary, readBoardApps, shortComponentId, type BoardApp } from '../../boards/board-apps';
import type { BoardContentPart } from '../../boards/device-model';
import { CommandId } from '../../commands/ids';
import { MessageNode, TreeNode } from '../tree-node';

/** Node ids are derived from the board key, so refreshing or re-listing keeps expansion and selection. */
export const boardNodeId = (boardKey: string): string => `board:${boardKey}`;
export const interfacesNodeId = (boardKey: string): string => `${boardNodeId(boardKey)}/interfaces`;
export const certificatesNodeId = (boardKey: string): string => `${boardNodeId(boardKey)}/certificates`;
export const appsNodeId = (boardKey: string): string => `${boardNodeId(boardKey)}/apps`;

/** The node id of each part of a board that commands change (DeviceModel.contentChanged). */
export const contentNodeId: Record<BoardContentPart, (boardKey: string) => string> = {
  apps: appsNodeId,
  interfaces: interfacesNodeId,
  certificates: certificatesNodeId,
};

/**
 * Extra words for a board's row from outside the device side, e.g. where it is claimed, and optionally a tag its
 * context value carries (`board.claimed`), so menus can leave out what makes no sense; undefined adds nothing.
 */
export type BoardDecoration = (board: AttachedBoard) => { readonly text: string; readonly contextTag?: string } | undefined;

/** A section other modules add under every board (e.g. "IoT Hub"); undefined adds nothing for that board. */
export type BoardSectionContributor = (parent: TreeNode, board: AttachedBoard) => TreeNode | undefined;

/** A node that stands for one attached board or a part of it: commands run on it receive the board (its key). */
abstract class BoardPartNode extends TreeNode {
  constructor(
    id: string,
    parent: TreeNode | undefined,
    readonly board: AttachedBoard,
  ) {
    super(id, parent);
  }

  get boardKey(): string {
    return this.board.key;
  }
}

/** A collapsible section under a board (network interfaces, certificate store) whose rows are read from the board. */
export class BoardSectionNode extends BoardPartNode {
  constructor(
    id: string,
    parent: TreeNode,
    board: AttachedBoard,
    private readonly look: { readonly label: string; readonly icon: string; readonly contextValue: string },
    private readonly rows: (section: BoardSectionNode) => Promise<TreeNode[]>,
  ) {
    super(id, parent, board);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.look.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.look.icon);
    item.contextValue = this.look.contextValue;
    return item;
  }

  override getChildren(): Promise<TreeNode[]> {
    return this.rows(this);
  }
}

export class BoardNode extends BoardPartNode {
  constructor(
    parent: TreeNode | undefined,
    board: AttachedBoard,
    private readonly devices: DeviceModel,
    private readonly decorations: readonly BoardDecoration[] = [],
    private readonly sections: readonly BoardSectionContributor[] = [],
  ) {
    super(boardNodeId(board.key), parent, board);
  }

  getTreeItem(): vscode.TreeItem {
    const b = this.board;
    const item = new vscode.TreeItem(b.shortId ?? b.descriptor.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const selected = this.devices.selected === b && this.devices.boards.length > 1;
    // What people look for first (OS, security state) before the port, which is often long and gets cut off.
    const parts: string[] = [];
    if (b.recovery) {
      parts.push(`recovering… ${b.recovery.percent}%`);
      item.iconPath = new vscode.ThemeIcon('sync~spin');
    } else if (b.facts) {
      parts.push(b.facts.osVersion ? `OS ${b.facts.osVersion}` : 'OS unknown', b.facts.securityState);
      if (b.inDevelopmentMode) parts.push('development');
      item.iconPath = new vscode.ThemeIcon('circuit-board');
    } else if (b.factsError) {
      parts.push('not responding');
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    } else {
      parts.push('reading…');
      item.iconPath = new vscode.ThemeIcon('loading~spin');
    }
    if (selected) parts.push('selected');
    const decorations = this.decorations.map((decorate) => decorate(b));
    for (const d of decorations) parts.push(d?.text ?? '');
    parts.push(b.connectionPath);
    item.description = parts.filter(Boolean).join(' · ');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMd(b.descriptor.name)}**\n\n`);
    tooltip.appendMarkdown(`Device ID: \`${b.deviceId ?? 'not read yet'}\`\n\n`);
    tooltip.appendMarkdown(`Connection path: \`${b.connectionPath}\`\n\n`);
    if (b.facts) tooltip.appendMarkdown(`OS version: ${b.facts.osVersion ?? 'unknown'} · Security state: ${b.facts.securityState}\n\n`);
    if (b.recovery) tooltip.appendMarkdown(`Recovering: ${escapeMd(b.recovery.step)}\n\n`);
    else if (b.factsError) tooltip.appendMarkdown(`$(warning) ${escapeMd(b.factsError)}\n\nClick to try again.`);
    item.tooltip = tooltip;
    const tags = [...decorations.map((d) => d?.contextTag), b.inDevelopmentMode ? 'dev' : undefined].filter(Boolean);
    item.contextValue = b.recovery ? 'board.recovering' : b.factsError ? 'board.unreachable' : ['board', ...tags].join('.');
    item.command = b.factsError
      ? { title: 'Retry', command: CommandId.refreshDevices, arguments: [{ boardKey: b.key }] }
      : { title: 'Select Board', command: CommandId.selectBoard, arguments: [{ boardKey: b.key }] };
    return item;
  }

  override getChildren(): TreeNode[] {
    const contributed = this.sections.map((contribute) => contribute(this, this.board)).filter((n): n is TreeNode => n !== undefined);
    return [appsSection(this, this.board, this.devices), ...contributed, interfacesSection(this, this.board, this.devices), certificatesSection(this, this.board, this.devices)];
  }
}

function appsSection(parent: TreeNode, board: AttachedBoard, devices: DeviceModel): BoardSectionNode {
  const look = { label: 'Applications', icon: 'package', contextValue: 'applications' };
  return new BoardSectionNode(appsNodeId(board.key), parent, board, look, async (section) => {
    const apps = await readBoardApps(await devices.client(board.key));
    if (apps.length === 0) return [new MessageNode(`${section.id}/none`, section, 'No application installed', { contextValue: 'applications.none' })];
    return apps.map((app) => new AppNode(section, board, app));
  });
}

function interfacesSection(parent: TreeNode, board: AttachedBoard, devices: DeviceModel): BoardSectionNode {
  const look = { label: 'Network interfaces', icon: 'type-hierarchy-sub', contextValue: 'networkInterfaces' };
  return new BoardSectionNode(interfacesNodeId(board.key), parent, board, look, async (section) => {
    const interfaces = await (await devices.client(board.key)).listNetworkInterfaces();
    return interfaces.map((i) => new InterfaceNode(section, board, i));
  });
}

function certificatesSection(parent: TreeNode, board: AttachedBoard, devices: DeviceModel): BoardSectionNode {
  const look = { label: 'Certificate store', icon: 'shield', contextValue: 'certificateStore' };
  return new BoardSectionNode(certificatesNodeId(board.key), parent, board, look, async (section) => {
    const client = await devices.client(board.key);
    const ids = await client.listCertificates();
    const free = await client.getCertificateSpace();
    return [
      new MessageNode(`${section.id}/space`, section, `${free.toLocaleString('en-US')} bytes free`, {
        icon: new vscode.ThemeIcon('database'),
        tooltip: 'Free space in the certificate store (GET /certstore/space)',
        contextValue: 'certificateStoreSpace',
      }),
      ...ids.map((id) => new CertificateNode(section, board, id)),
    ];
  });
}

export class AppNode extends BoardPartNode {
  constructor(parent: TreeNode, board: AttachedBoard, readonly app: BoardApp) {
    super(`${parent.id}/${app.componentId}`, parent, board);
  }

  /** App commands run on this node receive it: the board and the component. */
  get componentId(): string {
    return this.app.componentId;
  }

  getTreeItem(): vscode.TreeItem {
    const app = this.app;
    const item = new vscode.TreeItem(app.name || app.componentId, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = app.isDebugServer ? appSummary(app) : `${appSummary(app)} · ${shortComponentId(app)}`;
    item.iconPath = new vscode.ThemeIcon(app.isDebugServer ? 'debug' : app.state === 'running' ? 'play-circle' : app.state === 'debugging' ? 'debug-alt' : 'circle-outline');
    const tooltip = [`${app.name}`, `Component ID: ${app.componentId}`, ...(app.imageId ? [`Image ID: ${app.imageId}`] : []), `State: ${appSummary(app)}`];
    if (app.sizeBytes !== undefined) tooltip.push(`Image size: ${app.sizeBytes.toLocaleString('en-US')} bytes`);
    item.tooltip = tooltip.join('\n');
    item.contextValue = app.isDebugServer ? 'app.debugServer' : `app.${app.state}`;
    return item;
  }
}

export class InterfaceNode extends BoardPartNode {
  constructor(parent: TreeNode, board: AttachedBoard, readonly networkInterface: NetworkInterface) {
    super(`${parent.id}/${networkInterface.interfaceName}`, parent, board);
  }

  get interfaceName(): string {
    return this.networkInterface.interfaceName;
  }

  getTreeItem(): vscode.TreeItem {
    const i = this.networkInterface;
    const item = new vscode.TreeItem(i.interfaceName, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [i.interfaceUp ? 'up' : 'down', ...i.ipAddresses, i.connectedToInternet ? 'internet' : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(i.interfaceUp ? 'plug' : 'debug-disconnect');
    item.tooltip = [
      `${i.interfaceName}: ${i.interfaceUp ? 'up' : 'down'}`,
      `Connected to network: ${i.connectedToNetwork ? 'yes' : 'no'} · IP acquired: ${i.ipAcquired ? 'yes' : 'no'} · Internet: ${i.connectedToInternet ? 'yes' : 'no'}`,
      ...(i.hardwareAddress ? [`Hardware address: ${i.hardwareAddress}`] : []),
    ].join('\n');
    item.contextValue = i.interfaceUp ? 'networkInterface.up' : 'networkInterface.down';
    return item;
  }
}

export class CertificateNode extends BoardPartNode {
  constructor(parent: TreeNode, board: AttachedBoard, readonly certificateId: string) {
    super(`${parent.id}/${certificateId}`, parent, board);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.certificateId, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('verified');
    item.contextValue = 'certificate';
    item.command = { title: 'Show Certificate', command: CommandId.showDeviceCertificate, arguments: [{ boardKey: this.board.key, certificateId: this.certificateId }] };
    return item;
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
