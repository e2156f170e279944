import * as vscode from 'vscode';
import { COMMANDS, REPORT_VIEW_TYPE } from '../ids';
import { createNonce } from './webviewHtml';

// Script-less report panels (theory check, comparisons): one per key, re-rendered by the host
// after a reload from what it remembers.

export type ReportRenderer = (cspSource: string, nonce: string) => string;

export class ReportPanel {
  static readonly viewType = REPORT_VIEW_TYPE;
  private static readonly panels = new Map<string, ReportPanel>();
  private readonly _disposables: vscode.Disposable[] = [];

  static options(): vscode.WebviewOptions {
    return { enableScripts: false, enableCommandUris: [COMMANDS.openRun, COMMANDS.openCounterexample], localResourceRoots: [] };
  }

  static createOrShow(key: string, title: string, render: ReportRenderer): ReportPanel {
    const open = ReportPanel.panels.get(key);
    if (open) {
      open.render(render);
      open.panel.reveal(undefined, true);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, ReportPanel.options());
    const report = new ReportPanel(panel, key);
    report.render(render);
    return report;
  }

  static revive(panel: vscode.WebviewPanel, key: string, render: ReportRenderer | undefined): ReportPanel {
    const report = new ReportPanel(panel, key);
    if (render) report.render(render);
    else panel.webview.html = `<!DOCTYPE html><html><body><p>This report is no longer available.</p></body></html>`;
    return report;
  }

  static disposeAll(): void {
    for (const p of [...ReportPanel.panels.values()]) p.dispose();
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly key: string,
  ) {
    ReportPanel.panels.get(key)?.dispose();
    ReportPanel.panels.set(key, this);
    panel.webview.options = ReportPanel.options();
    panel.onDidDispose(() => this.dispose(), null, this._disposables);
  }

  render(render: ReportRenderer): void {
    this.panel.webview.html = render(this.panel.webview.cspSource, createNonce());
  }

  dispose(): void {
    if (ReportPanel.panels.get(this.key) === this) ReportPanel.panels.delete(this.key);
    this.panel.dispose();
    while (this._disposables.length) this._disposables.pop()?.dispose();
  }
}
