import * as vscode from 'vscode';
import type { HostMessageInput } from '../core/protocol/messages';
import { parseHostMessage } from '../core/protocol/messages';
import { LAB_VIEW_TYPE } from './ids';
import { interpretWebviewMessage, type LabAction } from './labMessages';
import { labHtml, labWebviewOptions } from './webviewHtml';

// The Lab as an editor panel: one panel per run or comparison (a plain "Open Lab" reveals the
// open scratch Lab), restored after a reload by the serializer registered in `activate`.

/** What the host does with the page's messages (the controller implements it). */
export interface LabHost {
  handle(panel: LabPanel, action: LabAction): void | Promise<void>;
  /** The key of a panel VS Code restored after a reload, from its title. */
  keyOf(title: string): string;
  /** Called once a restored panel is set up (the host re-sends what it showed). */
  revived(panel: LabPanel): void;
  /** Called when a panel closes. */
  closed(panel: LabPanel): void;
}

export class LabPanel {
  static readonly viewType = LAB_VIEW_TYPE;
  /** Open panels by key: `lab` is the scratch Lab, `run:<file>` a saved run. */
  private static readonly panels = new Map<string, LabPanel>();

  private readonly _disposables: vscode.Disposable[] = [];
  private ready = false;
  private queue: HostMessageInput[] = [];
  private disposed = false;
  /** Read once: VS Code's panel throws on every property once it is disposed. */
  readonly title: string;

  /** Reveals the panel with `key`, or makes it. */
  static createOrShow(extensionUri: vscode.Uri, host: LabHost, key: string, title: string): LabPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    const open = LabPanel.panels.get(key);
    if (open) {
      open.panel.reveal(undefined);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(LabPanel.viewType, title, column, { ...labWebviewOptions(extensionUri), retainContextWhenHidden: true });
    return new LabPanel(panel, extensionUri, host, key);
  }

  /** A panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, host: LabHost): LabPanel {
    const key = host.keyOf(panel.title);
    const lab = new LabPanel(panel, extensionUri, host, LabPanel.panels.has(key) ? `${key}#${Date.now()}` : key);
    host.revived(lab);
    return lab;
  }

  static get(key: string): LabPanel | undefined {
    return LabPanel.panels.get(key);
  }

  static all(): LabPanel[] {
    return [...LabPanel.panels.values()];
  }

  static disposeAll(): void {
    for (const panel of [...LabPanel.panels.values()]) panel.dispose();
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly host: LabHost,
    readonly key: string,
  ) {
    this.title = panel.title;
    LabPanel.panels.set(key, this);
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lab.svg');
    this.panel.webview.options = labWebviewOptions(extensionUri);
    this.panel.webview.html = labHtml(this.panel.webview, extensionUri, panel.title);
    this.panel.onDidDispose(() => this.dispose(), null, this._disposables);
    this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), null, this._disposables);
    this._disposables.push(
      vscode.window.onDidChangeActiveColorTheme((theme) => this.post({ type: 'theme', kind: themeKind(theme.kind) })),
    );
  }

  private receive(raw: unknown): void {
    if (this.disposed) return;
    const action = interpretWebviewMessage(raw);
    if (action.kind === 'ready') {
      // A second `ready`: the page was reloaded (Developer: Reload Webviews) and lost what it
      // showed; the host sends it again, as after a window reload.
      const reloaded = this.ready;
      this.ready = true;
      const queued = this.queue;
      this.queue = [];
      for (const message of queued) void this.deliver(message);
      if (reloaded) this.host.revived(this);
    }
    void this.host.handle(this, action);
  }

  /** postMessage to a webview that is closing resolves false or rejects: either way, drop it. */
  private async deliver(message: HostMessageInput): Promise<void> {
    try {
      await this.panel.webview.postMessage(message);
    } catch {
      // The panel was closed while the message was on its way.
    }
  }

  /** Sends a message (validated by the protocol); queued until the page says it is ready. */
  post(message: HostMessageInput): void {
    if (this.disposed) return;
    parseHostMessage(message);
    if (!this.ready) {
      // A newer run or result replaces any queued one: the page shows the latest request.
      if (message.type === 'run' || message.type === 'loadResult') this.queue = this.queue.filter((m) => m.type !== 'run' && m.type !== 'loadResult');
      if (message.type === 'theme') this.queue = this.queue.filter((m) => m.type !== 'theme');
      this.queue.push(message);
      return;
    }
    void this.deliver(message);
  }

  get isReady(): boolean {
    return this.ready;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (LabPanel.panels.get(this.key) === this) LabPanel.panels.delete(this.key);
    this.panel.dispose();
    while (this._disposables.length) this._disposables.pop()?.dispose();
    this.host.closed(this);
  }
}

export function themeKind(kind: vscode.ColorThemeKind): 'dark' | 'light' | 'highContrast' | 'highContrastLight' {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}

