// The webview's one handle on VS Code (acquireVsCodeApi may be called only once per document). Outside VS Code — a
// plain browser while working on the page — it falls back to an in-memory stand-in that logs what would be posted.

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  if (!api) {
    if (typeof acquireVsCodeApi === 'function') {
      api = acquireVsCodeApi();
    } else {
      let state: unknown;
      api = {
        postMessage: (message) => console.info('[webview → host]', message),
        getState: () => state,
        setState: (next) => (state = next),
      };
    }
  }
  return api;
}
