// A view's content as text — label, description and icon of each node, indented by depth — for tests and for a
// support report. Walks the same provider VS Code renders, so it shows exactly what the user sees.
import type * as vscode from 'vscode';

/** Renders `depth` levels under `root` (default: the view's roots). */
export async function renderTreeAsText<T>(provider: vscode.TreeDataProvider<T>, depth = 3, root?: T): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (parent: T | undefined, level: number): Promise<void> => {
    const children = (await provider.getChildren(parent)) ?? [];
    // All items of a level at once, as VS Code resolves them.
    const items = await Promise.all(children.map((child) => provider.getTreeItem(child)));
    for (const [i, child] of children.entries()) {
      const item = items[i]!;
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const icon = item.iconPath && typeof item.iconPath === 'object' && 'id' in item.iconPath ? `$(${item.iconPath.id}) ` : '';
      lines.push(`${'  '.repeat(level)}${icon}${label}${item.description ? ` — ${item.description}` : ''}`);
      if (level + 1 < depth && item.collapsibleState !== undefined && item.collapsibleState !== 0) await walk(child, level + 1);
    }
  };
  await walk(root, 0);
  return lines;
}
