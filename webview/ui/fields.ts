import { effectiveRankMeasures, type ExperimentSpec } from '../../core/spec/schema';
import { EFFECTIVE_RANK_LABELS } from '../../core/rank/effectiveRank';
import { checkbox, dropdown, textArea, textField, type Choice, type Field } from './toolkit';

// The experiment form's fields as one declarative table: each entry says what control it is and
// how a spec fills it (`write`; undefined leaves the field as it is). The form (./controls.ts)
// builds the controls from the table, lays them out, listens to all of them and reads a spec
// back from their values. A new spec field: an entry here, a row in the layout, a line in
// `readSpec`.

interface FieldBase {
  id: string;
  /** Accessible name (the visible caption is the row's label). */
  aria: string;
  write(spec: ExperimentSpec): string | boolean | undefined;
}
type FieldDef =
  | (FieldBase & { control: 'text'; value: string; placeholder?: string })
  | (FieldBase & { control: 'area'; value: string; rows: number })
  | (FieldBase & { control: 'check'; value: boolean; label: string })
  | (FieldBase & { control: 'select'; value: string; choices: readonly Choice[]; wide?: boolean });

const target = <K extends ExperimentSpec['target']['kind']>(kind: K, get: (t: Extract<ExperimentSpec['target'], { kind: K }>) => string | boolean) => (spec: ExperimentSpec) =>
  spec.target.kind === kind ? get(spec.target as Extract<ExperimentSpec['target'], { kind: K }>) : undefined;
const log = (spec: ExperimentSpec) => spec.log;

