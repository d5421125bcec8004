// The options that fence a webview panel in, and its page with webview URIs: the webview may read nothing but the
// built webview folder and media/.
import * as vscode from 'vscode';
import { pageHtml } from './page-html';

/** Where the build puts the webview bundles (`<entry>.js`, `<entry>.css`) and the codicons. */
export const WEBVIEW_DIST = ['dist', 'webview'] as const;

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, ...WEBVIEW_DIST), vscode.Uri.joinPath(extensionUri, 'media')],
    // State lives in vscode.setState and the host; a hidden panel's document may be dropped and rebuilt.
    retainContextWhenHidden: false,
  };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { entry: string; title: string }): string {
  return pageHtml({
    ...page,
    cspSource: webview.cspSource,
    asset: (...path) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...WEBVIEW_DIST, ...path)).toString(),
  });
}
