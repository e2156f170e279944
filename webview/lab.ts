import { longRunMessage, longRunWatch } from '../core/engine/runTimeEstimate';
import { InputError } from '../core/errors';
import { listPresets, type Preset } from '../core/presets';
import { PROTOCOL_VERSION, type HostMessage, type LabBackend, type LabState, type RunMark } from '../core/protocol/messages';
import type { RunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import { exportMessage } from './components/exports';
import { restoreForm, saveForm, showSpecInForm } from './components/formMemory';
import { Heatmaps } from './components/heatmaps';
import { LiveUpdates } from './components/liveUpdates';
import { showResultPlots, startRunPlots } from './components/runPlots';
import { clearSummary, setSummary } from './components/runSummary';
import { showSnapshotStrip } from './components/snapshotStrip';
import { StatusLine } from './components/statusLine';
import { StepView } from './components/stepView';
import { SweepView } from './components/sweepView';
import { ViewTabs } from './components/viewTabs';
import { applyThemeKind } from './components/theme';
import { loseWebglContext, onWebglContextLost, selectBackend } from './engine/backend';
import { LabRunner, type RunRequest } from './engine/runner';
import { HostBridge } from './host';
import { CHART_IDS, type ChartId } from './plots/chartIds';
import { LabCharts } from './plots/charts';
import type { TrajectoryStore } from './plots/store';
import { createControls, type ControlsWithPreset } from './ui/controls';
import { registerToolkit } from './ui/toolkit';

// The Lab page: the host protocol, the run's life (start, pause, cancel, the CPU fallback) and
// the per-frame updates, over components each in its own file (components/, plots/, ui/). Its
// state is mirrored on <body data-state data-backend> for tests and tools outside the page.

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class Lab {
  private readonly host = new HostBridge();
  private readonly runner = new LabRunner();
  private readonly charts: LabCharts;
  private readonly controls: ControlsWithPreset;
  private readonly presets: Preset[];
  private readonly status = new StatusLine();
  private readonly heatmaps = new Heatmaps();
  private readonly stepView: StepView;
  private readonly views = new ViewTabs();
  private readonly sweep = new SweepView((message) => this.host.post(message));
  private state: LabState = 'idle';
  private backend: LabBackend = 'webgl';
  private store: TrajectoryStore | undefined;
  private result: RunResult | undefined;
  private spec: ExperimentSpec | undefined;
  private runId = 0;
  private readonly live = new LiveUpdates(
    () => this.updateUi(),
    (points) => this.host.post({ type: 'points', runId: this.runId, points }),
  );
  private lastRequest: RunRequest | undefined;
  private restartOnCpu = false;
  private progress = { step: 0, steps: 0 };
  /** `ready` has been sent (state messages only follow it). */
  private started = false;
  /** What the form opened with: the default preset is run at once, so the page is never empty. */
  private readonly opening: 'default' | 'saved' | 'empty';

  constructor() {
    registerToolkit();
    this.presets = listPresets();
    this.controls = createControls($('controls'), this.presets);
    this.charts = new LabCharts(Object.fromEntries(CHART_IDS.map((id) => [id, $(`plot-${id}`)])) as Record<ChartId, HTMLElement>);
    this.stepView = new StepView(this.heatmaps, this.charts);
    this.opening = restoreForm(this.controls, this.presets, this.host);

    this.controls.onRun(() => this.runFromForm());
    this.controls.onPause(() => (this.runner.paused ? this.resume() : this.pause()));
    this.controls.onCancel(() => void this.runner.cancel());
    this.controls.onExport((format) => {
      const message = exportMessage(format, { charts: this.charts, result: this.result, name: this.spec?.name });
      if (message) this.host.post(message);
    });
    this.controls.onEdit(() => saveForm(this.controls, this.host));
    $('step-slider').addEventListener('input', () => this.stepView.scrub(this.store, this.state === 'running'));
    this.host.listen(
      (message) => void this.onHostMessage(message),
      (reason) => this.showMessage(`ignored a message from the host: ${reason}`, 'warning'),
    );
    onWebglContextLost((reason) => this.onContextLost(reason));
    new MutationObserver(() => {
      this.charts.refreshTheme();
      this.stepView.redraw(this.store);
      this.sweep.redraw();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.setState('idle');
    this.heatmaps.drawEmpty();
  }

  /** Chooses the backend, then tells the host the page is ready. */
  async start(): Promise<void> {
    const status = await selectBackend('webgl');
    this.setBackend(status.backend, status.fallback);
    this.host.post({ type: 'ready', protocol: PROTOCOL_VERSION, backend: this.backend });
    this.started = true;
    this.publishState();
    // The default (the paper's first experiment, under a second on the exact path) is computed
    // and shown on load. `?autorun=0` (standalone page only) leaves the page empty for tests
    // that drive every run themselves.
    if (this.opening === 'default' && this.runId === 0 && new URLSearchParams(location.search).get('autorun') !== '0') void this.preview();
  }

  /**
   * The form's spec run on load and shown as a finished run is, without telling the host: the
   * state stays `idle`, nothing is saved to the run history, and any run or result the host or
   * the user starts replaces it. `<body data-preview="done">` when it is drawn.
   */
  private async preview(): Promise<void> {
    const runId = this.runId;
    let spec: ExperimentSpec;
    try {
      spec = this.controls.readSpec();
    } catch {
      return;
    }
    let result: RunResult;
    try {
      result = await this.runner.start(
        { spec, backend: this.backend },
        {
          onStart: ({ spec: started, target }) => {
            if (runId !== this.runId) return;
            this.spec = started;
            this.store = startRunPlots(this.charts, this.heatmaps, started, target);
          },
          onPoint: (point) => {
            if (runId !== this.runId) return;
            this.store?.push(point);
            this.charts.requestDraw();
          },
          onSnapshot: ({ step, data }) => {
            if (runId === this.runId) this.store?.addSnapshot(step, data);
          },
          onProgress: () => undefined,
        },
      );
    } catch {
      return;
    }
    if (runId !== this.runId || result.stopped.kind !== 'completed') return;
    this.result = result;
    this.charts.setPlateaus(result.predicted.plateaus, result.measured.plateaus);
    this.charts.redrawNow(true);
    this.progress = { step: result.stopped.step, steps: result.spec.steps };
    this.updateUi();
    this.showOutcome(result);
    this.showMessage('The preset shown, run when the Lab opened (not saved to the run history); Run runs it again, live.', 'info');
    document.body.dataset.preview = 'done';
  }

  // ---- state ----

  private setState(state: LabState): void {
    this.state = state;
    this.status.setState(state, this.runner.paused, this.result?.stopped.kind);
    this.controls.setRunning(state === 'running', this.runner.paused);
    this.publishState();
  }

  private publishState(): void {
    if (!this.started) return;
    this.host.post({
      type: 'state',
      state: this.state,
      paused: this.runner.paused,
      backend: this.backend,
      ...(this.status.fallbackReason ? { fallback: this.status.fallbackReason } : {}),
      ...(this.state === 'running' ? { step: this.progress.step, steps: this.progress.steps } : {}),
    });
  }

  private setBackend(backend: LabBackend, fallback?: string): void {
    this.backend = backend;
    this.status.setBackend(backend, fallback);
  }

  private showMessage(text: string, level: 'info' | 'warning' | 'error' = 'info'): void {
    this.status.message(text, level);
  }

  // ---- form ----

  private runFromForm(): void {
    let spec: ExperimentSpec;
    try {
      spec = this.controls.readSpec();
    } catch (error) {
      this.fail(error instanceof InputError ? error.message : String(error));
      return;
    }
    saveForm(this.controls, this.host);
    if (spec.target.kind === 'file' || spec.target.kind === 'mnist') {
      if (!this.host.connected) {
        this.fail(`${spec.target.kind} targets need the VS Code host (or the stand-in of npm run lab:serve) to supply the matrix`);
        return;
      }
      this.showMessage(`Asking the host for the ${spec.target.kind === 'mnist' ? 'MNIST digit' : `file ${spec.target.path}`}…`);
      this.host.post({ type: 'needTarget', spec });
      return;
    }
    void this.run({ spec, backend: 'webgl' });
  }

  // ---- host messages ----

  private async onHostMessage(message: HostMessage): Promise<void> {
    switch (message.type) {
      case 'run': {
        this.views.show('run');
        showSpecInForm(this.controls, message.spec);
        await this.run({ spec: message.spec, target: message.target, backend: message.backend ?? 'webgl' }, message.mark);
        break;
      }
      case 'pause':
        this.pause();
        break;
      case 'resume':
        this.resume();
        break;
      case 'cancel':
        await this.runner.cancel();
        break;
      case 'loadResult':
        await this.runner.cancel();
        // A sweep cell's run (or any saved result) is shown in the Run view; shown first, so
        // that the plots are laid out at their real width.
        this.views.show('run');
        this.sweep.opened();
        this.showResult(message.result);
        break;
      case 'sweep':
        this.views.show('sweep');
        this.sweep.show(message.title, message.summary);
        break;
      case 'theme':
        applyThemeKind(message.kind);
        break;
      case 'notice':
        this.showMessage(message.text, message.level);
        break;
    }
  }

  private pause(): void {
    if (this.state !== 'running') return;
    this.runner.pause();
    this.setState('running');
  }

  private resume(): void {
    this.runner.resume();
    if (this.state === 'running') this.setState('running');
  }

  // ---- runs ----

  private fail(message: string): void {
    this.showMessage(message, 'error');
    this.setState('error');
    this.host.post({ type: 'error', message });
  }

  /** Runs a spec; `mark` (a claim's violation) is drawn on its plots and said in the status line. */
  private async run(request: RunRequest, mark?: RunMark): Promise<void> {
    const runId = ++this.runId;
    this.lastRequest = request;
    this.restartOnCpu = false;
    this.result = undefined;
    this.live.clear();
    this.stepView.unpin();
    this.showMessage('');
    this.showOutcome(undefined);
    this.progress = { step: 0, steps: request.spec.steps };
    let result: RunResult;
    // A run its first second says will take longer than LONG_RUN_SECONDS is announced, once.
    const watch = longRunWatch();
    try {
      result = await this.runner.start(request, {
        onStart: ({ spec, target, backend }) => {
          if (runId !== this.runId) return;
          this.setBackend(backend.backend, backend.fallback);
          this.spec = spec;
          this.store = startRunPlots(this.charts, this.heatmaps, spec, target);
          this.showMark(mark);
          this.setState('running');
          this.live.schedule();
        },
        onPoint: (point) => {
          if (runId !== this.runId) return;
          this.store?.push(point);
          this.live.push(point);
          this.charts.requestDraw();
          this.live.schedule();
        },
        onSnapshot: ({ step, data }) => {
          if (runId !== this.runId) return;
          this.store?.addSnapshot(step, data);
        },
        onProgress: (step, steps) => {
          if (runId !== this.runId) return;
          this.progress = { step, steps };
          const long = watch(step, steps);
          if (long) this.showMessage(longRunMessage(request.spec.name ?? 'This run', long, 'keep it running, or Cancel to stop it (the trajectory so far is kept)'), 'warning');
          this.live.schedule();
        },
      });
    } catch (error) {
      if (runId !== this.runId) return;
      if (this.restartOnCpu) return void this.run({ ...request, backend: 'cpu' }, mark);
      this.live.flush();
      this.fail(`run failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (runId !== this.runId) return;
    if (this.restartOnCpu) {
      await this.run({ ...request, backend: 'cpu' }, mark);
      return;
    }
    this.live.flush();
    this.finish(result, runId);
  }

  /** Draws a run's mark (or clears the last one's); `<body data-mark>` says what is marked, for tests and tools outside the page. */
  private showMark(mark: RunMark | undefined): void {
    this.charts.setMark(mark ?? null);
    if (!mark) {
      delete document.body.dataset.mark;
      return;
    }
    document.body.dataset.mark = mark.step !== undefined ? `step ${mark.step}` : `steps ${mark.steps![0]}-${mark.steps![1]}`;
    const where = mark.step !== undefined ? `step ${mark.step}` : `steps ${mark.steps![0]}–${mark.steps![1]}`;
    this.showMessage(`${mark.label} (marked on the plots: ${where})`, 'warning');
  }

  private finish(result: RunResult, runId: number): void {
    this.result = result;
    this.charts.setPlateaus(result.predicted.plateaus, result.measured.plateaus);
    this.charts.redrawNow(true);
    this.progress = { step: result.stopped.step, steps: result.spec.steps };
    this.updateUi();
    this.showOutcome(result);
    this.setState('done');
    this.host.post({ type: 'done', runId, result });
    if (result.stopped.kind === 'diverged') this.showMessage(`Diverged: ${result.stopped.reason}`, 'warning');
  }

  private onContextLost(reason: string): void {
    this.setBackend('cpu', `${reason}; continuing on the CPU backend`);
    if (this.runner.busy && this.lastRequest?.backend !== 'cpu') {
      this.restartOnCpu = true;
      void this.runner.cancel();
    }
  }

  /** Shows a saved result: plots, plateaus and, when the target can be rebuilt, Ŵ and Ŵ_L. */
  private showResult(result: RunResult): void {
    this.runId++;
    this.result = result;
    this.spec = result.spec;
    this.controls.writeSpec(result.spec);
    this.controls.presetField.set('custom');
    this.store = showResultPlots(this.charts, this.heatmaps, result);
    this.showMark(undefined);
    this.progress = { step: result.stopped.step, steps: result.spec.steps };
    this.stepView.unpin();
    this.updateUi();
    this.showOutcome(result);
    this.showMessage('Showing a saved result: iterates W(k) are not stored in results, so the middle heatmap stays empty.', 'info');
    this.setState('done');
  }

  /** What a finished or loaded run shows beside its plots (the summary, the plateau table, the reconstructions); undefined clears it. */
  private showOutcome(result: RunResult | undefined): void {
    this.controls.setResultAvailable(result !== undefined);
    if (result) setSummary(result, (L) => this.charts.colorOfRank(L));
    else clearSummary();
    showSnapshotStrip($('snapshot-strip'), result);
  }

  // ---- the shown step ----

  private updateUi(): void {
    this.stepView.update(this.store, this.progress);
  }

  // ---- test hooks ----

  /** Drops the WebGL context (the browser tests check the CPU fallback with it). */
  loseWebglContext(): boolean {
    return loseWebglContext();
  }

  /** The spec the form holds now: what Run runs (the browser tests compare it with core's presets). */
  formSpec(): ExperimentSpec {
    return this.controls.readSpec();
  }

  /** Plot redraws so far. */
  get draws(): number {
    return this.charts.draws;
  }

  /** The step the engine has reached (steps done when it equals `steps`). */
  get progressStep(): { step: number; steps: number } {
    return { ...this.progress };
  }
}
