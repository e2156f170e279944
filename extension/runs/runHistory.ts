import path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../core/result';
import { CONFIG_SECTION, RUNS_VIEW } from '../ids';
import type { TheoryCheck } from '../panels/reportHtml';
import { RunStore, type SavedRun } from './runStore';
import { RunsTreeProvider } from './runsView';

// The workspace's saved runs: the run store in the runs folder (moved when the setting or the
// workspace folders change), a watcher for runs written by `dfl run --out` or deleted by hand,
// and the Runs view that shows them.

export class RunHistory implements vscode.Disposable {
  private store!: RunStore;
  private watcher: vscode.FileSystemWatcher | undefined;
  readonly tree: RunsTreeProvider;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly runsFolderSetting: () => string,
    lastCheck: () => TheoryCheck | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.reset();
    this.tree = new RunsTreeProvider({ runs: () => this.store.list(), lastCheck });
    const view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(
      this.tree,
      view,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.runsFolder`)) this.moved();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.moved()),
    );
  }

  get folder(): string {
    return this.store.folder;
  }

  private moved(): void {
    this.reset();
    this.tree.refresh();
  }

  private reset(): void {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const runs = folder ? path.join(folder.uri.fsPath, this.runsFolderSetting()) : path.join(this.globalStorage.fsPath, 'runs');
    this.store = new RunStore(runs);
    // An extension host killed mid-save (restart, crash) can leave a temporary next to the runs.
    const removed = this.store.removeStaleTemporaries();
    if (removed.length) this.output.info(`removed ${removed.length} temporary file(s) left by an interrupted save: ${removed.join(', ')}`);
    this.watcher?.dispose();
    // Runs written by `dfl run --out <runs folder>` (or deleted by hand) show up too.
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runs), '*.json'));
    const refresh = () => this.tree?.refresh();
    this.watcher.onDidCreate(refresh);
    this.watcher.onDidDelete(refresh);
    this.watcher.onDidChange(refresh);
  }

  refresh(): void {
    this.tree.refresh();
  }

  list(): { runs: SavedRun[]; skipped: string[] } {
    return this.store.list();
  }

  names(): string[] {
    return this.store.list().runs.map((r) => r.name);
  }

  save(result: RunResult): SavedRun {
    return this.store.save(result);
  }

  /** A run of this folder by file name (only its base name counts). */
  read(name: string): SavedRun {
    return this.store.read(path.join(this.store.folder, path.basename(name)));
  }

  /** The run a command argument names: a tree node (`{ run }`) or a file name; undefined otherwise. */
  fromArg(arg: unknown): SavedRun | undefined {
    if (arg && typeof arg === 'object' && 'run' in arg) return (arg as { run: SavedRun }).run;
    if (typeof arg === 'string') return this.read(arg);
    return undefined;
  }

  delete(run: SavedRun): void {
    this.store.delete(run.file);
    this.tree.refresh();
  }

  dispose(): void {
    this.watcher?.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
