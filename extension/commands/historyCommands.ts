import path from 'node:path';
import * as vscode from 'vscode';
import type { ErrorReporter } from '../errors';
import { COMMANDS, RUNS_VIEW } from '../ids';
import type { Labs } from '../panels/labs';
import { plateauMarkdown, resultCsv } from '../../core/report/plateauTable';
import type { RunHistory } from '../runs/runHistory';
import { runDescription } from '../runs/runsView';
import type { SavedRun } from '../runs/runStore';
import type { WorkspaceSources } from '../workspace/workspaceSources';

// The commands on saved runs: open one in the Lab, the history picker, export, delete, refresh.

export interface HistoryCommandServices {
  readonly errors: ErrorReporter;
  readonly output: vscode.LogOutputChannel;
  readonly sources: WorkspaceSources;
  readonly history: RunHistory;
  readonly labs: Labs;
}

export function registerHistoryCommands(s: HistoryCommandServices): vscode.Disposable[] {
  const commands = new HistoryCommands(s);
  return [
    s.errors.command(COMMANDS.exportResults, (arg?: unknown) => commands.exportResults(arg)),
    s.errors.command(COMMANDS.showRunHistory, () => commands.showRunHistory()),
    s.errors.command(COMMANDS.openRun, (arg?: unknown) => commands.openRun(arg)),
    s.errors.command(COMMANDS.deleteRun, (arg?: unknown) => commands.deleteRun(arg)),
    s.errors.command(COMMANDS.refreshRuns, () => s.history.refresh()),
  ];
}

/** The export formats of a saved run. */
const FORMATS = [
  { label: 'Result JSON', description: 'the full result (dfl report reads it)', ext: 'json' },
  { label: 'Trajectory CSV', description: 'step, loss, effective rank, singular values', ext: 'csv' },
  { label: 'Plateau table (Markdown)', description: 'predicted against measured', ext: 'md' },
] as const;

/** A saved run as the text of an export format. */
export function exportText(run: SavedRun, ext: (typeof FORMATS)[number]['ext']): string {
  if (ext === 'json') return JSON.stringify(run.result, null, 1);
  if (ext === 'csv') return resultCsv(run.result);
  return `# ${run.label}\n\n${plateauMarkdown(run.result)}\n`;
}

class HistoryCommands {
  constructor(private readonly s: HistoryCommandServices) {}

  async openRun(arg: unknown): Promise<void> {
    const name = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'run' in arg ? (arg as { run: SavedRun }).run.name : undefined;
    if (!name) {
      await this.showRunHistory();
      return;
    }
    this.s.labs.showRun(this.s.history.read(name));
  }

  private async pickRun(title: string): Promise<SavedRun | undefined> {
    const { runs } = this.s.history.list();
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('No runs yet in this workspace: open the Lab or run a preset.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((run) => ({ label: run.label, description: runDescription(run), detail: plateauMarkdown(run.result).split('\n').length > 2 ? `${run.result.measured.plateaus.length} measured, ${run.result.predicted.plateaus.length} predicted plateaus` : 'no plateaus', run })),
      { title, placeHolder: 'Pick a run', matchOnDescription: true },
    );
    return pick?.run;
  }

  async showRunHistory(): Promise<void> {
    void vscode.commands.executeCommand(`${RUNS_VIEW}.focus`);
    const run = await this.pickRun('Run History: open a run in the Lab');
    if (run) this.s.labs.showRun(run);
  }

  async exportResults(arg?: unknown): Promise<void> {
    const run = this.s.history.fromArg(arg) ?? (await this.pickRun('Export Results'));
    if (!run) return;
    const format = await vscode.window.showQuickPick([...FORMATS], { title: `Export ${run.label}` });
    if (!format) return;
    const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(this.s.sources.defaultUri(), `${run.name.replace(/\.json$/, '')}.${format.ext}`), saveLabel: 'Export' });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(exportText(run, format.ext)));
    this.s.output.info(`exported ${run.name} to ${uri.fsPath}`);
    void vscode.window.showInformationMessage(`Exported ${path.basename(uri.fsPath)}`);
  }

  async deleteRun(arg: unknown): Promise<void> {
    const run = this.s.history.fromArg(arg);
    if (!run) return;
    const ok = await vscode.window.showWarningMessage(`Delete the run "${run.label}"?`, { modal: true }, 'Delete');
    if (ok !== 'Delete') return;
    this.s.history.delete(run);
  }
}
