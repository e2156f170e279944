import path from 'node:path';
import * as vscode from 'vscode';
import { listPresets, type Preset } from '../core/presets';
import type { HostMessageInput } from '../core/protocol/messages';
import type { RunResult } from '../core/result';
import { parseJson } from '../core/spec/parseSpec';
import type { ExperimentSpec } from '../core/spec/schema';
import type { TargetSources } from '../core/targets/target';
import type { PropertyReport, RunSettings } from '../property-tests/runner';
import { EXPERIMENT_SELECTOR, ExperimentCodeLensProvider } from './codeLens';
import { loadEngine, type Engine } from './engineLoader';
import { COMMANDS, CONFIG_SECTION, LAB_VIEW_TYPE, REPORT_VIEW_TYPE, RUNS_VIEW } from './ids';
import type { LabAction } from './labMessages';
import { LabPanel, themeKind, type LabHost } from './labPanel';
import { mnistDigitFrom } from './mnistSubset';
import { plateauMarkdown, resultCsv } from './plateauTable';
import { ReportPanel } from './reportPanel';
import { comparisonHtml, theoryReportHtml, type TheoryCheck } from './reportHtml';
import { RunStore, type SavedRun } from './runStore';
import { RunsTreeProvider, runDescription } from './runsView';
import { presetWithSettings, readSettings, specWithSettings, type Settings } from './settings';
import { TheoryTests, type TheoryRunResult } from './theoryTests';
import { MANAGE_TRUST_COMMAND, MANAGE_TRUST_LABEL, trustRefusal, UntrustedWorkspaceError, type RunInput } from './trust';
import { readRegularFile } from '../node/safeFiles';
import { readWorkspaceFile } from './workspaceFiles';

// The extension host: commands, panels, the side view, the Test Explorer, settings and the run
// store, wired together. Host logic that can be pure lives in the modules it imports.

const SCRATCH_LAB = 'lab';
const SCRATCH_TITLE = 'Deep Factorization Lab';
const PANELS_KEY = 'dfl.panels';
const CHECK_KEY = 'dfl.lastCheck';
const COMPARISONS_KEY = 'dfl.comparisons';

interface PanelMemory {
  /** Lab panel title → the run it shows (file name in the store). */
  [title: string]: string | undefined;
}

