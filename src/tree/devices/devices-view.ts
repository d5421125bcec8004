// The Devices view: "Attached" lists every board the device model sees; further sections (the lead's
// "Claimed in ‹tenant›") plug in through addSection(). Model events refresh only the node they concern.
import * as vscode from 'vscode';
import type { DeviceModel } from '../../boards';
import { Disposable, toDisposable, type IDisposable } from '../../common/lifecycle';
import { TreeProviderBase } from '../tree-provider-base';
import { TreeNode } from '../tree-node';
import { BoardNode, boardNodeId, contentNodeId, type BoardDecoration, type BoardSectionContributor } from './board-nodes';

export const DEVICES_VIEW_ID = 'sphereExplorer.devices';

/** A root section of the Devices view besides "Attached", e.g. "Claimed in ‹tenant›". Undefined hides it. */
export type DevicesViewSection = (parent: undefined) => TreeNode | undefined | Promise<TreeNode | undefined>;

export class AttachedSectionNode extends TreeNode {
  constructor(
    private readonly devices: DeviceModel,
    private readonly decorations: readonly BoardDecoration[],
    private readonly sections: readonly BoardSectionContributor[],
  ) {
    super('attached', undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const count = this.devices.boards.length;
    const item = new vscode.TreeItem('Attached', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = `${count} board${count === 1 ? '' : 's'}`;
    item.contextValue = 'attachedSection';
    return item;
  }

  override getChildren(): TreeNode[] {
    return this.devices.boards.map((b) => new BoardNode(this, b, this.devices, this.decorations, this.sections));
  }
}

export class DevicesView extends Disposable {
  readonly provider: TreeProviderBase;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly sections: DevicesViewSection[] = [];
  private readonly decorations: BoardDecoration[] = [];
  private readonly boardSections: BoardSectionContributor[] = [];

  constructor(private readonly devices: DeviceModel, log: vscode.LogOutputChannel) {
    super();
    this.provider = this._register(new TreeProviderBase(() => this.roots(), log));
    this.treeView = this._register(vscode.window.createTreeView(DEVICES_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true }));
    this._register(devices.onDidChangeBoards(() => this.provider.refresh()));
    this._register(devices.onDidChangeBoard((b) => this.refreshNode(boardNodeId(b.key))));
    this._register(devices.onDidChangeSelection(() => this.refreshNode('attached')));
    this._register(devices.onDidChangeBoardContent(({ board, part }) => this.refreshNode(contentNodeId[part](board.key))));
  }

  /** Adds words to every board's row (e.g. where it is claimed); `redraw` redraws one board's row by key. */
  addBoardDecoration(decorate: BoardDecoration): { redraw(boardKey: string): void } & IDisposable {
    this.decorations.push(decorate);
    this.provider.refresh();
    return {
      redraw: (boardKey) => this.refreshNode(boardNodeId(boardKey)),
      dispose: () => {
        this.decorations.splice(this.decorations.indexOf(decorate), 1);
        this.provider.refresh();
      },
    };
  }

  /** Adds a section under every board (e.g. "IoT Hub"); `refresh` redraws one node of it by id. */
  addBoardSection(contribute: BoardSectionContributor): { refresh(nodeId: string): void } & IDisposable {
    this.boardSections.push(contribute);
    this.provider.refresh();
    return {
      refresh: (nodeId) => this.refreshNode(nodeId),
      dispose: () => {
        this.boardSections.splice(this.boardSections.indexOf(contribute), 1);
        this.provider.refresh();
      },
    };
  }

  /** Adds a root section below "Attached" (e.g. "Claimed in ‹tenant›"); dispose the result to remove it. */
  addSection(section: DevicesViewSection): IDisposable {
    this.sections.push(section);
    this.provider.refresh();
    return toDisposable(() => {
      this.sections.splice(this.sections.indexOf(section), 1);
      this.provider.refresh();
    });
  }

  private async roots(): Promise<TreeNode[]> {
    // The first look at the view starts discovery (not activation: serialport loads only now).
    await this.devices.start();
    const roots: TreeNode[] = [];
    // No board and no other section: an empty tree, so the welcome text ("No board is attached…") shows.
    if (this.devices.boards.length > 0) roots.push(new AttachedSectionNode(this.devices, this.decorations, this.boardSections));
    for (const section of this.sections) {
      const node = await section(undefined);
      if (node) roots.push(node);
    }
    return roots;
  }

  private refreshNode(id: string): void {
    this.provider.refreshById(id);
  }
}
