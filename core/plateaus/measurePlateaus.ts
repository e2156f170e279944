/** Whether the rank dwells in the ε-band or passes through it (docs/theory.md Definition 5.11). */
export type PlateauKind = 'plateau' | 'crossing';

/** A run of logged steps (inclusive) with the effective rank near that of Ŵ_L. */
export interface Plateau {
  L: number;
  start: number;
  end: number;
  epsilon: number;
  /** Plateau or crossing (Definition 5.11); absent in results saved before it was recorded. */
  kind?: PlateauKind;
}

/**
 * Index where the initial drop of the rank ends: the first local minimum after the highest value
 * that precedes the global minimum (the rank starts at n for identity init, but rises for a few
 * steps first from a Gaussian init), or the last index if it never rises again.
 */
export function initialMinimumIndex(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let lowest = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[lowest]) lowest = i;
  let peak = 0;
  for (let i = 1; i <= lowest; i++) if (values[i] > values[peak]) peak = i;
  let i = peak;
  while (i + 1 < values.length && !(values[i + 1] > values[i])) i++;
  // A flat bottom belongs to the plateau: back up to its first step.
  while (i > peak && values[i - 1] === values[i]) i--;
  return i;
}

/**
 * A run is a crossing when the rank moves through the band at least a quarter as fast as the
 * fastest it moved on its way in (Definition 5.11).
 */
export const CROSSING_SPEED_RATIO = 0.25;

/**
 * Definition 5.11: the speed inside the run, v = (max − min of the rank in it)/(its length in
 * steps), against the peak speed of the transition that led into it, V = max |Δr|/Δk over the
 * logged intervals from the end of the last earlier run (any L) or the initial minimum, whichever
 * is later, to the run's first step. The run is a crossing iff v ≥ CROSSING_SPEED_RATIO·V. A ratio of two speeds in
 * the same units: the rule does not depend on the scale of the rank, of ε or of the step count.
 * A run with no way in (it contains the initial minimum, where the rank turns) is a plateau.
 */
export function plateauKind(steps: ArrayLike<number>, rank: ArrayLike<number>, first: number, last: number, from: number): PlateauKind {
  let peak = 0;
  for (let i = Math.max(0, from); i < first; i++) peak = Math.max(peak, Math.abs(rank[i + 1] - rank[i]) / (steps[i + 1] - steps[i]));
  if (!(peak > 0)) return 'plateau';
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = first; i <= last; i++) {
    lo = Math.min(lo, rank[i]);
    hi = Math.max(hi, rank[i]);
  }
  const inside = (hi - lo) / (steps[last] - steps[first] + 1);
  return inside >= CROSSING_SPEED_RATIO * peak ? 'crossing' : 'plateau';
}

/**
 * Measured ε-runs (docs/theory.md §5, Definition 5.2): for each L, the maximal runs of
 * consecutive logged steps with |r(W(k)) − r(Ŵ_L)| ≤ ε that reach the initial minimum of the
 * rank or lie after it, each with its kind (Definition 5.11). Runs that end inside the initial
 * drop are left out; a run that contains the minimum is kept whole.
 */
export function measurePlateaus(
  steps: ArrayLike<number>,
  effectiveRank: ArrayLike<number>,
  targetEffectiveRanks: readonly number[],
  epsilon: number,
): Plateau[] {
  const from = initialMinimumIndex(effectiveRank);
  const runs: { L: number; first: number; last: number }[] = [];
  targetEffectiveRanks.forEach((reference, index) => {
    let start = -1;
    for (let i = 0; i <= steps.length; i++) {
      const inside = i < steps.length && Math.abs(effectiveRank[i] - reference) <= epsilon;
      if (inside && start < 0) start = i;
      if (!inside && start >= 0) {
        if (i - 1 >= from) runs.push({ L: index + 1, first: start, last: i - 1 });
        start = -1;
      }
    }
  });
  const plateaus = runs.map(({ L, first, last }) => {
    // The way in starts at the initial minimum or where the last earlier run (of any L) ended.
    let since = from;
    for (const r of runs) if (r.last < first) since = Math.max(since, r.last);
    return { L, start: steps[first], end: steps[last], epsilon, kind: plateauKind(steps, effectiveRank, first, last, since) };
  });
  return plateaus.sort((a, b) => a.L - b.L || a.start - b.start);
}
