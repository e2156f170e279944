import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderLabHtml } from '../../webview/html';

// Webview options and HTML in one place, applied on create and on revive (webview-sample).

/** The bundle folder: the only local resources a webview may load. */
function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function labWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

/** A fresh nonce per render, from the CSPRNG. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function labHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const root = webviewRoot(extensionUri);
  return renderLabHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'lab.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'lab.css')).toString(),
    title,
  });
}
