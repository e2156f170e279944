import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ErrorReporter } from '../errors';
import { COMMANDS } from '../ids';
import type { Labs } from '../panels/labs';
import { pickWorkspaceFile } from '../workspace/pickFile';
import type { RunHistory } from '../runs/runHistory';
import { isSweepFile, SWEEP_FILE_SUFFIX, sweepOutputFolder, type SweepFolder } from '../sweeps/sweepFolders';
import { runSweepProcess, sweepProgressMessage, sweepVerdict } from '../sweeps/sweepProcess';
import type { WorkspaceSources } from '../workspace/workspaceSources';

// Run Sweep… (the bundled `dfl sweep` as a child process, with a cancellable progress
// notification) and Show Sweep (a sweep folder in the Lab's Sweep view).

export interface SweepCommandServices {
  readonly errors: ErrorReporter;
  readonly output: vscode.LogOutputChannel;
  readonly sources: WorkspaceSources;
  readonly history: RunHistory;
  readonly labs: Labs;
  /** The sweep files' CodeLens: "Show Sweep" appears once a summary is written. */
  readonly lenses: { refresh(): void };
}

export function registerSweepCommands(s: SweepCommandServices): vscode.Disposable[] {
  const commands = new SweepCommands(s);
  return [s.errors.command(COMMANDS.runSweep, (uri?: unknown) => commands.runSweep(uri)), s.errors.command(COMMANDS.showSweep, (arg?: unknown) => commands.showSweep(arg)), commands];
}

class SweepCommands implements vscode.Disposable {
  /** Running sweeps by output folder: one process per folder, stopped with the extension host. */
  private readonly running = new Map<string, AbortController>();
  private disposed = false;

  constructor(private readonly s: SweepCommandServices) {}

  async runSweep(arg: unknown): Promise<void> {
    this.s.sources.requireTrust('workspace', 'Run Sweep');
    const uri = await pickWorkspaceFile(arg, {
      suffix: SWEEP_FILE_SUFFIX,
      title: 'Run Sweep',
      placeHolder: 'Pick a sweep file',
      none: 'No *.dfl-sweep.json sweep file is open or in the workspace (docs/sweeps.md describes them; the JSON Schema completes their fields).',
    });
    if (!uri) return;
    const sweepFile = uri.fsPath;
    // The CLI reads the file from disk: what the editor shows is what runs.
    const open = vscode.workspace.textDocuments?.find((d) => d.uri.fsPath === sweepFile);
    if (open?.isDirty) await open.save();
    const out = sweepOutputFolder(this.s.history.sweepsFolder, sweepFile);
    const name = path.basename(sweepFile, SWEEP_FILE_SUFFIX);
    if (this.running.has(out)) {
      void vscode.window.showInformationMessage(`Sweep "${name}" is already running.`);
      return;
    }
    const { distFolder } = this.s.sources;
    const cli = path.join(distFolder, 'compute.js');
    if (!existsSync(cli)) throw new Error(`Run Sweep: the bundled dfl is missing (${cli}); rebuild the extension (npm run build)`);
    const where = vscode.workspace.asRelativePath(vscode.Uri.file(out));
    const controller = new AbortController();
    this.running.set(out, controller);
    this.s.output.info(`Run Sweep: dfl sweep ${sweepFile} --out ${out}`);
    let exit;
    try {
      exit = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sweep ${name}`, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        return runSweepProcess({
          cli,
          sweepFile,
          out,
          wasmFolder: path.join(distFolder, 'wasm'),
          mnistSubset: path.join(distFolder, 'mnist-subset.json'),
          signal: controller.signal,
          onProgress: (p) => {
            const percent = p.total > 0 ? (100 * (p.done + p.failed)) / p.total : 0;
            progress.report({ message: sweepProgressMessage(p), increment: percent - shown });
            shown = percent;
          },
          onLine: (line) => this.s.output.info(`dfl sweep: ${line}`),
        });
      });
    } finally {
      this.running.delete(out);
    }
    if (this.disposed) return;
    this.s.history.refresh();
    this.s.lenses.refresh();
    const verdict = sweepVerdict(exit, name, where);
    switch (verdict.kind) {
      case 'failed':
        // Shown once, as an error, by the command wrapper.
        throw new Error(verdict.message);
      case 'interrupted':
        this.s.output.info(verdict.message);
        void vscode.window.showInformationMessage(verdict.message);
        return;
      case 'incomplete':
        this.s.output.warn(verdict.message);
        void vscode.window.showWarningMessage(verdict.message);
        this.s.labs.showSweep(out);
        return;
      case 'complete':
        this.s.output.info(verdict.message);
        this.s.labs.showSweep(out);
        void vscode.window.showInformationMessage(verdict.message);
        return;
    }
  }

  /** A tree node, a folder (path or Uri), a sweep file (its output folder), else a pick among the listed sweeps. */
  async showSweep(arg: unknown): Promise<void> {
    const folder = await this.sweepFolderOf(arg);
    if (folder) this.s.labs.showSweep(folder);
  }

  private async sweepFolderOf(arg: unknown): Promise<string | undefined> {
    const { sweepsFolder } = this.s.history;
    if (typeof arg === 'string') return path.resolve(sweepsFolder, arg);
    if (arg instanceof vscode.Uri) return isSweepFile(arg.fsPath) ? sweepOutputFolder(sweepsFolder, arg.fsPath) : arg.fsPath;
    if (arg && typeof arg === 'object' && 'sweep' in arg) return (arg as { sweep: SweepFolder }).sweep.folder;
    const { sweeps } = this.s.history.listSweeps();
    if (sweeps.length === 0) {
      void vscode.window.showInformationMessage(`No sweeps yet in ${vscode.workspace.asRelativePath(vscode.Uri.file(sweepsFolder))}: Run Sweep… on a *.dfl-sweep.json file.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      sweeps.map((sweep) => ({ label: sweep.label, description: `${sweep.done}/${sweep.total} runs`, detail: sweep.folder, sweep })),
      { title: 'Show Sweep', placeHolder: 'Pick a sweep folder' },
    );
    return pick?.sweep.folder;
  }

  dispose(): void {
    this.disposed = true;
    // Ctrl-C for each: finished results are whole on disk, a later Run Sweep resumes.
    for (const controller of this.running.values()) controller.abort();
  }
}
