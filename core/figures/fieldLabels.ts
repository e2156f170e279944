import { measureName, measureSymbol } from '../rank/labels';
import type { EffectiveRankMeasure } from '../spec/schema';

// The one table of names for spec fields and sweep columns: the mathematical symbol (legends,
// "N = 3") and the words with the symbol (axis titles, "depth N"). The Lab's Sweep view, the
// report's figures and the sweep figures all read it, so an axis never shows `init.alpha`.

export interface FieldLabel {
  /** The symbol, for legends and values: "α" → "α = 0.1". */
  symbol: string;
  /** Words with the symbol, for axis titles: "initial scale α". */
  name: string;
}

const FIELDS: Record<string, FieldLabel> = {
  n: { symbol: 'n', name: 'size n' },
  depth: { symbol: 'N', name: 'depth N' },
  'init.alpha': { symbol: 'α', name: 'initial scale α' },
  'init.seed': { symbol: 'init seed', name: 'seed of the initialization' },
  'init.kind': { symbol: 'init', name: 'initialization' },
  stepSize: { symbol: 'η', name: 'step size η' },
  steps: { symbol: 'K', name: 'steps K' },
  epsilon: { symbol: 'ε', name: 'plateau tolerance ε' },
  effectiveRank: { symbol: 'measure', name: 'effective-rank measure' },
  'target.seed': { symbol: 'target seed', name: 'seed of the target' },
  'target.noise': { symbol: 'ν', name: 'noise level ν (entry std)' },
  'target.rank': { symbol: 'r', name: 'target rank r' },
  'target.eigenvalues': { symbol: 'λ', name: 'eigenvalues λ of Ŵ' },
  'target.index': { symbol: 'digit index', name: 'MNIST sample' },
  'problem.measurements': { symbol: 'm', name: 'measurements m' },
  'problem.observed': { symbol: 'p', name: 'observed fraction p' },
  'problem.seed': { symbol: 'problem seed', name: 'seed of the measurements' },
  // Sweep summary columns (core/sweep/measures.ts).
  finalLoss: { symbol: 'L(W(K))', name: 'final loss ½‖W(K) − Ŵ‖²' },
  finalErank: { symbol: 'r(W(K))', name: 'final effective rank r(W(K))' },
  hypothesesMet: { symbol: 'hypotheses', name: 'hypotheses (4.1)–(4.6) met' },
  orderOfLearning: { symbol: 'in order', name: 'learned in order (step counts non-decreasing in i)' },
  orderCertifiedPairs: { symbol: 'certified pairs', name: 'adjacent pairs whose order is certified' },
  orderCertified: { symbol: 'order certified', name: 'order of learning certified (Theorem 6.1)' },
  groundTruthError: { symbol: '‖W(K) − W*‖_F', name: 'error ‖W(K) − W*‖_F at the last step' },
  minGroundTruthError: { symbol: 'min ‖W(k) − W*‖_F', name: 'smallest error min_k ‖W(k) − W*‖_F' },
  argminGroundTruthError: { symbol: 'argmin ‖W(k) − W*‖_F', name: 'step of the smallest error ‖W(k) − W*‖_F' },
  diverged: { symbol: 'diverged', name: 'the run diverged' },
  stoppedAt: { symbol: 'stop', name: 'step the run stopped at' },
  stepSizeBound: { symbol: 'η_max', name: 'step-size bound η_max (4.1)' },
  stepSizeRatio: { symbol: 'η/η_max', name: 'η / η_max (4.1)' },
};

const SUBSCRIPT = (n: string) => n.replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

/** The label of a spec field (dotted path) or sweep column; unknown names label themselves. */
export function fieldLabel(field: string): FieldLabel {
  const known = FIELDS[field];
  if (known) return known;
  let m = /^(measured|predicted)\.L(\d+)\.(start|end|length)$/.exec(field);
  if (m) {
    const what = m[1] === 'measured' ? 'measured ε-plateau' : 'predicted plateau';
    return { symbol: `${m[3]}${SUBSCRIPT(m[2])}`, name: `${what} ${m[3]} at L = ${m[2]} (steps)` };
  }
  if ((m = /^tightness\.L(\d+)$/.exec(field))) return { symbol: `tightness${SUBSCRIPT(m[1])}`, name: `tightness at L = ${m[1]} (predicted / measured length)` };
  if ((m = /^stepsTo\.i(\d+)\.theta(.+)$/.exec(field))) return { symbol: `k${SUBSCRIPT(m[1])}(${m[2]})`, name: `first step with σ${SUBSCRIPT(m[1])}(W(k)) ≥ ${m[2]}·σ${SUBSCRIPT(m[1])}(Ŵ)` };
  if ((m = /^predicted\.stepsTo\.i(\d+)\.theta(.+)\.(lower|upper)$/.exec(field)))
    return { symbol: `k${SUBSCRIPT(m[1])}(${m[2]}) ${m[3]}`, name: `certified ${m[3]} bound on the steps to σ${SUBSCRIPT(m[1])} ≥ ${m[2]}·σ${SUBSCRIPT(m[1])}(Ŵ) (Prop. 4.3)` };
  return { symbol: field, name: field };
}

/** "N = 3", "α = 0.1": a field's symbol with a value already formatted. */
export function fieldValue(field: string, value: string): string {
  return `${fieldLabel(field).symbol} = ${value}`;
}

/** The y-axis title of an effective-rank panel: "nuclear rank r*(W(k))". */
export function measureAxisTitle(measure: EffectiveRankMeasure): string {
  return `${measureName(measure).replace(/ ‖.*$| #.*$/, '')} ${measureSymbol(measure)}(W(k))`;
}
