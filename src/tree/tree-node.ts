// A node of one of our trees: stable id (so VS Code keeps expansion and selection across refreshes), its own
// TreeItem, children on demand, and a parent for reveal(). Nodes that subscribe to events extend Disposable.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';

export abstract class TreeNode extends Disposable {
  constructor(
    /** Unique within the tree and stable across refreshes (e.g. "device:<id>/wifi:<n>"). */
    readonly id: string,
    readonly parent: TreeNode | undefined,
  ) {
    super();
  }

  abstract getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;

  /** Children, or undefined for a leaf. Throwing is fine: the provider turns it into a retry node. */
  getChildren(): TreeNode[] | undefined | Promise<TreeNode[] | undefined> {
    return undefined;
  }
}

/** A node that only shows something: a message, a spinner, an action. */
export class MessageNode extends TreeNode {
  constructor(
    id: string,
    parent: TreeNode | undefined,
    private readonly label: string,
    private readonly options: { icon?: vscode.ThemeIcon; command?: vscode.Command; tooltip?: string; description?: string; contextValue?: string } = {},
  ) {
    super(id, parent);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.options.icon;
    item.command = this.options.command;
    item.tooltip = this.options.tooltip;
    item.description = this.options.description;
    item.contextValue = this.options.contextValue ?? 'message';
    return item;
  }
}

export function loadingNode(parent: TreeNode | undefined, label = 'Loading…'): MessageNode {
  return new MessageNode(`${parent?.id ?? 'root'}/loading`, parent, label, { icon: new vscode.ThemeIcon('loading~spin') });
}
