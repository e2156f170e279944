import path from 'node:path';
import * as vscode from 'vscode';
import { listPresets, type Preset } from '../../core/presets';
import { parseJson } from '../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../core/spec/schema';
import { stepSizeBound } from '../../core/theory/hypotheses';
import type { ComputeService } from '../compute/computeService';
import type { ErrorReporter } from '../errors';
import { COMMANDS } from '../ids';
import type { Labs } from '../panels/labs';
import type { Reports } from '../panels/reports';
import type { RunService } from '../runs/runService';
import { pickWorkspaceFile } from '../workspace/pickFile';
import { presetWithSettings, specWithSettings } from '../settings';
import type { WorkspaceSources } from '../workspace/workspaceSources';
import { readRegularFile } from '../../node/files';

// The commands that start runs: Open Lab, Run Experiment File (in the extension host or the
// Lab), Run Preset…, Compare Depths… and Load Target Matrix….

export interface RunCommandServices {
  readonly errors: ErrorReporter;
  readonly output: vscode.LogOutputChannel;
  readonly sources: WorkspaceSources;
  readonly compute: ComputeService;
  readonly labs: Labs;
  readonly runs: RunService;
  readonly reports: Reports;
}

export function registerRunCommands(s: RunCommandServices): vscode.Disposable[] {
  const commands = new RunCommands(s);
  return [
    s.errors.command(COMMANDS.openLab, () => s.labs.openScratch()),
    s.errors.command(COMMANDS.runExperimentFile, (uri?: vscode.Uri) => commands.runExperimentFile(uri)),
    s.errors.command(COMMANDS.openExperimentInLab, (uri?: vscode.Uri) => commands.runExperimentFile(uri, 'lab')),
    s.errors.command(COMMANDS.runPreset, () => commands.runPreset()),
    s.errors.command(COMMANDS.compareDepths, () => commands.compareDepths()),
    s.errors.command(COMMANDS.loadTargetMatrix, (uri?: vscode.Uri) => commands.loadTargetMatrix(uri)),
  ];
}

class RunCommands {
  constructor(private readonly s: RunCommandServices) {}

  /** Runs specs where the setting says: live in the Lab, or in the extension host (then shown). */
  private async runSpecs(specs: ExperimentSpec[], title: string, baseDir: string, where = this.s.sources.settings().runIn): Promise<void> {
    if (where === 'lab') {
      this.s.labs.run(specs[0], baseDir);
      return;
    }
    const runs = await this.s.runs.run(specs, title, baseDir);
    if (runs.length === 1) this.s.labs.showRun(runs[0]);
    else if (runs.length > 1) this.s.reports.showComparison(title, runs);
  }

  private experimentUri(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return pickWorkspaceFile(uri, {
      suffix: '.dfl.json',
      title: 'Run Experiment File',
      placeHolder: 'Pick an experiment file',
      none: 'No *.dfl.json experiment file is open or in the workspace. Run a preset, or create one (the JSON Schema completes its fields).',
    });
  }

  async runExperimentFile(uri?: vscode.Uri, where?: 'host' | 'lab'): Promise<void> {
    this.s.sources.requireTrust('workspace', where === 'lab' ? 'Run Experiment File in the Lab' : 'Run Experiment File');
    const file = await this.experimentUri(uri);
    if (!file) return;
    const document = await vscode.workspace.openTextDocument(file);
    const source = path.basename(file.fsPath);
    const spec = specWithSettings(parseJson(document.getText(), source), this.s.sources.settings(), source);
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
    const spec = { ...presetWithSettings(pick.spec, this.s.sources.settings()), name: `${pick.preset.name} · ${pick.spec.name ?? ''}`.replace(/ · $/, '') };
    await this.runSpecs([spec], spec.name, this.s.sources.defaultBase());
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
    const settings = this.s.sources.settings();
    if (base.file) {
      this.s.sources.requireTrust('workspace', 'Compare Depths on an experiment file');
      const doc = await vscode.workspace.openTextDocument(base.file);
      spec = specWithSettings(parseJson(doc.getText(), base.label), settings, base.label);
    } else spec = presetWithSettings(base.spec!, settings);
    const depths = await vscode.window.showQuickPick(
      [1, 2, 3, 4, 5, 6].map((N) => ({ label: `N = ${N}`, N, picked: N <= 4 })),
      { title: 'Compare Depths (2/2): depths, at the same product init α^N', canPickMany: true },
    );
    if (!depths || depths.length === 0) return;
    const product = spec.init.alpha ** spec.depth;
    const specs = depths.map(({ N }) => ({ ...spec, depth: N, init: { ...spec.init, alpha: product ** (1 / N) }, name: `${base.label.replace(/ · .*$/, '')} · N = ${N}` }));
    const title = `Depths ${depths.map((d) => d.N).join(', ')} · ${base.label}`;
    const runs = await this.s.runs.run(specs, title, base.file ? path.dirname(base.file.fsPath) : this.s.sources.defaultBase());
    if (runs.length) this.s.reports.showComparison(title, runs);
  }

  /** Starts a Lab run on a matrix file, at half the stable step size. */
  async loadTargetMatrix(uri?: vscode.Uri): Promise<void> {
    this.s.sources.requireTrust('workspace', 'Load Target Matrix…');
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
    const compute = this.s.compute.get();
    const { n, sigmaMax } = compute.inspectMatrix(path.basename(file.fsPath), bytes);
    const depth = 3;
    // Half the stable step size of docs/theory.md (4.1).
    const stepSize = Number((0.5 * stepSizeBound(Math.max(sigmaMax, 1e-12), depth)).toPrecision(2));
    const roots = this.s.sources.roots();
    const relative = roots.length ? path.relative(roots[0], file.fsPath) : file.fsPath;
    const spec = specWithSettings(
      { name: path.basename(file.fsPath), n, depth, target: { kind: 'file', path: relative.split(path.sep).join('/') }, init: { kind: 'identity', alpha: 0.1 }, stepSize, steps: 3000 },
      this.s.sources.settings(),
    );
    this.s.labs.run(spec, this.s.sources.defaultBase(), { target: compute.targetRows(spec, { readFile: () => bytes }) });
    this.s.output.info(`loaded ${file.fsPath}: ${n}×${n}, σ₁ = ${sigmaMax.toPrecision(4)}, step size ${stepSize}`);
  }
}
