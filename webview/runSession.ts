import { longRunMessage, longRunWatch } from '../core/engine/runTimeEstimate';
import type { LabBackend, LabState, RunMark, WebviewMessage } from '../core/protocol/messages';
import type { RunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import type { Heatmaps } from './components/heatmaps';
import { LiveUpdates } from './components/liveUpdates';
import { showResultPlots, startRunPlots } from './components/runPlots';
import { clearSummary, setSummary } from './components/runSummary';
import { showSnapshotStrip } from './components/snapshotStrip';
import type { StepView } from './components/stepView';
import type { LabRunner, RunRequest } from './engine/runner';
import type { LabCharts } from './plots/charts';
import type { TrajectoryStore } from './plots/store';
import type { ControlsWithPreset } from './ui/controls';

// The runs of the Lab page, one at a time: a live run (from the form or the host), the preview
// of the opening preset, a saved result. Each replaces the one before; the runner's callbacks of
// a replaced run see that their run id is no longer the current one and do nothing.

/** The parts of the Lab page a run draws on, and how it tells the page and the host about it. */
export interface RunSessionPage {
  readonly runner: LabRunner;
  readonly charts: LabCharts;
  readonly heatmaps: Heatmaps;
  readonly stepView: StepView;
  readonly controls: ControlsWithPreset;
  post(message: WebviewMessage): void;
  setState(state: LabState): void;
  setBackend(backend: LabBackend, fallback?: string): void;
  showMessage(text: string, level?: 'info' | 'warning' | 'error'): void;
  fail(message: string): void;
}

/** What only a live run does; the preview is drawn without it. */
interface LiveRun {
  /** A claim's violation, drawn on the plots and said in the status line. */
  mark: RunMark | undefined;
}

export class RunSession {
  private runIdValue = 0;
  private storeValue: TrajectoryStore | undefined;
  private resultValue: RunResult | undefined;
  private specValue: ExperimentSpec | undefined;
  private progressValue = { step: 0, steps: 0 };
  private lastRequest: RunRequest | undefined;
  private restartOnCpu = false;
  private readonly updates: LiveUpdates;

  constructor(private readonly page: RunSessionPage) {
    this.updates = new LiveUpdates(
      () => this.updateUi(),
      (points) => page.post({ type: 'points', runId: this.runIdValue, points }),
    );
  }

  /** The current run's id: `points` and `done` carry it. */
  get runId(): number {
    return this.runIdValue;
  }

  /** The trajectory shown (the slider scrubs it, theme changes redraw it). */
  get store(): TrajectoryStore | undefined {
    return this.storeValue;
  }

  /** The finished or loaded run shown; undefined while a run goes on. */
  get result(): RunResult | undefined {
    return this.resultValue;
  }

  /** The spec of the run shown (exports are named after it). */
  get spec(): ExperimentSpec | undefined {
    return this.specValue;
  }

  /** The step the engine has reached, of how many. */
  get progress(): { step: number; steps: number } {
    return this.progressValue;
  }

  /** Runs a spec; `mark` (a claim's violation) is drawn on its plots and said in the status line. */
  async run(request: RunRequest, mark?: RunMark): Promise<void> {
    const runId = ++this.runIdValue;
    this.lastRequest = request;
    this.restartOnCpu = false;
    this.resultValue = undefined;
    this.updates.clear();
    this.page.stepView.unpin();
    this.page.showMessage('');
    this.showOutcome(undefined);
    this.progressValue = { step: 0, steps: request.spec.steps };
    let result: RunResult;
    try {
      result = await this.stream(runId, request, { mark });
    } catch (error) {
      if (runId !== this.runIdValue) return;
      if (this.restartOnCpu) return void this.run({ ...request, backend: 'cpu' }, mark);
      this.updates.flush();
      this.page.fail(`run failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (runId !== this.runIdValue) return;
    if (this.restartOnCpu) {
      await this.run({ ...request, backend: 'cpu' }, mark);
      return;
    }
    this.updates.flush();
    this.showFinished(result);
    this.page.setState('done');
    this.page.post({ type: 'done', runId, result });
    if (result.stopped.kind === 'diverged') this.page.showMessage(`Diverged: ${result.stopped.reason}`, 'warning');
  }

  /**
   * Runs a spec and shows it as a finished run is, without telling the host: the state stays
   * `idle`, nothing is saved to the run history, and any run or result the host or the user
   * starts replaces it. `<body data-preview="done">` when it is drawn.
   */
  async preview(request: RunRequest): Promise<void> {
    const runId = this.runIdValue;
    let result: RunResult;
    try {
      result = await this.stream(runId, request, undefined);
    } catch {
      return;
    }
    if (runId !== this.runIdValue || result.stopped.kind !== 'completed') return;
    this.showFinished(result);
    this.page.showMessage('The preset shown, run when the Lab opened (not saved to the run history); Run runs it again, live.', 'info');
    document.body.dataset.preview = 'done';
  }

  /**
   * The runner's callbacks of one run: the trajectory drawn as it streams in and, for a live
   * run, the backend, the mark, the `running` state, progress and the points sent to the host.
   */
  private stream(runId: number, request: RunRequest, live: LiveRun | undefined): Promise<RunResult> {
    const { charts, heatmaps } = this.page;
    // A run its first second says will take longer than LONG_RUN_SECONDS is announced, once.
    const watch = longRunWatch();
    return this.page.runner.start(request, {
      onStart: ({ spec, target, backend }) => {
        if (runId !== this.runIdValue) return;
        if (live) this.page.setBackend(backend.backend, backend.fallback);
        this.specValue = spec;
        this.storeValue = startRunPlots(charts, heatmaps, spec, target);
        if (!live) return;
        this.showMark(live.mark);
        this.page.setState('running');
        this.updates.schedule();
      },
      onPoint: (point) => {
        if (runId !== this.runIdValue) return;
        this.storeValue?.push(point);
        charts.requestDraw();
        if (!live) return;
        this.updates.push(point);
        this.updates.schedule();
      },
      onSnapshot: ({ step, data }) => {
        if (runId === this.runIdValue) this.storeValue?.addSnapshot(step, data);
      },
      onProgress: (step, steps) => {
        if (!live || runId !== this.runIdValue) return;
        this.progressValue = { step, steps };
        const long = watch(step, steps);
        if (long) this.page.showMessage(longRunMessage(request.spec.name ?? 'This run', long, 'keep it running, or Cancel to stop it (the trajectory so far is kept)'), 'warning');
        this.updates.schedule();
      },
    });
  }

  /** What a completed run shows once its result is in: the plateaus, the last step, the outcome. */
  private showFinished(result: RunResult): void {
    this.resultValue = result;
    this.page.charts.setPlateaus(result.predicted.plateaus, result.measured.plateaus);
    this.page.charts.redrawNow(true);
    this.progressValue = { step: result.stopped.step, steps: result.spec.steps };
    this.updateUi();
    this.showOutcome(result);
  }

  /** The WebGL context is gone: a live run on WebGL is cancelled and started again on the CPU. */
  onContextLost(): void {
    if (this.page.runner.busy && this.lastRequest?.backend !== 'cpu') {
      this.restartOnCpu = true;
      void this.page.runner.cancel();
    }
  }

  /** Shows a saved result: plots, plateaus and, when the target can be rebuilt, Ŵ and Ŵ_L. */
  showResult(result: RunResult): void {
    const { controls } = this.page;
    this.runIdValue++;
    this.resultValue = result;
    this.specValue = result.spec;
    controls.writeSpec(result.spec);
    controls.presetField.set('custom');
    this.storeValue = showResultPlots(this.page.charts, this.page.heatmaps, result);
    this.showMark(undefined);
    this.progressValue = { step: result.stopped.step, steps: result.spec.steps };
    this.page.stepView.unpin();
    this.updateUi();
    this.showOutcome(result);
    this.page.showMessage('Showing a saved result: iterates W(k) are not stored in results, so the middle heatmap stays empty.', 'info');
    this.page.setState('done');
  }

  /** Draws a run's mark (or clears the last one's); `<body data-mark>` says what is marked, for tests and tools outside the page. */
  private showMark(mark: RunMark | undefined): void {
    this.page.charts.setMark(mark ?? null);
    if (!mark) {
      delete document.body.dataset.mark;
      return;
    }
    document.body.dataset.mark = mark.step !== undefined ? `step ${mark.step}` : `steps ${mark.steps![0]}-${mark.steps![1]}`;
    const where = mark.step !== undefined ? `step ${mark.step}` : `steps ${mark.steps![0]}–${mark.steps![1]}`;
    this.page.showMessage(`${mark.label} (marked on the plots: ${where})`, 'warning');
  }

  /** What a finished or loaded run shows beside its plots (the summary, the plateau table, the reconstructions); undefined clears it. */
  private showOutcome(result: RunResult | undefined): void {
    this.page.controls.setResultAvailable(result !== undefined);
    if (result) setSummary(result, (L) => this.page.charts.colorOfRank(L));
    else clearSummary();
    showSnapshotStrip(document.getElementById('snapshot-strip')!, result);
  }

  /** Shows the current step on the heatmaps, the readouts and the slider. */
  private updateUi(): void {
    this.page.stepView.update(this.storeValue, this.progressValue);
  }
}
