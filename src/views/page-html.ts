// The page every webview panel loads, as plain text (no vscode import, so it is unit-tested). A nonce
// Content-Security-Policy allows only our own bundled script (no inline script, no eval) and our own stylesheets,
// fonts and images (no inline style).
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface PageOptions {
  /** The page's name: the build bundles `src/<feature>/page/<entry>-page.ts` to `dist/webview/<entry>.js` (+ `<entry>.css`). */
  readonly entry: string;
  readonly title: string;
  /** The webview's own resource origin (webview.cspSource). */
  readonly cspSource: string;
  /** A webview URI for a file under dist/webview. */
  readonly asset: (...path: string[]) => string;
  readonly nonce?: string;
}

export function pageHtml(page: PageOptions): string {
  if (!/^[a-z][\w-]*$/.test(page.entry)) throw new Error(`Invalid webview entry name "${page.entry}"`);
  const nonce = page.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(page.asset('codicons', 'codicon.css'))}">
<link rel="stylesheet" href="${escapeHtml(page.asset(`${page.entry}.css`))}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="app" data-entry="${page.entry}"></main>
<script type="module" nonce="${nonce}" src="${escapeHtml(page.asset(`${page.entry}.js`))}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
