import { InputError } from '../../core/errors';
import { EFFECTIVE_RANK_LABELS } from '../../core/rank/effectiveRank';
import type { Preset } from '../../core/presets';
import { parseSpec } from '../../core/spec/parseSpec';
import { effectiveRankMeasures, type ExperimentSpec, type ProblemSpec } from '../../core/spec/schema';
import { button, checkbox, divider, dropdown, textArea, textField, type Button, type Dropdown, type Field } from './toolkit';

// The experiment form on the left of the Lab: presets, the spec's fields, Run / Pause / Cancel
// and the exports. It reads and writes ExperimentSpec; validation is core's parseSpec.

export { EFFECTIVE_RANK_LABELS as MEASURE_LABELS };

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

function row(label: string, ...fields: HTMLElement[]): HTMLElement {
  const el = document.createElement('div');
  el.className = 'field';
  const caption = document.createElement('span');
  caption.className = 'field-label';
  caption.textContent = label;
  const box = document.createElement('div');
  box.className = 'field-inputs';
  box.append(...fields);
  el.append(caption, box);
  return el;
}

function section(title: string): HTMLElement {
  const h = document.createElement('h2');
  h.className = 'controls-section';
  h.textContent = title;
  return h;
}

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

export function createControls(root: HTMLElement, presets: readonly Preset[]): Controls {
  const presetChoices = presets.flatMap((p, i) => p.specs.map((s, j) => ({ value: presetChoiceValue(i, j), label: `${p.name} · ${s.name ?? `#${j + 1}`}` })));
  const preset = dropdown({ choices: [...presetChoices, { value: 'custom', label: 'custom' }], value: presetChoices[0]?.value ?? 'custom', ariaLabel: 'preset', id: 'preset' });
  const presetNote = document.createElement('p');
  presetNote.className = 'preset-note';

  const n = textField({ value: '20', ariaLabel: 'n', id: 'field-n' });
  const depth = textField({ value: '3', ariaLabel: 'depth N', id: 'field-depth' });

  const targetKind = dropdown({
    choices: [
      { value: 'spectrum', label: 'spectrum V diag(λ) Vᵀ' },
      { value: 'lowRankPlusNoise', label: 'low rank + noise' },
      { value: 'mnist', label: 'MNIST digit' },
      { value: 'matrix', label: 'matrix (JSON rows)' },
      { value: 'file', label: 'file' },
    ],
    value: 'spectrum',
    ariaLabel: 'target kind',
    id: 'target-kind',
  });
  const eigenvalues = textField({ value: '10, 6, 3, 1.5', ariaLabel: 'eigenvalues', id: 'field-eigenvalues', placeholder: '10, 6, 3, 1.5' });
  const targetSeed = textField({ value: '1', ariaLabel: 'target seed', id: 'field-target-seed' });
  const rank = textField({ value: '3', ariaLabel: 'rank', id: 'field-rank' });
  const noise = textField({ value: '0.1', ariaLabel: 'noise', id: 'field-noise' });
  const symmetric = checkbox({ label: 'symmetric', checked: true, id: 'field-symmetric' });
  const mnistIndex = textField({ value: '0', ariaLabel: 'MNIST index', id: 'field-mnist-index' });
  const mnistDigit = textField({ value: '', ariaLabel: 'MNIST digit', id: 'field-mnist-digit', placeholder: 'any' });
  const matrixData = textArea({ value: '[[2, 1], [1, 2]]', ariaLabel: 'matrix rows', id: 'field-matrix', rows: 4 });
  const filePath = textField({ value: '', ariaLabel: 'file path', id: 'field-file', placeholder: 'data/matrix.csv' });

  const initKind = dropdown({
    choices: [
      { value: 'identity', label: 'identity αI' },
      { value: 'gaussian', label: 'Gaussian N(0, α²/n)' },
      { value: 'orthogonal', label: 'α · random orthogonal' },
    ],
    value: 'identity',
    ariaLabel: 'init kind',
    id: 'init-kind',
  });
  const alpha = textField({ value: '0.1', ariaLabel: 'alpha', id: 'field-alpha' });
  const initSeed = textField({ value: '2', ariaLabel: 'init seed', id: 'field-init-seed' });

  const stepSize = textField({ value: '0.005', ariaLabel: 'step size', id: 'field-step-size' });
  const steps = textField({ value: '4000', ariaLabel: 'steps', id: 'field-steps' });
  const logKind = dropdown({
    choices: [
      { value: 'log', label: 'log-spaced points' },
      { value: 'linear', label: 'linear points' },
      { value: 'every', label: 'every k steps' },
    ],
    value: 'log',
    ariaLabel: 'logging',
    id: 'log-kind',
  });
  const logValue = textField({ value: '400', ariaLabel: 'logging points or interval', id: 'field-log' });
  logKind.element.classList.add('wide');
  const measure = dropdown({ choices: effectiveRankMeasures.map((m) => ({ value: m, label: EFFECTIVE_RANK_LABELS[m] })), value: 'entropy', ariaLabel: 'effective rank measure', id: 'measure' });
  const epsilon = textField({ value: '0.1', ariaLabel: 'epsilon', id: 'field-epsilon' });
  const engine = dropdown({
    choices: [
      { value: 'auto', label: 'auto' },
      { value: 'spectral', label: 'spectral (float64)' },
      { value: 'matrix', label: 'matrix (tfjs)' },
    ],
    value: 'auto',
    ariaLabel: 'engine',
    id: 'engine',
  });
  engine.element.classList.add('wide');

  const run = button({ label: 'Run', id: 'run', title: 'Run the experiment' });
  const pause = button({ label: 'Pause', appearance: 'secondary', id: 'pause' });
  const cancel = button({ label: 'Cancel', appearance: 'secondary', id: 'cancel' });
  const exports = (['png', 'svg', 'json', 'csv'] as const).map((format) => ({
    format,
    button: button({ label: format.toUpperCase(), appearance: 'secondary', id: `export-${format}`, title: format === 'png' || format === 'svg' ? `Export the plots as ${format.toUpperCase()}` : `Export the result as ${format.toUpperCase()}` }),
  }));

  let problem: ProblemSpec = { kind: 'estimation' };
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
    row('preset', preset.element),
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
    row('ε, engine', epsilon.element, engine.element),
    buttons,
    divider(),
    section('Export'),
    exportRow,
  );

  let writing = false;
  const writeFields = (spec: ExperimentSpec) => {
    meta = { name: spec.name, description: spec.description };
    if (meta.name === undefined) delete meta.name;
    if (meta.description === undefined) delete meta.description;
    problem = spec.problem;
    n.set(String(spec.n));
    depth.set(String(spec.depth));
    targetKind.set(spec.target.kind);
    const t = spec.target;
    if (t.kind === 'spectrum') {
      eigenvalues.set(t.eigenvalues.join(', '));
      targetSeed.set(String(t.seed));
    } else if (t.kind === 'lowRankPlusNoise') {
      rank.set(String(t.rank));
      noise.set(String(t.noise));
      targetSeed.set(String(t.seed));
      symmetric.set(t.symmetric);
    } else if (t.kind === 'mnist') {
      mnistIndex.set(String(t.index));
      mnistDigit.set(t.digit === undefined ? '' : String(t.digit));
    }
    else if (t.kind === 'matrix') matrixData.set(JSON.stringify(t.data));
    else filePath.set(t.path);
    initKind.set(spec.init.kind);
    alpha.set(String(+spec.init.alpha.toPrecision(6)));
    if (spec.init.kind !== 'identity') initSeed.set(String(spec.init.seed));
    stepSize.set(String(spec.stepSize));
    steps.set(String(spec.steps));
    if ('every' in spec.log) {
      logKind.set('every');
      logValue.set(String(spec.log.every));
    } else {
      logKind.set(spec.log.scale);
      logValue.set(String(spec.log.points));
    }
    measure.set(spec.effectiveRank);
    epsilon.set(String(spec.epsilon));
    engine.set(spec.engine);
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
        init: init === 'identity' ? { kind: init, alpha: num(alpha, 'α') } : { kind: init, alpha: num(alpha, 'α'), seed: num(initSeed, 'init seed') },
        problem,
        stepSize: num(stepSize, 'step size'),
        steps: num(steps, 'steps'),
        log: logChoice === 'every' ? { every: num(logValue, 'logging interval') } : { points: num(logValue, 'logging points'), scale: logChoice },
        effectiveRank: measure.get(),
        epsilon: num(epsilon, 'ε'),
        engine: engine.get(),
      };
      return parseSpec(spec);
    },
    writeSpec(spec) {
      writing = true;
      try {
        writeFields(spec);
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

  const fields: (Field<string> | Field<boolean> | Dropdown)[] = [n, depth, eigenvalues, targetSeed, rank, noise, symmetric, mnistIndex, mnistDigit, matrixData, filePath, alpha, initSeed, stepSize, steps, logValue, measure, epsilon, engine, logKind];
  fields.forEach((f) => f.onChange(() => {
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
  return Object.assign(controls, { presetField: preset as Field<string> });
}

export type ControlsWithPreset = Controls & { presetField: Field<string> };
