import { InputError } from '../core/errors';
import { listPresets, type Preset } from '../core/presets';
import { PROTOCOL_VERSION, type HostMessage, type LabBackend, type LabState } from '../core/protocol/messages';
import type { ExperimentSpec } from '../core/spec/schema';
import { exportMessage } from './components/exports';
import { restoreForm, saveForm, showSpecInForm } from './components/formMemory';
import { Heatmaps } from './components/heatmaps';
import { StatusLine } from './components/statusLine';
import { StepView } from './components/stepView';
import { SweepView } from './components/sweepView';
import { ViewTabs } from './components/viewTabs';
import { applyThemeKind } from './components/theme';
import { loseWebglContext, onWebglContextLost, selectBackend } from './engine/backend';
import { LabRunner } from './engine/runner';
import { HostBridge } from './host';
import { CHART_IDS, type ChartId } from './plots/chartIds';
import { LabCharts } from './plots/charts';
import { RunSession } from './runSession';
import { createControls, type ControlsWithPreset } from './ui/controls';
import { registerToolkit } from './ui/toolkit';

// The Lab page: the host protocol, the form, pause and cancel, and the page's state, over
// components each in its own file (components/, plots/, ui/); the runs themselves (start, the
// per-frame updates, the CPU fallback, the opening preview, saved results) are runSession.ts's.
// Its state is mirrored on <body data-state data-backend> for tests and tools outside the page.

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
  private readonly runs: RunSession;
  private state: LabState = 'idle';
  private backend: LabBackend = 'webgl';
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
    this.runs = new RunSession({
      runner: this.runner,
      charts: this.charts,
      heatmaps: this.heatmaps,
      stepView: this.stepView,
      controls: this.controls,
      post: (message) => this.host.post(message),
      setState: (state) => this.setState(state),
      setBackend: (backend, fallback) => this.setBackend(backend, fallback),
      showMessage: (text, level) => this.showMessage(text, level),
      fail: (message) => this.fail(message),
    });
    this.opening = restoreForm(this.controls, this.presets, this.host);

    this.controls.onRun(() => this.runFromForm());
    this.controls.onPause(() => (this.runner.paused ? this.resume() : this.pause()));
    this.controls.onCancel(() => void this.runner.cancel());
    this.controls.onExport((format) => {
      const message = exportMessage(format, { charts: this.charts, result: this.runs.result, name: this.runs.spec?.name });
      if (message) this.host.post(message);
    });
    this.controls.onEdit(() => saveForm(this.controls, this.host));
    $('step-slider').addEventListener('input', () => this.stepView.scrub(this.runs.store, this.state === 'running'));
    this.host.listen(
      (message) => void this.onHostMessage(message),
      (reason) => this.showMessage(`ignored a message from the host: ${reason}`, 'warning'),
    );
    onWebglContextLost((reason) => this.onContextLost(reason));
    new MutationObserver(() => {
      this.charts.refreshTheme();
      this.stepView.redraw(this.runs.store);
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
    if (this.opening === 'default' && this.runs.runId === 0 && new URLSearchParams(location.search).get('autorun') !== '0') this.preview();
  }

  /** The form's spec, run on load and shown as a finished run, without telling the host (RunSession.preview). */
  private preview(): void {
    let spec: ExperimentSpec;
    try {
      spec = this.controls.readSpec();
    } catch {
      return;
    }
    void this.runs.preview({ spec, backend: this.backend });
  }

  // ---- state ----

  private setState(state: LabState): void {
    this.state = state;
    this.status.setState(state, this.runner.paused, this.runs.result?.stopped.kind);
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
      ...(this.state === 'running' ? { step: this.runs.progress.step, steps: this.runs.progress.steps } : {}),
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
    void this.runs.run({ spec, backend: 'webgl' });
  }

  // ---- host messages ----

  private async onHostMessage(message: HostMessage): Promise<void> {
    switch (message.type) {
      case 'run': {
        this.views.show('run');
        showSpecInForm(this.controls, message.spec);
        await this.runs.run({ spec: message.spec, target: message.target, backend: message.backend ?? 'webgl' }, message.mark);
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
        this.runs.showResult(message.result);
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

  private onContextLost(reason: string): void {
    this.setBackend('cpu', `${reason}; continuing on the CPU backend`);
    this.runs.onContextLost();
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
    return { ...this.runs.progress };
  }
}
