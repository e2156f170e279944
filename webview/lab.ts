import type { RankReferences } from '../core/engine/reference';
import { rankReferences } from '../core/engine/reference';
import { InputError } from '../core/errors';
import { listPresets, type Preset } from '../core/presets';
import { PROTOCOL_VERSION, type ExportFormat, type HostMessage, type LabBackend, type LabState, type ThemeKind } from '../core/protocol/messages';
import type { RunResult, TrajectoryPoint } from '../core/result';
import { parseSpec } from '../core/spec/parseSpec';
import type { ExperimentSpec } from '../core/spec/schema';
import { buildTarget } from '../core/targets/buildTarget';
import { activeWebglContext, onWebglContextLost, selectBackend } from './engine/backend';
import { LabRunner, MAX_SNAPSHOT_N, type RunRequest } from './engine/runner';
import { HostBridge } from './host';
import { CHART_IDS, LabCharts, formatNumber, subscript, type ChartId } from './plots/charts';
import { readPlotTheme } from './plots/colors';
import { chartsToSvg, resultToCsv, resultsToPng } from './plots/export';
import { drawColorbar, drawHeatmap, maxAbs } from './plots/heatmap';
import { MAX_PLOTTED_DISTANCES, MAX_PLOTTED_SINGULAR_VALUES, TrajectoryStore } from './plots/store';
import { createControls, MEASURE_LABELS, presetChoiceValue, type ControlsWithPreset } from './ui/controls';
import { registerToolkit } from './ui/toolkit';

// The Lab page: wires the form, the runner, the plots and the host protocol together, and
// mirrors its state on <body data-state data-backend> for tests and tools outside the page.

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface SavedState {
  spec?: unknown;
}

/** What the heatmaps show besides the snapshots. */
interface HeatContext {
  n: number;
  target?: Float64Array;
  references?: RankReferences;
  /** Ŵ_L by L (built on demand). */
  best: Map<number, Float64Array>;
  scale: number;
  /** What each panel shows now (redrawn only on change). */
  drawn: Map<string, string>;
}

const THEME_CLASSES: Record<ThemeKind, string> = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  highContrast: 'vscode-high-contrast',
  highContrastLight: 'vscode-high-contrast-light',
};

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'lab';
}

export class Lab {
  private readonly host = new HostBridge();
  private readonly runner = new LabRunner();
  private readonly charts: LabCharts;
  private readonly controls: ControlsWithPreset;
  private readonly presets: Preset[];
  private state: LabState = 'idle';
  private backend: LabBackend = 'webgl';
  private fallback: string | undefined;
  private store: TrajectoryStore | undefined;
  private result: RunResult | undefined;
  private spec: ExperimentSpec | undefined;
  private heat: HeatContext | undefined;
  private runId = 0;
  private pending: TrajectoryPoint[] = [];
  private uiFrame = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private pinnedIndex: number | null = null;
  private lastRequest: RunRequest | undefined;
  private restartOnCpu = false;
  private progress = { step: 0, steps: 0 };
  /** `ready` has been sent (state messages only follow it). */
  private started = false;

