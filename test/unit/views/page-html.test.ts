import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, pageHtml } from '../../../src/views/page-html';

describe('webview page', () => {
  const source = 'https://file+.vscode-resource.vscode-cdn.net';
  const asset = (...p: string[]) => `${source}/ext/dist/webview/${p.join('/')}`;

  it('allows only our nonce-tagged script and our own styles: no inline script or style, no eval', () => {
    const csp = contentSecurityPolicy(source, 'N0NCE');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0NCE'(;|$)/);
    assert.match(csp, new RegExp(`style-src ${source.replace(/[.+]/g, '\\$&')}(;|$)`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads the entry bundle with the nonce, its stylesheet and the codicons, and nothing inline', () => {
    const html = pageHtml({ entry: 'claim', title: 'Claim <Device>', cspSource: source, asset, nonce: 'abc123' });
    assert.match(html, /<script type="module" nonce="abc123" src="[^"]+\/dist\/webview\/claim\.js"><\/script>/);
    assert.match(html, /href="[^"]+\/dist\/webview\/claim\.css"/);
    assert.match(html, /href="[^"]+\/dist\/webview\/codicons\/codicon\.css"/);
    assert.match(html, /<title>Claim &#60;Device&#62;<\/title>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, from a file');
    assert.doesNotMatch(html, /<style|style="/);
  });

  it('uses a fresh nonce per page and refuses odd entry names', () => {
    const a = pageHtml({ entry: 'claim', title: 't', cspSource: source, asset });
    const b = pageHtml({ entry: 'claim', title: 't', cspSource: source, asset });
    assert.notEqual(/nonce="([^"]+)"/.exec(a)?.[1], /nonce="([^"]+)"/.exec(b)?.[1]);
    assert.throws(() => pageHtml({ entry: '../x', title: 't', cspSource: source, asset }), /Invalid webview entry name/);
  });
});
