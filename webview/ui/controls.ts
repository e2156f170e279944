import { InputError } from '../../core/errors';
import type { Preset } from '../../core/presets';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec, ProblemSpec, RecordSpec } from '../../core/spec/schema';
import { buildFields, FIELDS, writeFields, type FieldKey } from './fields';
import { formRow, formSection } from './formLayout';
import { button, divider, dropdown, type Field } from './toolkit';

// The experiment form on the left of the Lab: presets, the spec's fields (built from the table
// of ./fields.ts), Run / Pause / Cancel and the exports. It reads and writes ExperimentSpec;
// validation is core's parseSpec.

type TargetKind = ExperimentSpec['target']['kind'];

export interface Controls {
  readSpec(): ExperimentSpec;
  writeSpec(spec: ExperimentSpec): void;
  /** Enables and labels the buttons for the page's state. */
  setRunning(running: boolean, paused: boolean): void;
  setResultAvailable(available: boolean): void;
  onRun(listener: () => void): void;
  onPause(listener: () => void): void;
  onCancel(listener: () => void): void;
  onExport(listener: (format: 'png' | 'svg' | 'json' | 'csv') => void): void;
  /** Called when a field changes (the page saves the spec in the webview state). */
  onEdit(listener: () => void): void;
  /** The line under the preset picker (the preset's claim). */
  setNote(text: string): void;
}

/** The spec's `record` for the reconstructions picked: W(k) at plateau midpoints, at the last spec's steps, or none. */
function recordOf(choice: string, last: RecordSpec | undefined): { record?: RecordSpec } {
  const balancedness = last?.balancedness ?? false;
  if (choice === 'plateauMidpoints') return { record: { snapshots: 'plateauMidpoints', balancedness } };
  if (choice === 'steps') {
    if (!Array.isArray(last?.snapshots)) throw new InputError('reconstructions: this spec lists no steps (pick "at plateau midpoints")');
    return { record: { snapshots: last.snapshots, balancedness } };
  }
  return balancedness ? { record: { balancedness } } : {};
}

const row = (label: string, ...fields: HTMLElement[]) => formRow(label, fields);
/** A row whose label sits above its field, so that the field has the panel's whole width. */
const stacked = (el: HTMLElement) => {
  el.classList.add('field-stacked');
  return el;
};
const section = formSection;

