import fc from 'fast-check';
import type { EffectiveRankMeasure } from '../core/spec/schema';
import { wideSpec } from './arbitraries/wideSpec';
import { evaluatePredictions, type Evaluation } from './evaluation';

/** Runs of at least this many steps count for coverage and tightness. */
export const MIN_RUN = 20;

export interface Figures {
  specs: number;
  violations: string[];
  longRuns: number;
  predicted: number;
  /** Mean over the long runs of predicted steps over run length (a run without a prediction counts 0). */
  tightness: number;
}

/** Coverage and tightness of the predictions over exact ε-runs of ≥ MIN_RUN steps, and violations. */
export function figuresOf(evaluations: Evaluation[]): Figures {
  const f: Figures = { specs: evaluations.length, violations: [], longRuns: 0, predicted: 0, tightness: 0 };
  let sum = 0;
  for (const e of evaluations) {
    f.violations.push(...e.violations.map((v) => `${JSON.stringify(e.spec)}: ${v}`));
    for (const run of e.runs) {
      if (run.end - run.start + 1 < MIN_RUN) continue;
      f.longRuns++;
      if (run.predicted) f.predicted++;
      sum += run.tightness ?? 0;
    }
  }
  f.tightness = sum / Math.max(1, f.longRuns);
  return f;
}

/** The evaluations of `cases` specs of `wideSpec` from `seed`, with the figures overall and per measure. */
export function unseenFigures(seed: number, cases: number, onSpec?: (done: number) => void, measure?: EffectiveRankMeasure): { all: Figures; byMeasure: Map<EffectiveRankMeasure, Figures>; evaluations: Evaluation[] } {
  // With `measure`, every spec is evaluated on that measure (the generated one otherwise).
  const specs = fc.sample(wideSpec(), { seed, numRuns: cases }).map((s) => (measure ? { ...s, effectiveRank: measure } : s));
  const evaluations = specs.map((spec, i) => {
    const e = evaluatePredictions(spec);
    onSpec?.(i + 1);
    return e;
  });
  const byMeasure = new Map<EffectiveRankMeasure, Evaluation[]>();
  for (const e of evaluations) byMeasure.set(e.spec.effectiveRank, [...(byMeasure.get(e.spec.effectiveRank) ?? []), e]);
  return { all: figuresOf(evaluations), byMeasure: new Map([...byMeasure].map(([m, list]) => [m, figuresOf(list)])), evaluations };
}

/** One line of figures. */
export function formatFigures(label: string, f: Figures): string {
  return `${label.padEnd(9)} specs ${String(f.specs).padStart(3)}  exact ε-runs ≥ ${MIN_RUN} steps ${String(f.longRuns).padStart(4)}  with a prediction ${(f.predicted / Math.max(1, f.longRuns)).toFixed(3)}  mean tightness ${f.tightness.toFixed(3)}  violations ${f.violations.length}`;
}
