import path from 'node:path';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { parseHostMessage, PROTOCOL_VERSION, type HostMessageInput } from '../../core/protocol/messages';
import type { SweepSummary } from '../../core/sweep/phaseDiagram';
import type { ErrorReporter } from '../errors';
import { LAB_VIEW_TYPE } from '../ids';
import type { RunHistory } from '../runs/runHistory';
import type { RunStatusBar } from '../editor/statusBar';
import { readSweepRun, readSweepSummary, sweepLabel } from '../sweeps/sweepFolders';
import { rerunSweepRun } from '../sweeps/sweepProcess';
import type { WorkspaceSources } from '../workspace/workspaceSources';
import { interpretWebviewMessage, type LabAction } from './labMessages';
import { SCRATCH_LAB, type PanelMemory } from './panelMemory';
import { labHtml, labWebviewOptions } from './webviewHtml';

// The Lab as an editor panel (webview-sample): one panel per saved run or sweep folder (a plain "Open Lab"
// reveals the scratch Lab), restored after a reload by the serializer registered in `activate`.
// Each panel handles its own page's messages, through the one error wrapper.

/** What a Lab panel uses of the extension's services. */
export interface LabServices {
  readonly extensionUri: vscode.Uri;
  readonly output: vscode.LogOutputChannel;
  readonly errors: ErrorReporter;
  readonly history: RunHistory;
  readonly sources: WorkspaceSources;
  readonly status: RunStatusBar;
  readonly memory: PanelMemory;
  /** True while the extension host shuts down (panels closed then are restored, not forgotten). */
  shuttingDown(): boolean;
}

export class LabPanel {
  static readonly viewType = LAB_VIEW_TYPE;
  /** Open panels by key: `lab` is the scratch Lab, `run:<file>` a saved run, `sweep:<folder>` a sweep folder. */
  private static readonly panels = new Map<string, LabPanel>();

  private readonly _disposables: vscode.Disposable[] = [];
  private ready = false;
  private queue: HostMessageInput[] = [];
  private disposed = false;
  /** The sweep folder the Sweep view shows: the folder its cells' runs are read from. */
  private sweepFolder: string | undefined;
  /** Read once: VS Code's panel throws on every property once it is disposed. */
  readonly title: string;

  /** Reveals the panel with `key`, or makes it. */
  static createOrShow(services: LabServices, key: string, title: string): LabPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    const open = LabPanel.panels.get(key);
    if (open) {
      open.panel.reveal(undefined);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(LabPanel.viewType, title, column, { ...labWebviewOptions(services.extensionUri), retainContextWhenHidden: true });
    return new LabPanel(panel, services, key);
  }