function num(field: Field<string>, name: string): number {
  const text = field.get().trim();
  if (text === '') throw new InputError(`${name}: missing`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new InputError(`${name}: "${text}" is not a number`);
  return v;
}

export function presetChoiceValue(presetIndex: number, specIndex: number): string {
  return `${presetIndex}:${specIndex}`;
}

export function createControls(root: HTMLElement, presets: readonly Preset[]): Controls & { presetField: Field<string> } {
  const presetChoices = presets.flatMap((p, i) => p.specs.map((s, j) => ({ value: presetChoiceValue(i, j), label: `${p.name} · ${s.name ?? `#${j + 1}`}` })));
  const preset = dropdown({ choices: [...presetChoices, { value: 'custom', label: 'custom' }], value: presetChoices[0]?.value ?? 'custom', ariaLabel: 'preset', id: 'preset' });
  const presetNote = document.createElement('p');
  presetNote.className = 'preset-note';
  const f = buildFields();
  const { n, depth, targetKind, eigenvalues, targetSeed, rank, noise, symmetric, mnistIndex, mnistDigit, matrixData, filePath, initKind, alpha, initSeed, stepSize, steps, logKind, logValue, measure, epsilon, engine, snapshots } = f;

  const run = button({ label: 'Run', id: 'run', title: 'Run the experiment' });
  const pause = button({ label: 'Pause', appearance: 'secondary', id: 'pause' });
  const cancel = button({ label: 'Cancel', appearance: 'secondary', id: 'cancel' });
  const exports = (['png', 'svg', 'json', 'csv'] as const).map((format) => ({
    format,
    button: button({ label: format.toUpperCase(), appearance: 'secondary', id: `export-${format}`, title: format === 'png' || format === 'svg' ? `Export the plots as ${format.toUpperCase()}` : `Export the result as ${format.toUpperCase()}` }),
  }));

  let problem: ProblemSpec = { kind: 'estimation' };
  // What the form has no field for is carried from the last spec written (a preset's, a file's).
  let record: RecordSpec | undefined;
  let meta: { name?: string; description?: string } = {};

  // Rows are built on each switch: a field element can sit in one row at a time.
  const targetRows: Record<TargetKind, () => HTMLElement[]> = {
    spectrum: () => [row('eigenvalues λ', eigenvalues.element), row('seed', targetSeed.element)],
    lowRankPlusNoise: () => [row('rank, noise', rank.element, noise.element), row('seed', targetSeed.element, symmetric.element)],
    mnist: () => [row('digit, index', mnistDigit.element, mnistIndex.element)],
    matrix: () => [row('rows', matrixData.element)],
    file: () => [row('path', filePath.element)],
  };
  const targetBox = document.createElement('div');
  targetBox.className = 'target-fields';
  const seedRow = row('seed', initSeed.element);

  const showTarget = () => {
    const kind = targetKind.get() as TargetKind;
    targetBox.replaceChildren(...(targetRows[kind]?.() ?? []));
  };
  const showInit = () => {
    seedRow.hidden = initKind.get() === 'identity';
  };

  const buttons = document.createElement('div');
  buttons.className = 'run-buttons';
  buttons.append(run.element, pause.element, cancel.element);
  const exportRow = document.createElement('div');
  exportRow.className = 'export-buttons';
  exportRow.append(...exports.map((e) => e.button.element));

  root.append(
    section('Experiment'),
    stacked(row('preset', preset.element)),
    presetNote,
    row('n, depth N', n.element, depth.element),
    divider(),
    section('Target Ŵ'),
    row('kind', targetKind.element),
    targetBox,
    divider(),
    section('Gradient descent'),
    row('init', initKind.element),
    row('α (per factor)', alpha.element),
    seedRow,
    row('step η, steps', stepSize.element, steps.element),
    row('logging', logKind.element, logValue.element),
    row('effective rank', measure.element),
    row('reconstructions', snapshots.element),
    row('ε, engine', epsilon.element, engine.element),
    buttons,
    divider(),
    section('Export'),
    exportRow,
  );

  let writing = false;
  const write = (spec: ExperimentSpec) => {
    meta = { name: spec.name, description: spec.description };
    if (meta.name === undefined) delete meta.name;
    if (meta.description === undefined) delete meta.description;
    problem = spec.problem;
    record = spec.record;
    writeFields(f, spec);
    presetNote.textContent = spec.description ?? '';
    showTarget();
    showInit();
  };

  const editListeners: (() => void)[] = [];
  const edited = () => editListeners.forEach((l) => l());

  const controls: Controls = {
    readSpec() {
      const kind = targetKind.get() as TargetKind;
      let target: unknown;
      switch (kind) {
        case 'spectrum': {
          const text = eigenvalues.get().trim();
          const values = text === '' ? [] : text.split(/[\s,;]+/).filter(Boolean).map(Number);
          if (values.some((v) => !Number.isFinite(v))) throw new InputError(`eigenvalues: "${text}" is not a list of numbers`);
          target = { kind, eigenvalues: values, seed: num(targetSeed, 'seed') };
          break;
        }
        case 'lowRankPlusNoise':
          target = { kind, rank: num(rank, 'rank'), noise: num(noise, 'noise'), seed: num(targetSeed, 'seed'), symmetric: symmetric.get() };
          break;
        case 'mnist':
          target = mnistDigit.get().trim() === '' ? { kind, index: num(mnistIndex, 'index') } : { kind, index: num(mnistIndex, 'index'), digit: num(mnistDigit, 'digit') };
          break;
        case 'matrix': {
          let data: unknown;
          try {
            data = JSON.parse(matrixData.get());
          } catch {
            throw new InputError('matrix rows: not valid JSON (expected [[…], …])');
          }
          target = { kind, data };
          break;
        }
        case 'file':
          target = { kind, path: filePath.get().trim() };
          break;
      }
      const init = initKind.get();
      const logChoice = logKind.get();
      const spec = {
        ...meta,
        n: num(n, 'n'),
        depth: num(depth, 'depth'),
        target,
        // Aligned init without a seed keeps every R_j = I (docs/theory.md Theorem 2.2).
        init:
          init === 'identity' || (init === 'aligned' && initSeed.get().trim() === '')
            ? { kind: init, alpha: num(alpha, 'α') }
            : { kind: init, alpha: num(alpha, 'α'), seed: num(initSeed, 'init seed') },
        problem,
        stepSize: num(stepSize, 'step size'),
        steps: num(steps, 'steps'),
        log: logChoice === 'every' ? { every: num(logValue, 'logging interval') } : { points: num(logValue, 'logging points'), scale: logChoice },
        effectiveRank: measure.get(),
        epsilon: num(epsilon, 'ε'),
        engine: engine.get(),
        ...recordOf(snapshots.get(), record),
      };
      return parseSpec(spec);
    },
    writeSpec(spec) {
      writing = true;
      try {
        write(spec);
      } finally {
        writing = false;
      }
    },
    setRunning(running, paused) {
      run.setDisabled(false);
      pause.setDisabled(!running);
      cancel.setDisabled(!running);
      pause.setLabel(paused ? 'Resume' : 'Pause');
    },
    setResultAvailable(available) {
      exports.forEach((e) => (e.format === 'json' || e.format === 'csv' ? e.button.setDisabled(!available) : undefined));
    },
    onRun: (l) => run.onClick(l),
    onPause: (l) => pause.onClick(l),
    onCancel: (l) => cancel.onClick(l),
    onExport: (l) => exports.forEach((e) => e.button.onClick(() => l(e.format))),
    onEdit: (l) => editListeners.push(l),
    setNote: (text) => {
      presetNote.textContent = text;
    },
  };

  // Every field but the two kinds (they also switch rows) marks the form as edited.
  const plain = (Object.keys(FIELDS) as FieldKey[]).filter((key) => key !== 'targetKind' && key !== 'initKind');
  plain.forEach((key) => f[key].onChange(() => {
    if (writing) return;
    preset.set('custom');
    edited();
  }));
  targetKind.onChange(() => {
    showTarget();
    if (writing) return;
    preset.set('custom');
    edited();
  });
  initKind.onChange(() => {
    showInit();
    if (writing) return;
    preset.set('custom');
    edited();
  });
  preset.onChange(() => {
    const value = preset.get();
    if (writing || value === 'custom') return;
    const [i, j] = value.split(':').map(Number);
    const spec = presets[i]?.specs[j];
    if (spec) {
      controls.writeSpec(spec);
      writing = true;
      preset.set(value);
      writing = false;
      presetNote.textContent = presets[i].claim;
      edited();
    }
  });
  showTarget();
  showInit();
  controls.setRunning(false, false);
  controls.setResultAvailable(false);
  return Object.assign(controls, { presetField: preset });
}

export type ControlsWithPreset = Controls & { presetField: Field<string> };