  constructor() {
    registerToolkit();
    this.presets = listPresets();
    this.controls = createControls($('controls'), this.presets) as ControlsWithPreset;
    this.charts = new LabCharts(Object.fromEntries(CHART_IDS.map((id) => [id, $(`plot-${id}`)])) as Record<ChartId, HTMLElement>);
    this.restoreForm();

    this.controls.onRun(() => this.runFromForm());
    this.controls.onPause(() => (this.runner.paused ? this.resume() : this.pause()));
    this.controls.onCancel(() => void this.runner.cancel());
    this.controls.onExport((format) => this.export(format));
    this.controls.onEdit(() => this.saveForm());
    $('step-slider').addEventListener('input', () => this.scrub());
    this.host.listen(
      (message) => void this.onHostMessage(message),
      (reason) => this.showMessage(`ignored a message from the host: ${reason}`, 'warning'),
    );
    onWebglContextLost((reason) => this.onContextLost(reason));
    new MutationObserver(() => this.refreshTheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.setState('idle');
    this.drawEmptyHeatmaps();
  }

  /** Chooses the backend, then tells the host the page is ready. */
  async start(): Promise<void> {
    const status = await selectBackend('webgl');
    this.setBackend(status.backend, status.fallback);
    this.host.post({ type: 'ready', protocol: PROTOCOL_VERSION, backend: this.backend });
    this.started = true;
    this.publishState();
  }

  // ---- state ----

  private setState(state: LabState): void {
    this.state = state;
    document.body.dataset.state = state;
    document.body.dataset.paused = String(this.runner.paused);
    const pill = $('state-pill');
    pill.textContent = this.runner.paused && state === 'running' ? 'paused' : state === 'done' && this.result?.stopped.kind !== 'completed' ? (this.result?.stopped.kind ?? state) : state;
    pill.dataset.state = pill.textContent;
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
      ...(this.fallback ? { fallback: this.fallback } : {}),
      ...(this.state === 'running' ? { step: this.progress.step, steps: this.progress.steps } : {}),
    });
  }

  private setBackend(backend: LabBackend, fallback?: string): void {
    this.backend = backend;
    if (fallback) this.fallback = fallback;
    document.body.dataset.backend = backend;
    $('backend-pill').textContent = backend === 'webgl' ? 'WebGL' : 'CPU';
    $('backend-pill').dataset.backend = backend;
    const notice = $('fallback-notice');
    notice.hidden = !this.fallback;
    notice.textContent = this.fallback ? `⚠ ${this.fallback}.` : '';
  }

  private showMessage(text: string, level: 'info' | 'warning' | 'error' = 'info'): void {
    const el = $('message');
    el.hidden = text === '';
    el.textContent = text;
    el.className = `notice notice-${level}`;
  }

  // ---- form ----

  private restoreForm(): void {
    const saved = this.host.getState<SavedState>();
    if (saved?.spec) {
      try {
        this.controls.writeSpec(parseSpec(saved.spec));
        this.controls.presetField.set('custom');
        return;
      } catch {
        // A spec saved by an older version: fall back to the default preset.
      }
    }
    // Default: the paper's depth-3 experiment (clearest plateaus), else the first preset.
    let choice: [number, number] | undefined;
    this.presets.forEach((p, i) => p.specs.forEach((s, j) => (!choice && s.depth === 3 ? (choice = [i, j]) : undefined)));
    choice ??= this.presets.length > 0 ? [0, 0] : undefined;
    if (choice) {
      const [i, j] = choice;
      this.controls.writeSpec(this.presets[i].specs[j]);
      this.controls.presetField.set(presetChoiceValue(i, j));
      this.controls.setNote(this.presets[i].claim);
    }
  }

  private saveForm(): void {
    try {
      this.host.setState({ spec: this.controls.readSpec() } satisfies SavedState);
    } catch {
      // Half-typed fields: keep the last valid state.
    }
  }

  private runFromForm(): void {
    let spec: ExperimentSpec;
    try {
      spec = this.controls.readSpec();
    } catch (error) {
      this.fail(error instanceof InputError ? error.message : String(error));
      return;
    }
    this.saveForm();
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
        // The answer to `needTarget` carries the form's own spec: keep the preset shown then.
        let same = false;
        try {
          same = JSON.stringify(this.controls.readSpec()) === JSON.stringify(message.spec);
        } catch {
          same = false;
        }
        if (!same) {
          this.controls.writeSpec(message.spec);
          this.controls.presetField.set('custom');
        }
        await this.run({ spec: message.spec, target: message.target, backend: message.backend ?? 'webgl' });
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
        this.showResult(message.result);
        break;
      case 'theme': {
        const cls = THEME_CLASSES[message.kind];
        if (!document.body.classList.contains(cls)) {
          document.body.classList.remove(...Object.values(THEME_CLASSES));
          document.body.classList.add(cls);
          document.body.dataset.vscodeThemeKind = cls;
        }
        break;
      }
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

  private async run(request: RunRequest): Promise<void> {
    const runId = ++this.runId;
    this.lastRequest = request;
    this.restartOnCpu = false;
    this.result = undefined;
    this.pending = [];
    this.pinnedIndex = null;
    this.controls.setResultAvailable(false);
    this.showMessage('');
    $('summary').textContent = '';
    $('plateau-table').hidden = true;
    this.progress = { step: 0, steps: request.spec.steps };
    let result: RunResult;
    try {
      result = await this.runner.start(request, {
        onStart: ({ spec, target, backend }) => {
          if (runId !== this.runId) return;
          this.setBackend(backend.backend, backend.fallback);
          this.spec = spec;
          const references = rankReferences(target, spec.effectiveRank);
          const sigmaCount = Math.min(spec.n, MAX_PLOTTED_SINGULAR_VALUES);
          this.store = new TrajectoryStore(sigmaCount, Math.min(references.values.length, MAX_PLOTTED_DISTANCES));
          this.charts.reset(this.store, {
            steps: spec.steps,
            targetSingularValues: Array.from(references.targetSingularValues.subarray(0, sigmaCount)),
            targetEffectiveRanks: references.effectiveRanks,
            predicted: [],
            measured: [],
            measureLabel: MEASURE_LABELS[spec.effectiveRank],
          });
          this.heat = spec.n <= MAX_SNAPSHOT_N ? { n: spec.n, target: target.matrix().data, references, best: new Map(), scale: 0, drawn: new Map() } : { n: spec.n, best: new Map(), scale: 0, drawn: new Map() };
          this.heat.scale = this.heat.target ? maxAbs(this.heat.target) : 0;
          this.setTitle(spec, target.description);
          this.setState('running');
          this.scheduleUi();
        },
        onPoint: (point) => {
          if (runId !== this.runId) return;
          this.store?.push(point);
          this.pending.push(point);
          this.charts.requestDraw();
          this.scheduleUi();
        },
        onSnapshot: ({ step, data }) => {
          if (runId !== this.runId) return;
          this.store?.addSnapshot(step, data);
        },
        onProgress: (step, steps) => {
          if (runId !== this.runId) return;
          this.progress = { step, steps };
          this.scheduleUi();
        },
      });
    } catch (error) {
      if (runId !== this.runId) return;
      if (this.restartOnCpu) return void this.run({ ...request, backend: 'cpu' });
      this.flushPoints();
      this.fail(`run failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (runId !== this.runId) return;
    if (this.restartOnCpu) {
      await this.run({ ...request, backend: 'cpu' });
      return;
    }
    this.flushPoints();
    this.finish(result, runId);
  }

  private finish(result: RunResult, runId: number): void {
    this.result = result;
    this.charts.setPlateaus(result.predicted.plateaus, result.measured.plateaus);
    this.charts.redrawNow(true);
    this.progress = { step: result.stopped.step, steps: result.spec.steps };
    this.updateUi();
    this.controls.setResultAvailable(true);
    this.setSummary(result);
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
    this.store = TrajectoryStore.forResult(result);
    this.charts.reset(this.store, {
      steps: result.spec.steps,
      targetSingularValues: result.target.singularValues.slice(0, this.store.sigmaCount),
      targetEffectiveRanks: result.targetEffectiveRanks,
      predicted: result.predicted.plateaus,
      measured: result.measured.plateaus,
      measureLabel: MEASURE_LABELS[result.spec.effectiveRank],
    });
    this.heat = { n: result.spec.n, best: new Map(), scale: 0, drawn: new Map() };
    const kind = result.spec.target.kind;
    if (result.spec.n <= MAX_SNAPSHOT_N && kind !== 'file' && kind !== 'mnist') {
      try {
        const target = buildTarget(result.spec);
        this.heat.target = target.matrix().data;
        this.heat.references = rankReferences(target, result.spec.effectiveRank);
        this.heat.scale = maxAbs(this.heat.target);
      } catch {
        // Leave the target panels empty.
      }
    }
    this.setTitle(result.spec, result.target.description);
    this.progress = { step: result.stopped.step, steps: result.spec.steps };
    this.pinnedIndex = null;
    this.updateUi();
    this.controls.setResultAvailable(true);
    this.setSummary(result);
    this.showMessage('Showing a saved result: iterates W(k) are not stored in results, so the middle heatmap stays empty.', 'info');
    this.setState('done');
  }

  private setTitle(spec: ExperimentSpec, description: string): void {
    const init = spec.init.kind === 'identity' ? `W_j(0) = ${formatNumber(spec.init.alpha)}·I` : `${spec.init.kind} init, α = ${formatNumber(spec.init.alpha)}`;
    const problem = spec.problem.kind === 'estimation' ? '' : ` · ${spec.problem.kind}`;
    $('run-title').textContent = `Depth N = ${spec.depth} · ${init} · η = ${spec.stepSize} · target: ${description}${problem}`;
  }

  private setSummary(result: RunResult): void {
    const stop = result.stopped.kind === 'completed' ? `${result.stopped.step} steps` : `${result.stopped.kind} at step ${result.stopped.step}`;
    const hypotheses = result.predicted.plateaus.length === 0 ? '' : result.predicted.plateaus.every((p) => p.hypothesesMet) ? ' · hypotheses of the theorem met' : ' · hypotheses not met for some L';
    const engine = result.engine.backend === result.engine.precision ? result.engine.precision : `${result.engine.backend}, ${result.engine.precision}`;
    $('summary').textContent = `${stop} in ${result.elapsedSeconds.toFixed(1)} s · ${result.engine.path} path (${engine})${hypotheses}`;
    $('path-pill').textContent = `${result.engine.path} · ${result.engine.precision}`;
    // Plateaus per L: measured ε-plateaus against the theory's predicted intervals.
    const table = $<HTMLTableElement>('plateau-table');
    const Ls = [...new Set([...result.measured.plateaus, ...result.predicted.plateaus].map((p) => p.L))].sort((a, b) => a - b);
    table.hidden = Ls.length === 0;
    const cell = (text: string, cls?: string) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      return td;
    };
    const span = (ps: readonly { start: number; end: number }[]) => (ps.length === 0 ? '–' : ps.map((p) => `[${p.start}, ${p.end}]`).join(' '));
    const head = document.createElement('tr');
    for (const h of ['L', `measured (ε = ${result.spec.epsilon})`, 'predicted', 'erank(Ŵ_L)']) {
      const th = document.createElement('th');
      th.textContent = h;
      head.append(th);
    }
    const MAX_ROWS = 6;
    const rows = Ls.slice(0, MAX_ROWS).map((L) => {
      const tr = document.createElement('tr');
      const first = document.createElement('td');
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.style.setProperty('--key-color', this.charts.colorOfRank(L));
      first.append(chip, document.createTextNode(String(L)));
      const measured = result.measured.plateaus.filter((p) => p.L === L);
      const predicted = result.predicted.plateaus.filter((p) => p.L === L);
      tr.append(first, cell(span(measured), measured.length ? undefined : 'none'), cell(span(predicted), predicted.length ? undefined : 'none'), cell(formatNumber(result.targetEffectiveRanks[L - 1] ?? NaN, 4)));
      return tr;
    });
    if (Ls.length > MAX_ROWS) {
      const more = document.createElement('tr');
      const td = cell(`+ ${Ls.length - MAX_ROWS} more (L = ${Ls[MAX_ROWS]}…${Ls[Ls.length - 1]}) in the JSON export`, 'none');
      td.colSpan = 4;
      more.append(td);
      rows.push(more);
    }
    table.replaceChildren(head, ...rows);
  }

  // ---- per-frame UI: progress, slider, heatmaps, batched points to the host ----

  private scheduleUi(): void {
    if (!this.uiFrame) this.uiFrame = requestAnimationFrame(() => {
      this.uiFrame = 0;
      this.updateUi();
      this.flushPoints();
    });
    // Frames stop in hidden panels: still hand the points to the host now and then.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flushPoints();
    }, 250);
  }

  private flushPoints(): void {
    if (this.pending.length === 0) return;
    const points = this.pending;
    this.pending = [];
    this.host.post({ type: 'points', runId: this.runId, points });
  }

  private updateUi(): void {
    const { step, steps } = this.progress;
    $('progress-bar').style.width = `${steps > 0 ? Math.min(100, (100 * step) / steps) : 0}%`;
    const store = this.store;
    const slider = $<HTMLInputElement>('step-slider');
    if (!store || store.length === 0) {
      slider.disabled = true;
      return;
    }
    slider.disabled = false;
    slider.max = String(store.length - 1);
    const index = this.pinnedIndex ?? store.length - 1;
    slider.value = String(index);
    this.showStep(index);
  }

  private scrub(): void {
    const index = Number($<HTMLInputElement>('step-slider').value);
    const store = this.store;
    if (!store) return;
    // Scrubbing to the end follows the run again.
    this.pinnedIndex = index >= store.length - 1 && this.state === 'running' ? null : index;
    this.showStep(index);
    this.charts.setMarker(this.pinnedIndex === null && this.state === 'running' ? null : store.steps[index]);
  }

  private showStep(index: number): void {
    const store = this.store;
    const heat = this.heat;
    if (!store || !heat) return;
    const point = store.points[index];
    if (!point) return;
    $('step-output').textContent = `k = ${point.step}`;
    const theme = readPlotTheme();
    const n = heat.n;
    // Each panel is redrawn only when what it shows changes (this runs once per frame).
    const key = (panel: string, what: string | number | undefined) => {
      const k = `${this.runId}:${theme.background}:${what}`;
      if (heat.drawn.get(panel) === k) return false;
      heat.drawn.set(panel, k);
      return true;
    };
    if (key('target', heat.target ? 'target' : 'none')) {
      drawHeatmap($('heat-target'), heat.target, n, heat.scale, theme);
      drawColorbar($('heat-colorbar'), theme);
      $('heat-max').textContent = heat.scale > 0 ? `+${formatNumber(heat.scale)}` : '';
      $('heat-min').textContent = heat.scale > 0 ? `−${formatNumber(heat.scale)}` : '';
    }
    const snapshot = store.snapshotAt(point.step);
    if (key('iterate', snapshot?.step)) {
      drawHeatmap($('heat-iterate'), snapshot?.data, n, heat.scale, theme);
      $('heat-iterate-caption').textContent = snapshot ? `Iterate W(k), k = ${snapshot.step}` : 'Iterate W(k)';
    }
    // Ŵ_L for the L whose erank is nearest the iterate's: the approximation it is "at".
    const refs = heat.references;
    let L = 1;
    if (refs && refs.effectiveRanks.length > 0) {
      let best = Infinity;
      refs.effectiveRanks.forEach((r, i) => {
        const d = Math.abs(r - point.effectiveRank);
        if (d < best) {
          best = d;
          L = i + 1;
        }
      });
    }
    if (key('best', refs && heat.target ? L : 'none')) {
      drawHeatmap($('heat-best'), refs && heat.target ? this.bestRank(L) : undefined, n, heat.scale, theme);
      $('heat-best-caption').textContent = refs ? `Best rank-${L} Ŵ${subscript(L)} (nearest erank)` : 'Best rank-L Ŵ_L';
    }
  }

  private bestRank(L: number): Float64Array | undefined {
    const heat = this.heat;
    if (!heat?.references) return undefined;
    let m = heat.best.get(L);
    if (!m) {
      const { values } = heat.references;
      const { u, v } = heat.references.columns();
      const n = heat.n;
      m = new Float64Array(n * n);
      for (let l = 0; l < Math.min(L, values.length); l++)
        for (let i = 0; i < n; i++) {
          const a = values[l] * u[l][i];
          if (a === 0) continue;
          const vl = v[l];
          for (let j = 0; j < n; j++) m[i * n + j] += a * vl[j];
        }
      heat.best.set(L, m);
    }
    return m;
  }

  private drawEmptyHeatmaps(): void {
    const theme = readPlotTheme();
    for (const id of ['heat-target', 'heat-iterate', 'heat-best']) drawHeatmap($(id), undefined, 0, 0, theme);
    drawColorbar($('heat-colorbar'), theme);
  }

  private refreshTheme(): void {
    this.charts.refreshTheme();
    if (this.store && this.store.length > 0) this.showStep(Number($<HTMLInputElement>('step-slider').value));
    else this.drawEmptyHeatmaps();
  }

  // ---- exports ----

  private export(format: ExportFormat): void {
    const base = slug(this.spec?.name ? `lab-${this.spec.name}` : 'lab');
    const title = $('run-title').textContent ?? 'Deep Factorization Lab';
    const theme = readPlotTheme();
    switch (format) {
      case 'png':
        this.host.post({ type: 'export', format, fileName: `${base}.png`, encoding: 'base64', data: resultsToPng(document.querySelector('.results') as HTMLElement, theme, title) });
        break;
      case 'svg':
        this.host.post({ type: 'export', format, fileName: `${base}.svg`, encoding: 'utf8', data: chartsToSvg(this.charts, theme, title) });
        break;
      case 'json':
        if (this.result) this.host.post({ type: 'export', format, fileName: `${base}.json`, encoding: 'utf8', data: JSON.stringify(this.result) });
        break;
      case 'csv':
        if (this.result) this.host.post({ type: 'export', format, fileName: `${base}.csv`, encoding: 'utf8', data: resultToCsv(this.result) });
        break;
    }
  }

  // ---- test hooks ----

  /** Drops the WebGL context (the browser tests check the CPU fallback with it). */
  loseWebglContext(): boolean {
    const gl = activeWebglContext();
    const ext = gl?.getExtension('WEBGL_lose_context');
    ext?.loseContext();
    return ext !== undefined && ext !== null;
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
