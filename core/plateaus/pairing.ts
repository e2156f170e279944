import type { PredictedPlateau, RunResult } from '../result';
import type { Plateau } from './measurePlateaus';

/** One row of the plateau table of a run: what every view shows for L (docs/theory.md §5.5). */
export interface PlateauPair {
  L: number;
  /** The measure of Ŵ_L. */
  reference: number;
  predicted?: PredictedPlateau;
  /** The measured run paired with the prediction (or the one shown without a prediction). */
  measured?: Plateau;
  /** Measured runs at this L. */
  runs: number;
  /** Predicted length over the paired run's length, when the prediction overlaps that run. */
  tightness?: number;
  /** Whether the run's ends are exact (every step logged) or only logged steps. */
  against: 'every step' | 'logged steps';
}

const length = (p: { start: number; end: number }) => p.end - p.start + 1;
const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start) + 1);

/** `[120, 340]`, with " crossing" for a run of that kind (Definition 5.11). */
export function formatRun(run: Plateau | undefined, open = '[', separator = ', ', close = ']'): string {
  if (!run) return '—';
  return `${open}${run.start}${separator}${run.end}${close}${run.kind === 'crossing' ? ' crossing' : ''}`;
}

/** Whether the logged steps are 0, 1, 2, … without gaps. */
export function logsEveryStep(steps: readonly number[]): boolean {
  return steps.every((s, i) => s === i);
}

/**
 * The one pairing rule (docs/theory.md §5.5): for each L, the measured run that overlaps the
 * predicted interval most; without a prediction or an overlap, the longest run of kind
 * "plateau", else the longest run. Tightness = predicted length / paired run's length, only when
 * they overlap; it is against every step when the run logged every step, else against logged
 * steps (the run's ends are then known only to the logging resolution).
 */
export function pairPlateaus(result: Pick<RunResult, 'predicted' | 'measured'> & Partial<Pick<RunResult, 'targetEffectiveRanks' | 'steps'>>): PlateauPair[] {
  const against = result.steps && logsEveryStep(result.steps) ? 'every step' : 'logged steps';
  const Ls = new Set<number>([...result.predicted.plateaus, ...result.measured.plateaus].map((p) => p.L));
  return [...Ls]
    .sort((a, b) => a - b)
    .map((L) => {
      const predicted = result.predicted.plateaus.find((p) => p.L === L);
      const runs = result.measured.plateaus.filter((p) => p.L === L);
      let measured: Plateau | undefined;
      if (predicted) for (const r of runs) if (overlap(r, predicted) > 0 && (!measured || overlap(r, predicted) > overlap(measured, predicted))) measured = r;
      const paired = measured !== undefined;
      if (!measured) {
        const longest = (list: Plateau[]) => list.reduce<Plateau | undefined>((a, b) => (!a || length(b) > length(a) ? b : a), undefined);
        measured = longest(runs.filter((r) => r.kind !== 'crossing')) ?? longest(runs);
      }
      const tightness = paired && predicted && measured ? length(predicted) / length(measured) : undefined;
      return { L, reference: result.targetEffectiveRanks?.[L - 1] ?? NaN, predicted, measured, runs: runs.length, tightness, against };
    });
}
