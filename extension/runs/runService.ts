import * as vscode from 'vscode';
import { longRunMessage, longRunWatch, type LongRun } from '../../core/engine/runTimeEstimate';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { ComputeService } from '../compute/computeService';
import type { RunStatusBar } from '../editor/statusBar';
import type { WorkspaceSources } from '../workspace/workspaceSources';
import type { RunHistory } from './runHistory';
import type { SavedRun } from './runStore';

// Runs in the extension host: a cancellable notification with progress, each result saved to
// the run history; a run estimated (from its first second of steps) to take longer than
// LONG_RUN_SECONDS asks whether to keep it running. Runs going on when the extension host stops (restart, reload, exit) are
// aborted and not saved: what is saved stays as it was (saves are atomic).

export const KEEP_RUNNING = 'Keep Running';
export const CANCEL_RUN = 'Cancel Run';

export class RunService implements vscode.Disposable {
  private readonly aborts = new Set<AbortController>();
  private stopping = false;

  constructor(
    private readonly compute: ComputeService,
    private readonly sources: WorkspaceSources,
    private readonly history: RunHistory,
    private readonly status: RunStatusBar,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** True once the extension host is shutting down. */
  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Runs `specs` one after another (file targets relative to `baseDir`); returns the saved runs. */
  async run(specs: ExperimentSpec[], title: string, baseDir: string): Promise<SavedRun[]> {
    const saved: SavedRun[] = [];
    this.status.beginHostRun(`$(sync~spin) ${title}`);
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deep Factorization: ${title}`, cancellable: true }, async (progress, token) => {
        const compute = await this.compute.ready(this.sources.settings().backend);
        for (const [i, spec] of specs.entries()) {
          if (token.isCancellationRequested || this.stopping) break;
          const abort = new AbortController();
          this.aborts.add(abort);
          const sub = token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          const label = spec.name ?? `run ${i + 1}`;
          const watch = longRunWatch();
          this.output.info(`running ${label} in the extension host (${compute.activeBackend()})`);
          try {
            const result = await compute.runSpec(spec, {
              sources: this.sources.targetSources(baseDir),
              signal: abort.signal,
              onProgress: ({ step, steps }) => {
                const long = watch(step, steps);
                if (long) void this.askToKeepRunning(label, long, abort);
                const fraction = (i + (steps ? step / steps : 1)) / specs.length;
                if (fraction * 100 - reported >= 1) {
                  progress.report({ increment: fraction * 100 - reported, message: `${label}: step ${step}/${steps}` });
                  reported = fraction * 100;
                  this.status.progress(`$(sync~spin) ${label} ${step}/${steps}`);
                }
              },
            });
            // Stopped because the extension host is going away: nothing to save or show.
            if (this.stopping) break;
            const run = this.history.save(result);
            saved.push(run);
            this.output.info(`${label}: ${result.stopped.kind} (${result.stopped.reason}) after ${result.elapsedSeconds.toFixed(1)} s, saved ${run.file}`);
            if (result.stopped.kind === 'diverged') void vscode.window.showWarningMessage(`${label} diverged: ${result.stopped.reason}`);
          } finally {
            sub.dispose();
            this.aborts.delete(abort);
          }
        }
      });
    } finally {
      this.status.endHostRun(!this.stopping);
      if (!this.stopping) this.history.refresh();
    }
    return this.stopping ? [] : saved;
  }

  /** Asks once about a long run while it goes on; "Cancel Run" stops it (its trajectory so far is saved). */
  private async askToKeepRunning(label: string, long: LongRun, abort: AbortController): Promise<void> {
    this.output.warn(longRunMessage(label, long, 'asked whether to keep it running'));
    const choice = await vscode.window.showWarningMessage(`Deep Factorization: ${longRunMessage(label, long, 'keep it running?')}`, KEEP_RUNNING, CANCEL_RUN);
    if (choice === CANCEL_RUN) abort.abort();
  }

  dispose(): void {
    this.stopping = true;
    for (const abort of this.aborts) abort.abort();
  }
}
