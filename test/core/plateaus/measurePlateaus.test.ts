import { describe, expect, it } from 'vitest';
import { initialMinimumIndex, measurePlateaus } from '../../../core/plateaus/measurePlateaus';

describe('measurePlateaus', () => {
  it('finds the first local minimum of the initial drop', () => {
    expect(initialMinimumIndex([5, 3, 1, 2, 1.5])).toBe(2);
    expect(initialMinimumIndex([5, 4, 3])).toBe(2);
    expect(initialMinimumIndex([5, 1, 1, 2])).toBe(1);
  });

  it('reports maximal runs after the initial drop, not the crossing on the way down', () => {
    const steps = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    // Falls from 5 through 2 (a crossing at step 1), bottoms at 1, then plateaus at 1 and 2.
    const erank = [5, 2.05, 1, 1.02, 1.05, 1.5, 1.98, 2.01, 2.0];
    expect(measurePlateaus(steps, erank, [1, 2], 0.1)).toEqual([
      { L: 1, start: 2, end: 4, epsilon: 0.1, kind: 'plateau' },
      { L: 2, start: 6, end: 8, epsilon: 0.1, kind: 'plateau' },
    ]);
  });

  it('starts the initial drop at the peak that precedes the global minimum (random init rises first)', () => {
    // Rises for two steps, then falls through 2 (a crossing on the way down) to its minimum.
    expect(initialMinimumIndex([3, 4, 5, 2.0, 1, 1.05, 2])).toBe(4);
    const plateaus = measurePlateaus([0, 1, 2, 3, 4, 5, 6], [3, 4, 5, 2.0, 1, 1.05, 2], [1, 2], 0.1);
    expect(plateaus.map((p) => [p.L, p.start, p.end])).toEqual([
      [1, 4, 5],
      [2, 6, 6],
    ]);
  });

  it('tells a crossing from a plateau by the speed inside the run against the way in (Definition 5.11)', () => {
    const steps = Array.from({ length: 80 }, (_, k) => k);
    // Falls to 1, rises at a steady 0.05 per step through 2 (a crossing), then dwells at 3.
    const rank = steps.map((k) => (k < 5 ? 5 - k : k < 45 ? Math.min(1 + 0.05 * (k - 5), 3) : 3));
    const plateaus = measurePlateaus(steps, rank, [1, 2, 3], 0.1);
    const kindOf = (L: number) => plateaus.find((p) => p.L === L)?.kind;
    expect(kindOf(2)).toBe('crossing');
    expect(kindOf(3)).toBe('plateau');
  });

  it('splits a run that leaves and re-enters the band', () => {
    const plateaus = measurePlateaus([0, 1, 2, 3, 4, 5], [3, 1, 1, 1.5, 1, 1], [1], 0.1);
    expect(plateaus.map((p) => [p.start, p.end])).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });
});