export class DflController implements vscode.Disposable, LabHost {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly output: vscode.LogOutputChannel;
  private readonly status: vscode.StatusBarItem;
  private readonly tree: RunsTreeProvider;
  private readonly theory: TheoryTests;
  private store!: RunStore;
  private hostRuns = 0;
  /** Host runs going now: aborted when the extension host stops (restart, reload, exit). */
  private readonly hostAborts = new Set<AbortController>();
  private readonly lenses = new ExperimentCodeLensProvider(() => vscode.workspace.isTrusted);
  private readonly labRuns = new Map<string, { step: number; steps: number }>();
  /** Where the page's own runs came from (so a saved result gets a useful name). */
  private readonly distFolder: string;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.distFolder = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
    this.output = vscode.window.createOutputChannel('Deep Factorization Lab', { log: true });
    this.status = vscode.window.createStatusBarItem('deepFactorization.run', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'Deep Factorization run';
    this.resetStore();
    this.tree = new RunsTreeProvider({ runs: () => this.store.list(), lastCheck: () => this.lastCheck() });
    this.theory = new TheoryTests(
      { list: () => this.engine().listTheorems(), check: (name, s) => this.checkOne(name, s), settings: () => this.propertySettings() },
      (result) => this.theoryFinished(result),
      (line) => this.output.info(line),
    );
    const view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(this.output, this.status, this.tree, this.theory, view, this.lenses);

    const command = (id: string, fn: (...args: any[]) => unknown) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (error) {
          const message = (error as Error).message ?? String(error);
          if (error instanceof UntrustedWorkspaceError) {
            this.output.warn(`${id} refused: ${message}`);
            void vscode.window.showWarningMessage(`Deep Factorization: ${message}`, MANAGE_TRUST_LABEL).then((pick) => (pick ? vscode.commands.executeCommand(MANAGE_TRUST_COMMAND) : undefined));
            return undefined;
          }
          this.output.error(`${id}: ${message}`);
          void vscode.window.showErrorMessage(`Deep Factorization: ${message}`);
          return undefined;
        }
      });
    this.disposables.push(
      command(COMMANDS.openLab, () => this.openLab()),
      command(COMMANDS.runExperimentFile, (uri?: vscode.Uri) => this.runExperimentFile(uri)),
      command(COMMANDS.openExperimentInLab, (uri?: vscode.Uri) => this.runExperimentFile(uri, 'lab')),
      command(COMMANDS.runPreset, () => this.runPreset()),
      command(COMMANDS.compareDepths, () => this.compareDepths()),
      command(COMMANDS.loadTargetMatrix, (uri?: vscode.Uri) => this.loadTargetMatrix(uri)),
      command(COMMANDS.checkTheory, (arg?: { show?: boolean }) => (arg?.show && this.lastCheck() ? this.showCheck(this.lastCheck()!) : this.checkTheory())),
      command(COMMANDS.exportResults, (arg?: unknown) => this.exportResults(arg)),
      command(COMMANDS.showRunHistory, () => this.showRunHistory()),
      command(COMMANDS.openRun, (arg?: unknown) => this.openRunArg(arg)),
      command(COMMANDS.openCounterexample, (arg?: unknown) => this.openCounterexample(arg)),
      command(COMMANDS.deleteRun, (arg?: unknown) => this.deleteRun(arg)),
      command(COMMANDS.refreshRuns, () => this.tree.refresh()),
      vscode.window.registerWebviewPanelSerializer(LAB_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => {
          LabPanel.revive(panel, context.extensionUri, this);
        },
      }),
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.reviveReport(panel),
      }),
      vscode.languages.registerCodeLensProvider(EXPERIMENT_SELECTOR, this.lenses),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.output.info('the workspace is trusted now: its experiment files can run');
        this.lenses.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.runsFolder`)) {
          this.resetStore();
          this.tree.refresh();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.resetStore();
        this.tree.refresh();
      }),
    );
    this.output.info(`activated; runs are saved in ${this.store.folder}${vscode.workspace.isTrusted ? '' : '; untrusted workspace: its experiment and matrix files are not run'}`);
  }

  // ---- settings, store, engine ----

  private settings(): Settings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    return readSettings((key) => config.get(key));
  }

  /** Throws (shown as a warning by the command wrapper) when `what` may not run here. */
  private requireTrust(input: RunInput, what: string): void {
    const reason = trustRefusal(vscode.workspace.isTrusted, input, what);
    if (reason) throw new UntrustedWorkspaceError(reason);
  }

  private propertySettings(): RunSettings {
    const s = this.settings();
    return { runs: s.propertyRuns, seed: s.propertySeed, maxN: s.propertyMaxN };
  }

  private watcher: vscode.FileSystemWatcher | undefined;

  private resetStore(): void {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const runs = folder ? path.join(folder.uri.fsPath, this.settings().runsFolder) : path.join(this.context.globalStorageUri.fsPath, 'runs');
    this.store = new RunStore(runs);
    // A host killed mid-save (restart, crash) can leave a temporary next to the runs.
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

  private engine(): Engine {
    return loadEngine(this.distFolder);
  }

  private async readyEngine(): Promise<Engine> {
    const engine = this.engine();
    const status = await engine.useBackend(this.settings().backend, path.join(this.distFolder, 'wasm'));
    if (status.fallback) this.output.warn(status.fallback);
    return engine;
  }

  private workspaceRoots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** Files relative to `baseDir`, inside the workspace only; MNIST from the shipped subset. */
  private sources(baseDir: string): TargetSources {
    const roots = this.workspaceRoots();
    return {
      // The one place runs read workspace files: refused when untrusted, whatever started the run.
      readFile: (file) => {
        this.requireTrust('workspace', `A run that reads ${file}`);
        return readWorkspaceFile(file, baseDir, roots);
      },
      mnistDigit: mnistDigitFrom(path.join(this.distFolder, 'mnist-subset.json')),
    };
  }

  private defaultBase(): string {
    return this.workspaceRoots()[0] ?? process.cwd();
  }

  // ---- status bar ----

  private updateStatus(text?: string): void {
    const lab = [...this.labRuns.values()][0];
    if (text) this.status.text = text;
    else if (lab) this.status.text = `$(sync~spin) Lab run ${lab.step}/${lab.steps}`;
    if (this.hostRuns > 0 || this.labRuns.size > 0) {
      this.status.tooltip = 'Deep Factorization Lab: a run is going';
      this.status.show();
    } else this.status.hide();
  }

  // ---- the Lab ----

  /** Open Lab: the scratch Lab, where runs go live on WebGL. */
  openLab(): LabPanel {
    const lab = LabPanel.createOrShow(this.context.extensionUri, this, SCRATCH_LAB, SCRATCH_TITLE);
    lab.post({ type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) });
    return lab;
  }

  /** A saved run in its own Lab panel (one per run). */
  openRunInLab(run: SavedRun): LabPanel {
    const title = `Lab · ${run.label} · ${new Date(run.savedAt).toLocaleTimeString()}`;
    const lab = LabPanel.createOrShow(this.context.extensionUri, this, `run:${run.name}`, title);
    lab.post({ type: 'loadResult', result: run.result });
    void this.rememberPanel(lab.title, run.name);
    return lab;
  }

  private async openRunArg(arg: unknown): Promise<void> {
    const name = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'run' in arg ? (arg as { run: SavedRun }).run.name : undefined;
    if (!name) {
      await this.showRunHistory();
      return;
    }
    this.openRunInLab(this.store.read(path.join(this.store.folder, path.basename(name))));
  }

  keyOf(title: string): string {
    if (title === SCRATCH_TITLE) return SCRATCH_LAB;
    const name = this.panels()[title];
    return name ? `run:${name}` : `title:${title}`;
  }

  revived(panel: LabPanel): void {
    const name = this.panels()[panel.title];
    if (!name) return;
    try {
      panel.post({ type: 'loadResult', result: this.store.read(path.join(this.store.folder, name)).result });
    } catch (error) {
      panel.post({ type: 'notice', level: 'warning', text: `The run this panel showed is gone: ${(error as Error).message}` });
    }
  }

  closed(panel: LabPanel): void {
    this.labRuns.delete(panel.key);
    this.updateStatus();
    // Closed by the user: forget it. Closed because the window reloads: VS Code restores it.
    if (panel.key !== SCRATCH_LAB && !this.shuttingDown) void this.rememberPanel(panel.title, undefined);
  }

  private panels(): PanelMemory {
    return this.context.workspaceState.get<PanelMemory>(PANELS_KEY) ?? {};
  }

  private async rememberPanel(title: string, run: string | undefined): Promise<void> {
    const panels = { ...this.panels() };
    if (run === undefined) delete panels[title];
    else panels[title] = run;
    await this.context.workspaceState.update(PANELS_KEY, panels);
  }

  async handle(panel: LabPanel, action: LabAction): Promise<void> {
    switch (action.kind) {
      case 'invalid':
        this.output.warn(`ignored a message from the Lab: ${action.reason}`);
        return;
      case 'ready':
        // A page that says ready runs nothing: after a webview reload its run is gone.
        if (this.labRuns.delete(panel.key)) this.updateStatus();
        this.output.info(`Lab "${panel.title}" ready on ${action.backend}`);
        return;
      case 'state':
        if (action.state === 'running') this.labRuns.set(panel.key, action.progress ?? { step: 0, steps: 0 });
        else this.labRuns.delete(panel.key);
        if (action.fallback) this.output.warn(`Lab: ${action.fallback}`);
        this.updateStatus();
        return;
      case 'points':
        return;
      case 'error':
        this.output.error(`Lab: ${action.message}`);
        return;
      case 'save': {
        if (action.result.steps.length === 0) return;
        const run = this.store.save(action.result);
        this.output.info(`saved the Lab's run "${run.label}" (${action.result.stopped.kind}) to ${run.file}`);
        void this.rememberPanel(panel.title, run.name);
        this.tree.refresh();
        return;
      }
      case 'supplyTarget': {
        const refusal = action.spec.target.kind === 'file' ? trustRefusal(vscode.workspace.isTrusted, 'workspace', `A Lab run on ${action.spec.target.path}`) : undefined;
        if (refusal) {
          this.output.warn(`Lab: refused: ${refusal}`);
          panel.post({ type: 'notice', level: 'error', text: refusal });
          return;
        }
        try {
          const target = this.engine().targetRows(action.spec, this.sources(this.defaultBase()));
          panel.post({ type: 'run', spec: action.spec, target, backend: this.settings().labBackend });
        } catch (error) {
          panel.post({ type: 'notice', level: 'error', text: (error as Error).message });
        }
        return;
      }
      case 'export': {
        const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(this.defaultBase());
        const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(base, action.fileName), saveLabel: 'Export', title: `Export ${action.format.toUpperCase()}` });
        if (!uri) return;
        await vscode.workspace.fs.writeFile(uri, action.bytes);
        panel.post({ type: 'notice', level: 'info', text: `saved ${path.basename(uri.fsPath)}` });
        this.output.info(`exported ${uri.fsPath}`);
        return;
      }
    }
  }

  /** Sends a spec to a Lab panel to run live (reading Ŵ here for file and MNIST targets). */
  private runInLab(spec: ExperimentSpec, baseDir: string): void {
    const target = spec.target.kind === 'file' || spec.target.kind === 'mnist' ? this.engine().targetRows(spec, this.sources(baseDir)) : undefined;
    const lab = this.openLab();
    lab.post({ type: 'run', spec, ...(target ? { target } : {}), backend: this.settings().labBackend });
  }

  // ---- host runs ----

  /** Runs specs in the extension host (cancellable notification), saves each result. */
  private async runInHost(specs: ExperimentSpec[], title: string, baseDir: string): Promise<SavedRun[]> {
    const saved: SavedRun[] = [];
    this.hostRuns++;
    this.updateStatus(`$(sync~spin) ${title}`);
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deep Factorization: ${title}`, cancellable: true }, async (progress, token) => {
        const engine = await this.readyEngine();
        for (const [i, spec] of specs.entries()) {
          if (token.isCancellationRequested || this.shuttingDown) break;
          const abort = new AbortController();
          this.hostAborts.add(abort);
          const sub = token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          const label = spec.name ?? `run ${i + 1}`;
          this.output.info(`running ${label} in the extension host (${engine.activeBackend()})`);
          try {
            const result = await engine.runSpec(spec, {
              sources: this.sources(baseDir),
              signal: abort.signal,
              onProgress: ({ step, steps }) => {
                const fraction = (i + (steps ? step / steps : 1)) / specs.length;
                if (fraction * 100 - reported >= 1) {
                  progress.report({ increment: fraction * 100 - reported, message: `${label}: step ${step}/${steps}` });
                  reported = fraction * 100;
                  this.status.text = `$(sync~spin) ${label} ${step}/${steps}`;
                }
              },
            });
            // Stopped because the host is going away (restart, reload): nothing to save or show,
            // and what is saved stays as it was (saves are atomic).
            if (this.shuttingDown) break;
            const run = this.store.save(result);
            saved.push(run);
            this.output.info(`${label}: ${result.stopped.kind} (${result.stopped.reason}) after ${result.elapsedSeconds.toFixed(1)} s, saved ${run.file}`);
            if (result.stopped.kind === 'diverged') void vscode.window.showWarningMessage(`${label} diverged: ${result.stopped.reason}`);
          } finally {
            sub.dispose();
            this.hostAborts.delete(abort);
          }
        }
      });
    } finally {
      this.hostRuns--;
      if (!this.shuttingDown) {
        this.updateStatus();
        this.tree.refresh();
      }
    }
    return this.shuttingDown ? [] : saved;
  }

  private async runSpecs(specs: ExperimentSpec[], title: string, baseDir: string, where = this.settings().runIn): Promise<void> {
    if (where === 'lab') {
      this.runInLab(specs[0], baseDir);
      return;
    }
    const runs = await this.runInHost(specs, title, baseDir);
    if (runs.length === 1) this.openRunInLab(runs[0]);
    else if (runs.length > 1) this.showComparison(title, runs);
  }

  // ---- commands ----

  private async experimentUri(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (uri instanceof vscode.Uri) return uri;
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && active.path.endsWith('.dfl.json')) return active;
    const files = await vscode.workspace.findFiles('**/*.dfl.json', '**/node_modules/**', 200);
    if (files.length === 0) {
      void vscode.window.showInformationMessage('No *.dfl.json experiment file is open or in the workspace. Run a preset, or create one (the JSON Schema completes its fields).');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      files.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), uri: f })),
      { title: 'Run Experiment File', placeHolder: 'Pick an experiment file' },
    );
    return pick?.uri;
  }

  async runExperimentFile(uri?: vscode.Uri, where?: 'host' | 'lab'): Promise<void> {
    this.requireTrust('workspace', where === 'lab' ? 'Run Experiment File in the Lab' : 'Run Experiment File');
    const file = await this.experimentUri(uri);
    if (!file) return;
    const document = await vscode.workspace.openTextDocument(file);
    const source = path.basename(file.fsPath);
    const spec = specWithSettings(parseJson(document.getText(), source), this.settings(), source);
    const named = spec.name ? spec : { ...spec, name: source.replace(/\.dfl\.json$/, '') };
    await this.runSpecs([named], named.name!, path.dirname(file.fsPath), where);
  }

  private async pickPresetSpec(title: string): Promise<{ preset: Preset; spec: ExperimentSpec } | undefined> {
    const items = listPresets().flatMap((preset) =>
      preset.specs.map((spec, i) => ({
        label: `${preset.name} · ${spec.name ?? `#${i + 1}`}`,
        description: `n = ${spec.n}, N = ${spec.depth}, ${spec.steps} steps`,
        detail: i === 0 ? preset.claim : undefined,
        preset,
        spec,
      })),
    );
    return vscode.window.showQuickPick(items, { title, placeHolder: 'Pick an experiment', matchOnDescription: true, matchOnDetail: true });
  }

  async runPreset(): Promise<void> {
    const pick = await this.pickPresetSpec('Run Preset');
    if (!pick) return;
    const spec = { ...presetWithSettings(pick.spec, this.settings()), name: `${pick.preset.name} · ${pick.spec.name ?? ''}`.replace(/ · $/, '') };
    await this.runSpecs([spec], spec.name, this.defaultBase());
  }

  /** Depths N = 1…4 (or those picked) of one experiment at the same product init α^N. */
  async compareDepths(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    type Base = { label: string; spec?: ExperimentSpec; file?: vscode.Uri; description?: string };
    const bases: Base[] = [];
    if (active?.uri.path.endsWith('.dfl.json')) bases.push({ label: path.basename(active.uri.fsPath), description: 'the active experiment file', file: active.uri });
    for (const preset of listPresets()) for (const spec of preset.specs) bases.push({ label: `${preset.name} · ${spec.name ?? ''}`, description: `N = ${spec.depth}, α = ${spec.init.alpha.toPrecision(3)}`, spec });
    const base = bases.length === 1 ? bases[0] : await vscode.window.showQuickPick(bases, { title: 'Compare Depths (1/2): the experiment' });
    if (!base) return;
    let spec: ExperimentSpec;
    if (base.file) {
      this.requireTrust('workspace', 'Compare Depths on an experiment file');
      const doc = await vscode.workspace.openTextDocument(base.file);
      spec = specWithSettings(parseJson(doc.getText(), base.label), this.settings(), base.label);
    } else spec = presetWithSettings(base.spec!, this.settings());
    const depths = await vscode.window.showQuickPick(
      [1, 2, 3, 4, 5, 6].map((N) => ({ label: `N = ${N}`, N, picked: N <= 4 })),
      { title: 'Compare Depths (2/2): depths, at the same product init α^N', canPickMany: true },
    );
    if (!depths || depths.length === 0) return;
    const product = spec.init.alpha ** spec.depth;
    const specs = depths.map(({ N }) => ({ ...spec, depth: N, init: { ...spec.init, alpha: product ** (1 / N) }, name: `${base.label.replace(/ · .*$/, '')} · N = ${N}` }));
    const title = `Depths ${depths.map((d) => d.N).join(', ')} · ${base.label}`;
    const runs = await this.runInHost(specs, title, base.file ? path.dirname(base.file.fsPath) : this.defaultBase());
    if (runs.length) this.showComparison(title, runs);
  }

  async loadTargetMatrix(uri?: vscode.Uri): Promise<void> {
    // It starts a Lab run on the file's matrix.
    this.requireTrust('workspace', 'Load Target Matrix…');
    const file =
      uri instanceof vscode.Uri
        ? uri
        : (
            await vscode.window.showOpenDialog({
              title: 'Load Target Matrix',
              canSelectMany: false,
              defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
              filters: { 'Matrices': ['csv', 'tsv', 'txt', 'json', 'npy', 'mtx', 'mm'] },
            })
          )?.[0];
    if (!file) return;
    // Local files through the one safe reader (regular files only, capped); remote ones through VS Code.
    const bytes = file.scheme === 'file' ? readRegularFile(file.fsPath, { label: path.basename(file.fsPath) }) : await vscode.workspace.fs.readFile(file);
    const { n, sigmaMax } = this.engine().inspectMatrix(path.basename(file.fsPath), bytes);
    const depth = 3;
    // Half the stable step size of docs/theory.md (4.1): η < 1 / (N σ₁^(2 − 2/N)).
    const stepSize = Number((0.5 / (depth * Math.max(sigmaMax, 1e-12) ** (2 - 2 / depth))).toPrecision(2));
    const roots = this.workspaceRoots();
    const relative = roots.length ? path.relative(roots[0], file.fsPath) : file.fsPath;
    const spec = specWithSettings(
      { name: path.basename(file.fsPath), n, depth, target: { kind: 'file', path: relative.split(path.sep).join('/') }, init: { kind: 'identity', alpha: 0.1 }, stepSize, steps: 3000 },
      this.settings(),
    );
    const rows = this.engine().targetRows(spec, { readFile: () => bytes });
    const lab = this.openLab();
    lab.post({ type: 'run', spec, target: rows, backend: this.settings().labBackend });
    this.output.info(`loaded ${file.fsPath}: ${n}×${n}, σ₁ = ${sigmaMax.toPrecision(4)}, step size ${stepSize}`);
  }

  // ---- theory ----

  private checkOne(name: string, settings: RunSettings): Promise<PropertyReport> {
    return this.readyEngine().then((engine) => engine.checkTheorem(name, settings));
  }

  private lastCheck(): TheoryCheck | undefined {
    return this.context.workspaceState.get<TheoryCheck>(CHECK_KEY);
  }

  private theoryFinished(result: TheoryRunResult): void {
    const previous = this.lastCheck();
    // A partial run from the Test Explorer updates the properties it ran.
    const byName = new Map((previous?.reports ?? []).map((r) => [r.name, r]));
    for (const r of result.reports) byName.set(r.name, r);
    const check: TheoryCheck = {
      seed: result.settings.seed,
      runs: result.settings.runs,
      maxN: result.settings.maxN ?? 200,
      finishedAt: Date.now(),
      cancelled: result.cancelled,
      reports: result.reports.length + result.skipped.length >= byName.size ? result.reports : [...byName.values()],
      skipped: result.skipped,
    };
    void this.context.workspaceState.update(CHECK_KEY, check);
    this.tree.refresh();
  }

  async checkTheory(): Promise<TheoryCheck | undefined> {
    const items = this.theory.ensureItems();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Deep Factorization: checking the theory', cancellable: true }, async (progress, token) => {
      this.hostRuns++;
      this.updateStatus('$(beaker) Checking the theory');
      try {
        await this.theory.runRequest(new vscode.TestRunRequest(items), token, (done, total, name) => {
          progress.report({ message: `${name} (${done + 1}/${total})`, increment: done === 0 ? 0 : 100 / total });
        });
      } finally {
        this.hostRuns--;
        this.updateStatus();
      }
    });
    const check = this.lastCheck();
    if (check) {
      this.showCheck(check);
      const failed = check.reports.filter((r) => r.failed).length;
      this.output.info(`theory check: ${failed === 0 ? 'all hold' : `${failed} failed`} (seed ${check.seed}, ${check.runs} runs)`);
    }
    return check;
  }

  private showCheck(check: TheoryCheck): void {
    this.theory.rememberCounterexamples(check.reports);
    ReportPanel.createOrShow('theory', 'Theory Check', (csp, nonce) => theoryReportHtml(check, csp, nonce));
  }

  private openCounterexample(arg: unknown): void {
    const spec = this.theory.counterexample(arg) ?? this.lastCheck()?.reports.find((r) => r.name === (arg as { property?: string })?.property)?.counterexample?.spec;
    if (!spec) throw new Error('no counterexample to open (run Check Theory first)');
    this.runInLab({ ...spec, name: spec.name ?? 'counterexample' }, this.defaultBase());
  }

  // ---- comparison, history, export ----

  private showComparison(title: string, runs: SavedRun[]): void {
    const names = runs.map((r) => r.name);
    const comparisons = { ...(this.context.workspaceState.get<Record<string, string[]>>(COMPARISONS_KEY) ?? {}), [title]: names };
    void this.context.workspaceState.update(COMPARISONS_KEY, comparisons);
    ReportPanel.createOrShow(`compare:${title}`, title, this.comparisonRenderer(title, names));
  }

  private comparisonRenderer(title: string, names: string[]) {
    return (csp: string, nonce: string) => {
      const runs = names.flatMap((name) => {
        try {
          return [{ name, result: this.store.read(path.join(this.store.folder, name)).result }];
        } catch {
          return [];
        }
      });
      return comparisonHtml(title, runs, csp, nonce);
    };
  }

  private reviveReport(panel: vscode.WebviewPanel): void {
    if (panel.title === 'Theory Check') {
      const check = this.lastCheck();
      if (check) this.theory.rememberCounterexamples(check.reports);
      ReportPanel.revive(panel, 'theory', check ? (csp, nonce) => theoryReportHtml(check, csp, nonce) : undefined);
      return;
    }
    const names = this.context.workspaceState.get<Record<string, string[]>>(COMPARISONS_KEY)?.[panel.title];
    ReportPanel.revive(panel, `compare:${panel.title}`, names ? this.comparisonRenderer(panel.title, names) : undefined);
  }

  private async pickRun(title: string): Promise<SavedRun | undefined> {
    const { runs } = this.store.list();
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
    if (run) this.openRunInLab(run);
  }

  private runFromArg(arg: unknown): SavedRun | undefined {
    if (arg && typeof arg === 'object' && 'run' in arg) return (arg as { run: SavedRun }).run;
    if (typeof arg === 'string') return this.store.read(path.join(this.store.folder, path.basename(arg)));
    return undefined;
  }

  async exportResults(arg?: unknown): Promise<void> {
    const run = this.runFromArg(arg) ?? (await this.pickRun('Export Results'));
    if (!run) return;
    const format = await vscode.window.showQuickPick(
      [
        { label: 'Result JSON', description: 'the full result (dfl report reads it)', ext: 'json' },
        { label: 'Trajectory CSV', description: 'step, loss, effective rank, singular values', ext: 'csv' },
        { label: 'Plateau table (Markdown)', description: 'predicted against measured', ext: 'md' },
      ],
      { title: `Export ${run.label}` },
    );
    if (!format) return;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(this.defaultBase());
    const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(base, `${run.name.replace(/\.json$/, '')}.${format.ext}`), saveLabel: 'Export' });
    if (!uri) return;
    const text = format.ext === 'json' ? JSON.stringify(run.result, null, 1) : format.ext === 'csv' ? resultCsv(run.result) : `# ${run.label}\n\n${plateauMarkdown(run.result)}\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    this.output.info(`exported ${run.name} to ${uri.fsPath}`);
    void vscode.window.showInformationMessage(`Exported ${path.basename(uri.fsPath)}`);
  }

  private async deleteRun(arg: unknown): Promise<void> {
    const run = this.runFromArg(arg);
    if (!run) return;
    const ok = await vscode.window.showWarningMessage(`Delete the run "${run.label}"?`, { modal: true }, 'Delete');
    if (ok !== 'Delete') return;
    this.store.delete(run.file);
    this.tree.refresh();
  }

  /** Test hook (returned by `activate`): where runs go, and the latest check. */
  api() {
    return { runsFolder: () => this.store.folder, lastCheck: () => this.lastCheck(), runs: () => this.store.list().runs.map((r) => r.name) };
  }

  private shuttingDown = false;

  dispose(): void {
    this.shuttingDown = true;
    for (const abort of this.hostAborts) abort.abort();
    LabPanel.disposeAll();
    ReportPanel.disposeAll();
    this.watcher?.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

export type { RunResult, HostMessageInput };
