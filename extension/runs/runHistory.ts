import path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../core/result';
import { CONFIG_SECTION, RUNS_VIEW } from '../ids';
import type { TheoryCheck } from '../panels/reportHtml';
import { listSweepFolders, sweepsFolderBeside, type SweepFolder, type SweepFolderCache } from '../sweeps/sweepFolders';
import { RunStore, type SavedRun } from './runStore';
import { RunsTreeProvider } from './runsView';

// The workspace's saved runs: the run store in the runs folder (moved when the setting or the
// workspace folders change), a watcher for runs written by `dfl run --out` or deleted by hand,
// the sweep folders beside it (`sweeps/NAME`, Run Sweep's output) and the Runs view that shows
// them.

export class RunHistory implements vscode.Disposable {
  private store!: RunStore;
  private watchers: vscode.FileSystemWatcher[] = [];
  private readonly sweepCache: SweepFolderCache = new Map();
  readonly tree: RunsTreeProvider;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly runsFolderSetting: () => string,
    lastCheck: () => TheoryCheck | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.reset();
    this.tree = new RunsTreeProvider({ runs: () => this.store.list(), sweeps: () => this.listSweeps(), lastCheck });
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

  /** Where Run Sweep writes its output folders: `sweeps/` beside the runs folder. */
  get sweepsFolder(): string {
    return sweepsFolderBeside(this.store.folder);
  }

  listSweeps(): { sweeps: SweepFolder[]; skipped: string[] } {
    return listSweepFolders(this.sweepsFolder, this.sweepCache);
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
    for (const w of this.watchers.splice(0)) w.dispose();
    // Runs written by `dfl run --out <runs folder>` (or deleted by hand) show up too, and sweeps
    // as their summaries are written (also by `dfl sweep --out` in a terminal).
    const refresh = () => this.tree?.refresh();
    for (const [folder, pattern] of [[runs, '*.json'], [sweepsFolderBeside(runs), '*/summary.json']]) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), pattern));
      watcher.onDidCreate(refresh);
      watcher.onDidDelete(refresh);
      watcher.onDidChange(refresh);
      this.watchers.push(watcher);
    }
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
    for (const w of this.watchers.splice(0)) w.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