  /** A panel VS Code restored after a reload: it shows its run again. */
  static revive(panel: vscode.WebviewPanel, services: LabServices): LabPanel {
    const key = services.memory.keyOf(panel.title);
    const lab = new LabPanel(panel, services, LabPanel.panels.has(key) ? `${key}#${Date.now()}` : key);
    lab.restore();
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
    private readonly services: LabServices,
    readonly key: string,
  ) {
    this.title = panel.title;
    LabPanel.panels.set(key, this);
    const { extensionUri } = services;
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lab.svg');
    this.panel.webview.options = labWebviewOptions(extensionUri);
    this.panel.webview.html = labHtml(this.panel.webview, extensionUri, panel.title);
    this.panel.onDidDispose(() => this.dispose(), null, this._disposables);
    this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), null, this._disposables);
    this._disposables.push(vscode.window.onDidChangeActiveColorTheme((theme) => this.post({ type: 'theme', kind: themeKind(theme.kind) })));
  }

  private receive(raw: unknown): void {
    if (this.disposed) return;
    const action = interpretWebviewMessage(raw);
    if (action.kind === 'ready') {
      // A second `ready`: the page was reloaded (Developer: Reload Webviews) and lost what it
      // showed; it is sent again, as after a window reload.
      const reloaded = this.ready;
      this.ready = true;
      const queued = this.queue;
      this.queue = [];
      for (const message of queued) void this.deliver(message);
      if (reloaded) this.restore();
    }
    void this.services.errors.guard(`Lab "${this.title}" ${action.kind}`, () => this.handle(action));
  }

  private async handle(action: LabAction): Promise<void> {
    const { output, status, history, sources } = this.services;
    switch (action.kind) {
      case 'invalid':
        output.warn(`ignored a message from the Lab: ${action.reason}`);
        return;
      case 'ready':
        // A page that says ready runs nothing: after a webview reload its run is gone.
        status.labGone(this.key);
        if (action.protocol !== PROTOCOL_VERSION) {
          const text = `The Lab page speaks protocol ${action.protocol}, this extension ${PROTOCOL_VERSION}: reload the window.`;
          output.warn(`Lab "${this.title}": ${text}`);
          this.post({ type: 'notice', level: 'warning', text });
        }
        output.info(`Lab "${this.title}" ready on ${action.backend}`);
        return;
      case 'state':
        status.labState(this.key, action.state === 'running', action.progress);
        if (action.fallback) output.warn(`Lab: ${action.fallback}`);
        return;
      case 'points':
        // Live points are for hosts that follow a run as it goes; the result arrives with `done`.
        return;
      case 'error':
        output.error(`Lab: ${action.message}`);
        return;
      case 'save': {
        if (action.result.steps.length === 0) return;
        const run = history.save(action.result);
        output.info(`saved the Lab's run "${run.label}" (${action.result.stopped.kind}) to ${run.file}`);
        void this.services.memory.remember(this.title, run.name);
        history.refresh();
        return;
      }
      case 'supplyTarget': {
        const refusal = action.spec.target.kind === 'file' ? sources.refusal('workspace', `A Lab run on ${action.spec.target.path}`) : undefined;
        if (refusal) {
          output.warn(`Lab: refused: ${refusal}`);
          this.post({ type: 'notice', level: 'error', text: refusal });
          return;
        }
        try {
          const target = sources.targetFor(action.spec, sources.defaultBase());
          this.post({ type: 'run', spec: action.spec, target, backend: sources.settings().labBackend });
        } catch (error) {
          this.post({ type: 'notice', level: 'error', text: (error as Error).message });
        }
        return;
      }
      case 'openSweepRun': {
        if (!this.sweepFolder) {
          this.post({ type: 'notice', level: 'warning', text: `This Lab shows no sweep folder: cannot open ${action.file}` });
          return;
        }
        try {
          const folder = this.sweepFolder;
          // A sweep stores rows; a run's whole result is replayed the first time it is opened.
          if (!existsSync(path.join(folder, action.file))) {
            const { distFolder } = this.services.sources;
            const hash = action.file.slice('run-'.length, -'.json'.length);
            await rerunSweepRun({ cli: path.join(distFolder, 'compute.js'), folder, hash, wasmFolder: path.join(distFolder, 'wasm'), mnistSubset: path.join(distFolder, 'mnist-subset.json') });
          }
          this.post({ type: 'loadResult', result: readSweepRun(folder, action.file) });
        } catch (error) {
          this.post({ type: 'notice', level: 'error', text: `Cannot open this run of the sweep: ${(error as Error).message}` });
        }
        return;
      }
      case 'export': {
        const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(sources.defaultUri(), action.fileName), saveLabel: 'Export', title: `Export ${action.format.toUpperCase()}` });
        if (!uri) return;
        await vscode.workspace.fs.writeFile(uri, action.bytes);
        this.post({ type: 'notice', level: 'info', text: `saved ${path.basename(uri.fsPath)}` });
        output.info(`exported ${uri.fsPath}`);
        return;
      }
    }
  }

  /** Shows a sweep folder's summary in the Sweep view; its cells open runs of `folder`. */
  showSweep(folder: string, summary: SweepSummary): void {
    this.sweepFolder = folder;
    this.post({ type: 'sweep', title: sweepLabel(folder, summary), summary });
  }

  /** Shows again the saved run or sweep this panel showed before a reload, if any. */
  private restore(): void {
    const sweep = this.services.memory.sweepOf(this.title);
    if (sweep) {
      try {
        this.showSweep(sweep, readSweepSummary(sweep));
      } catch (error) {
        this.post({ type: 'notice', level: 'warning', text: `The sweep this panel showed is gone: ${(error as Error).message}` });
      }
      return;
    }
    const name = this.services.memory.runOf(this.title);
    if (!name) return;
    try {
      this.post({ type: 'loadResult', result: this.services.history.read(name).result });
    } catch (error) {
      this.post({ type: 'notice', level: 'warning', text: `The run this panel showed is gone: ${(error as Error).message}` });
    }
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
      if (message.type === 'theme' || message.type === 'sweep') this.queue = this.queue.filter((m) => m.type !== message.type);
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
    this.services.status.labState(this.key, false);
    // Closed by the user: forget it. Closed because the window reloads: VS Code restores it.
    if (this.key !== SCRATCH_LAB && !this.services.shuttingDown()) void this.services.memory.remember(this.title, undefined);
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
