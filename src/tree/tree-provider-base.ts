// The one TreeDataProvider all our views share. Models own the data and say what changed; the provider refreshes
// just that node. A failure to list children becomes an error node with a retry action instead of an empty view
// (after vscode-azureresourcegroups' ResourceTreeDataProviderBase).
import * as vscode from 'vscode';
import { InternalCommandId } from '../commands/ids';
import { Disposable, disposeAll } from '../common/lifecycle';
import { MessageNode, TreeNode } from './tree-node';

/** The command an error node runs to try again; registered once, for every tree. */
const RETRY_COMMAND = InternalCommandId.retryTreeNode;

export class TreeProviderBase extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  /** Children handed out per parent, disposed when that parent is listed again (so their listeners never leak). */
  private readonly issued = new Map<string, TreeNode[]>();
  /**
   * The one registry of nodes: every node last handed to VS Code, by id. A refresh must be given the very instance
   * VS Code knows, so views that learn "board X changed" look the node up here (refreshById).
   */
  private readonly byId = new Map<string, TreeNode>();

  constructor(
    private readonly roots: () => TreeNode[] | Promise<TreeNode[]>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
  }

  /** Refreshes `node` (or the whole tree) — call it with exactly what the model says changed. */
  refresh(node?: TreeNode): void {
    this._onDidChangeTreeData.fire(node);
  }

  /** The node with this id, if VS Code (or a text rendering) was given it. */
  nodeById(id: string): TreeNode | undefined {
    return this.byId.get(id);
  }

  /** Refreshes the node with this id, if VS Code was given it; one it never got is read fresh when first shown. */
  refreshById(id: string): void {
    const node = this.byId.get(id);
    if (node) this.refresh(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const key = node?.id ?? '';
    let children: TreeNode[];
    try {
      children = (node ? await node.getChildren() : await this.roots()) ?? [];
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn(`Listing ${node ? `"${node.id}"` : 'the tree'} failed: ${message}`);
      children = [errorNode(node, message, () => this.refresh(node))];
    }
    const previous = this.issued.get(key);
    this.issued.set(key, children);
    if (previous) {
      const gone = previous.filter((p) => !children.includes(p));
      for (const p of gone) if (this.byId.get(p.id) === p) this.byId.delete(p.id);
      disposeAll(gone);
    }
    for (const child of children) this.byId.set(child.id, child);
    return children;
  }

  override dispose(): void {
    for (const nodes of this.issued.values()) disposeAll(nodes);
    this.issued.clear();
    this.byId.clear();
    super.dispose();
  }
}

/** Shows why listing failed, and retries when clicked. */
export function errorNode(parent: TreeNode | undefined, message: string, retry: () => void): MessageNode {
  return new MessageNode(`${parent?.id ?? 'root'}/error`, parent, message, {
    icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
    description: 'Click to retry',
    tooltip: `${message}\n\nClick to try again.`,
    contextValue: 'error',
    command: { title: 'Retry', command: RETRY_COMMAND, arguments: [retry] },
  });
}

/** Registers the retry command error nodes use (internal: not in the palette). */
export function registerRetryCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(RETRY_COMMAND, (retry: unknown) => {
    if (typeof retry === 'function') retry();
  });
}
