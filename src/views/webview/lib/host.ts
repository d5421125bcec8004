// The webview's side of a panel's contract: validates every message from the host (a malformed one is logged and
// dropped), keeps the state the host asks it to persist (vscode.setState) plus the user's unsent drafts (text typed
// but not yet submitted), and says `ready` — with the kept state — once it listens.
import { parseFromHost, readyMessage, type WebviewContract } from '../../shared/contract';
import { vscodeApi } from './vscode-api';

/** What vscode.setState holds: the host's state and this page's drafts. */
interface Kept {
  host?: unknown;
  drafts?: Record<string, string>;
}

export interface HostConnection<H> {
  /** Sends a request to the host. */
  post(message: H): void;
  /** The text the user had typed into field `key` (survives hiding and reloads). */
  draft(key: string): string;
  setDraft(key: string, value: string): void;
  clearDrafts(): void;
}

const MAX_DRAFT = 4096;

export function connectToHost<W extends { type: string }, H extends { type: string }, S>(
  contract: WebviewContract<W, H, S>,
  onMessage: (message: W) => void,
): HostConnection<H> {
  const vscode = vscodeApi();
  const raw = vscode.getState();
  const kept: Kept = typeof raw === 'object' && raw !== null ? (raw as Kept) : {};
  const drafts: Record<string, string> = {};
  for (const [k, v] of Object.entries(kept.drafts ?? {})) if (typeof v === 'string') drafts[k] = v.slice(0, MAX_DRAFT);
  let hostState: unknown = kept.host;
  const save = () => vscode.setState({ host: hostState, drafts } satisfies Kept);

  window.addEventListener('message', (event: MessageEvent) => {
    const incoming = parseFromHost(contract, event.data);
    switch (incoming.kind) {
      case 'invalid':
        console.error(`[${contract.viewType}] ignored a malformed message from the host: ${incoming.error}`);
        return;
      case 'persist':
        hostState = incoming.state;
        save();
        return;
      case 'message':
        onMessage(incoming.message);
        return;
    }
  });
  // The host validates this state again: it is only what this page kept, and a page is not trusted.
  vscode.postMessage(readyMessage(hostState));

  return {
    post: (message) => vscode.postMessage(message),
    draft: (key) => drafts[key] ?? '',
    setDraft: (key, value) => {
      drafts[key] = value.slice(0, MAX_DRAFT);
      save();
    },
    clearDrafts: () => {
      for (const k of Object.keys(drafts)) delete drafts[k];
      save();
    },
  };
}
