// Opens webview panels — one per kind, revealed again when asked twice — and revives them after a window reload
// through a WebviewPanelSerializer (package.json lists `onWebviewPanel:<viewType>` so the extension activates for it).
import * as vscode from 'vscode';
import { Disposable, type IDisposable } from '../common/lifecycle';
import type { PanelContext, WebviewPanelHost } from './webview-panel-host';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds panels of every contract
export type AnyPanel = WebviewPanelHost<any, any, any>;

/** One kind of panel: what the manager needs to open, reuse and revive it. */
export interface PanelKind<Services, P extends AnyPanel> {
  readonly viewType: string;
  /** The editor tab's title. */
  readonly title: string;
  /** Builds the host side around a new or revived vscode.WebviewPanel (`argument`: what `show` was given; none on revival). */
  create(panel: vscode.WebviewPanel, services: Services, context: PanelContext, argument?: unknown): P;
  /** Called when the panel is opened again while it exists (e.g. a command passes the board it was run on). */
  reopen?(existing: P, argument: unknown): void;
}

export class WebviewPanelManager<Services> extends Disposable {
  private readonly open = new Map<string, AnyPanel>();

  constructor(private readonly context: PanelContext) {
    super();
  }

  /** Shows the panel of `kind` (creating it if needed) and returns its host side. */
  show<P extends AnyPanel>(kind: PanelKind<Services, P>, services: Services, argument?: unknown): P {
    const existing = this.open.get(kind.viewType) as P | undefined;
    if (existing && !existing.isDisposed) {
      existing.reveal();
      kind.reopen?.(existing, argument);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(kind.viewType, kind.title, vscode.ViewColumn.Active, {});
    return this.adopt(kind, panel, services, argument);
  }

  /** The open panel of `kind`, if any. */
  current<P extends AnyPanel>(kind: PanelKind<Services, P>): P | undefined {
    return this.open.get(kind.viewType) as P | undefined;
  }

  /** Registers the serializers that bring `kinds` back after a window reload. */
  registerSerializers(kinds: readonly PanelKind<Services, AnyPanel>[], services: Services): IDisposable[] {
    return kinds.map((kind) =>
      vscode.window.registerWebviewPanelSerializer(kind.viewType, {
        // The state VS Code passes is the webview's own; the webview hands it to the host in `ready`, validated there.
        deserializeWebviewPanel: async (panel) => {
          this.adopt(kind, panel, services);
        },
      }),
    );
  }

  private adopt<P extends AnyPanel>(kind: PanelKind<Services, P>, panel: vscode.WebviewPanel, services: Services, argument?: unknown): P {
    panel.title = kind.title;
    const host = kind.create(panel, services, this.context, argument);
    this.open.get(kind.viewType)?.dispose();
    this.open.set(kind.viewType, host);
    host.onDidDispose(() => {
      if (this.open.get(kind.viewType) === host) this.open.delete(kind.viewType);
    });
    return host;
  }

  override dispose(): void {
    const panels = [...this.open.values()];
    this.open.clear();
    panels.forEach((p) => p.dispose());
    super.dispose();
  }
}
