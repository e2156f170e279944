/** A run of logged steps (inclusive) with the effective rank near that of Ŵ_L. */
export interface Plateau {
  L: number;
  start: number;
  end: number;
  epsilon: number;
}

/**
 * Index where the initial drop of the erank ends: the first local minimum (the first logged
 * step after which the erank rises), or the last index if it never rises.
 */
export function initialMinimumIndex(values: ArrayLike<number>): number {
  let i = 0;
  while (i + 1 < values.length && !(values[i + 1] > values[i])) i++;
  // A flat bottom belongs to the plateau: back up to its first step.
  while (i > 0 && values[i - 1] === values[i]) i--;
  return i;
}

/**
 * Measured ε-plateaus (docs/theory.md §5, Definition 5.2): for each L, the maximal runs of
 * consecutive logged steps with |erank(W(k)) − erank(Ŵ_L)| ≤ ε that reach the initial minimum
 * of the erank or lie after it. Runs that end inside the initial drop from n are crossings, not
 * plateaus; a run that contains the minimum is kept whole.
 */
export function measurePlateaus(
  steps: readonly number[],
  effectiveRank: ArrayLike<number>,
  targetEffectiveRanks: readonly number[],
  epsilon: number,
): Plateau[] {
  const from = initialMinimumIndex(effectiveRank);
  const plateaus: Plateau[] = [];
  targetEffectiveRanks.forEach((reference, index) => {
    let start = -1;
    for (let i = 0; i <= steps.length; i++) {
      const inside = i < steps.length && Math.abs(effectiveRank[i] - reference) <= epsilon;
      if (inside && start < 0) start = i;
      if (!inside && start >= 0) {
        if (i - 1 >= from) plateaus.push({ L: index + 1, start: steps[start], end: steps[i - 1], epsilon });
        start = -1;
      }
    }
  });
  return plateaus.sort((a, b) => a.L - b.L || a.start - b.start);
}
