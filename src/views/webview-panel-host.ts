// Host side of a webview panel: owns the vscode.WebviewPanel, loads the page, validates every message from the
// webview against the panel's contract before acting on it, and keeps the ready handshake. Subclasses implement
// onReady (send everything the webview needs: it is called on every load — first open, re-show after hiding,
// window reload) and onMessage (one validated request).
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { parseFromWebview, persistMessage, type WebviewContract } from './shared/contract';
import { webviewHtml, webviewOptions } from './webview-page';

/** What every panel gets from the panel manager. */
export interface PanelContext {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
}

/** What the host posted, as tests observe it (persist included). */
export type PostedMessage<W, S> = W | { readonly type: 'persist'; readonly state: S };

export abstract class WebviewPanelHost<W extends { type: string }, H extends { type: string }, S> extends Disposable {
  private readonly _onDidPostMessage = this._register(new vscode.EventEmitter<PostedMessage<W, S>>());
  /** Every message the host posts, whether or not a webview is live to get it (for tests and support logs). */
  readonly onDidPostMessage = this._onDidPostMessage.event;
  private readonly _onDidDispose = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this._onDidDispose.event;
  /**
   * A page has said ready. A hidden panel's page is dropped (no retainContextWhenHidden) and the next one says ready
   * again; what is posted in between may be lost, which is why onReady re-sends everything. (Not reset on hiding:
   * the view-state event and the new page's ready travel separately, and a reset arriving late would mute the page.)
   */
  private live = false;
  /** The newest state, re-sent on the next ready if it was posted before any page was live. */
  private unsentState: { state: S } | undefined;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly contract: WebviewContract<W, H, S>,
    protected readonly context: PanelContext,
    page: { entry: string },
  ) {
    super();
    panel.webview.options = webviewOptions(context.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, { entry: page.entry, title: panel.title });
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this._register(
      panel.onDidDispose(() => {
        this._onDidDispose.fire();
        this.dispose();
      }),
    );
  }

  get viewType(): string {
    return this.contract.viewType;
  }

  /**
   * Handles one message as the webview sent it: validated first, then `ready` → onReady, anything else → onMessage.
   * Public because it is the panel's one entry point: the real webview's messages arrive here, and tests speak
   * as the webview through it. Resolves when the message was handled; a handler's failure goes to onError.
   */
  async receive(raw: unknown): Promise<void> {
    if (this.isDisposed) return;
    const incoming = parseFromWebview(this.contract, raw);
    try {
      switch (incoming.kind) {
        case 'invalid':
          this.context.log.warn(`${this.viewType}: ignored a malformed message from the webview (${incoming.error})`);
          return;
        case 'ready':
          if (incoming.stateError) this.context.log.warn(`${this.viewType}: dropped the webview's saved state (${incoming.stateError})`);
          this.live = true;
          if (this.unsentState) this.deliver(persistMessage(this.unsentState.state));
          this.unsentState = undefined;
          await this.onReady(incoming.state);
          return;
        case 'message':
          await this.onMessage(incoming.message);
          return;
      }
    } catch (err) {
      await this.onError(err, incoming.kind === 'message' ? incoming.message : undefined);
    }
  }

  /** Sends a message to the webview (checked against the contract first: a bug here must not reach the page). */
  protected post(message: W): void {
    const checked = this.contract.toWebview.parse(message);
    this._onDidPostMessage.fire(checked);
    this.deliver(checked);
  }

  /** Sets the state the webview keeps (vscode.setState) and hands back in `ready` after hiding or a reload. */
  protected persist(state: S): void {
    const checked = this.contract.state.parse(state);
    const message = persistMessage(checked);
    this._onDidPostMessage.fire(message);
    if (this.live) this.deliver(message);
    else this.unsentState = { state: checked };
  }

  private deliver(message: unknown): void {
    if (!this.live || this.isDisposed) return; // onReady re-sends what a new document needs
    this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.context.log.warn(`${this.viewType}: could not post to the webview: ${String(err)}`));
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** The webview (re)loaded; `state` is what it kept, already validated (undefined for a new one). */
  protected abstract onReady(state: S | undefined): void | Promise<void>;

  /** One validated request from the webview. */
  protected abstract onMessage(message: H): void | Promise<void>;

  /** A handler failed. By default: logged and shown as an error message; panels usually show it in the page too. */
  protected onError(err: unknown, message: H | undefined): void | Promise<void> {
    this.context.log.error(`${this.viewType}: handling ${message?.type ?? 'ready'} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void vscode.window.showErrorMessage(`${this.panel.title}: ${err instanceof Error ? err.message : String(err)}`);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
  }
}