export const FIELDS = {
  n: { control: 'text', id: 'field-n', aria: 'n', value: '20', write: (s) => String(s.n) },
  depth: { control: 'text', id: 'field-depth', aria: 'depth N', value: '3', write: (s) => String(s.depth) },
  targetKind: {
    control: 'select',
    id: 'target-kind',
    aria: 'target kind',
    value: 'spectrum',
    choices: [
      { value: 'spectrum', label: 'spectrum V diag(λ) Vᵀ' },
      { value: 'lowRankPlusNoise', label: 'low rank + noise' },
      { value: 'mnist', label: 'MNIST digit' },
      { value: 'matrix', label: 'matrix (JSON rows)' },
      { value: 'file', label: 'file' },
    ],
    write: (s) => s.target.kind,
  },
  eigenvalues: { control: 'text', id: 'field-eigenvalues', aria: 'eigenvalues', value: '10, 6, 3, 1.5', placeholder: '10, 6, 3, 1.5', write: target('spectrum', (t) => t.eigenvalues.join(', ')) },
  targetSeed: { control: 'text', id: 'field-target-seed', aria: 'target seed', value: '1', write: (s) => (s.target.kind === 'spectrum' || s.target.kind === 'lowRankPlusNoise' ? String(s.target.seed) : undefined) },
  rank: { control: 'text', id: 'field-rank', aria: 'rank', value: '3', write: target('lowRankPlusNoise', (t) => String(t.rank)) },
  noise: { control: 'text', id: 'field-noise', aria: 'noise', value: '0.1', write: target('lowRankPlusNoise', (t) => String(t.noise)) },
  symmetric: { control: 'check', id: 'field-symmetric', aria: 'symmetric', label: 'symmetric', value: true, write: target('lowRankPlusNoise', (t) => t.symmetric) },
  mnistIndex: { control: 'text', id: 'field-mnist-index', aria: 'MNIST index', value: '0', write: target('mnist', (t) => String(t.index)) },
  mnistDigit: { control: 'text', id: 'field-mnist-digit', aria: 'MNIST digit', value: '', placeholder: 'any', write: target('mnist', (t) => (t.digit === undefined ? '' : String(t.digit))) },
  matrixData: { control: 'area', id: 'field-matrix', aria: 'matrix rows', value: '[[2, 1], [1, 2]]', rows: 4, write: target('matrix', (t) => JSON.stringify(t.data)) },
  filePath: { control: 'text', id: 'field-file', aria: 'file path', value: '', placeholder: 'data/matrix.csv', write: target('file', (t) => t.path) },
  initKind: {
    control: 'select',
    id: 'init-kind',
    aria: 'init kind',
    value: 'identity',
    choices: [
      { value: 'identity', label: 'identity αI' },
      { value: 'gaussian', label: 'Gaussian N(0, α²/n)' },
      { value: 'orthogonal', label: 'α · random orthogonal' },
      { value: 'aligned', label: "aligned with Ŵ's SVD" },
    ],
    write: (s) => s.init.kind,
  },
  alpha: { control: 'text', id: 'field-alpha', aria: 'alpha', value: '0.1', write: (s) => String(s.init.alpha) },
  initSeed: { control: 'text', id: 'field-init-seed', aria: 'init seed', value: '2', write: (s) => (s.init.kind === 'identity' ? undefined : s.init.seed === undefined ? '' : String(s.init.seed)) },
  stepSize: { control: 'text', id: 'field-step-size', aria: 'step size', value: '0.005', write: (s) => String(s.stepSize) },
  steps: { control: 'text', id: 'field-steps', aria: 'steps', value: '4000', write: (s) => String(s.steps) },
  logKind: {
    control: 'select',
    id: 'log-kind',
    aria: 'logging',
    value: 'log',
    wide: true,
    choices: [
      { value: 'log', label: 'log-spaced points' },
      { value: 'linear', label: 'linear points' },
      { value: 'every', label: 'every k steps' },
    ],
    write: (s) => ('every' in log(s) ? 'every' : (log(s) as { scale: string }).scale),
  },
  logValue: { control: 'text', id: 'field-log', aria: 'logging points or interval', value: '400', write: (s) => { const l = log(s); return String('every' in l ? l.every : l.points); } },
  measure: { control: 'select', id: 'measure', aria: 'effective rank measure', value: 'entropy', choices: effectiveRankMeasures.map((m) => ({ value: m, label: EFFECTIVE_RANK_LABELS[m] })), write: (s) => s.effectiveRank },
  epsilon: { control: 'text', id: 'field-epsilon', aria: 'epsilon', value: '0.1', write: (s) => String(s.epsilon) },
  snapshots: {
    control: 'select',
    id: 'snapshots',
    aria: 'reconstructions W(k) kept',
    value: 'none',
    wide: true,
    choices: [
      { value: 'none', label: 'none' },
      { value: 'plateauMidpoints', label: 'at plateau midpoints' },
      { value: 'steps', label: "at the spec's steps" },
    ],
    write: (s) => (s.record?.snapshots === undefined ? 'none' : Array.isArray(s.record.snapshots) ? 'steps' : 'plateauMidpoints'),
  },
  engine: {
    control: 'select',
    id: 'engine',
    aria: 'engine',
    value: 'auto',
    wide: true,
    choices: [
      { value: 'auto', label: 'auto' },
      { value: 'spectral', label: 'spectral (float64)' },
      { value: 'matrix', label: 'matrix (tfjs)' },
    ],
    write: (s) => s.engine,
  },
} satisfies Record<string, FieldDef>;

export type FieldKey = keyof typeof FIELDS;
/** The built controls by key: checkboxes hold booleans, the rest strings. */
export type FormFields = { [K in FieldKey]: (typeof FIELDS)[K] extends { control: 'check' } ? Field<boolean> : Field<string> };

function build(def: FieldDef): Field<string> | Field<boolean> {
  switch (def.control) {
    case 'text':
      return textField({ value: def.value, ariaLabel: def.aria, id: def.id, ...(def.placeholder !== undefined ? { placeholder: def.placeholder } : {}) });
    case 'area':
      return textArea({ value: def.value, ariaLabel: def.aria, id: def.id, rows: def.rows });
    case 'check':
      return checkbox({ label: def.label, checked: def.value, id: def.id });
    case 'select': {
      const field = dropdown({ choices: def.choices, value: def.value, ariaLabel: def.aria, id: def.id });
      if (def.wide) field.element.classList.add('wide');
      return field;
    }
  }
}

export function buildFields(): FormFields {
  return Object.fromEntries(Object.entries(FIELDS).map(([key, def]) => [key, build(def as FieldDef)])) as FormFields;
}

/** Fills every field a spec says something about. */
export function writeFields(fields: FormFields, spec: ExperimentSpec): void {
  for (const [key, def] of Object.entries(FIELDS) as [FieldKey, FieldDef][]) {
    const value = def.write(spec);
    if (value !== undefined) (fields[key] as Field<string | boolean>).set(value);
  }
}
