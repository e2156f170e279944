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
export function logsEveryStep(steps: ArrayLike<number>): boolean {
  for (let i = 0; i < steps.length; i++) if (steps[i] !== i) return false;
  return true;
}

/**
 * The one pairing rule (docs/theory.md §5.5). A level can hold several certified intervals (the
 * rank can leave it and come back), so for each L: every predicted interval that overlaps a
 * measured run is a row, paired with the run it overlaps most; when none does, one row as for a
 * single interval: the longest prediction beside the longest run of kind "plateau", else the
 * longest run. Tightness = predicted length / paired run's length, only when they overlap; it is
 * against every step when the run logged every step, else against logged steps (the run's ends
 * are then known only to the logging resolution). Rows come by L, then by step.
 */
export function pairPlateaus(result: Pick<RunResult, 'predicted' | 'measured'> & Partial<Pick<RunResult, 'targetEffectiveRanks'>> & { steps?: ArrayLike<number> }): PlateauPair[] {
  const against = result.steps && logsEveryStep(result.steps) ? 'every step' : 'logged steps';
  const Ls = new Set<number>([...result.predicted.plateaus, ...result.measured.plateaus].map((p) => p.L));
  const longest = <T extends { start: number; end: number }>(list: T[]) => list.reduce<T | undefined>((a, b) => (!a || length(b) > length(a) ? b : a), undefined);
  return [...Ls]
    .sort((a, b) => a - b)
    .flatMap((L) => {
      const reference = result.targetEffectiveRanks?.[L - 1] ?? NaN;
      const predictions = result.predicted.plateaus.filter((p) => p.L === L).sort((a, b) => a.start - b.start);
      const runs = result.measured.plateaus.filter((p) => p.L === L);
      const rows: PlateauPair[] = [];
      for (const predicted of predictions) {
        let measured: Plateau | undefined;
        for (const r of runs) if (overlap(r, predicted) > 0 && (!measured || overlap(r, predicted) > overlap(measured, predicted))) measured = r;
        if (measured) rows.push({ L, reference, predicted, measured, runs: runs.length, tightness: length(predicted) / length(measured), against });
      }
      if (rows.length > 0) return rows;
      const measured = longest(runs.filter((r) => r.kind !== 'crossing')) ?? longest(runs);
      return [{ L, reference, predicted: longest(predictions), measured, runs: runs.length, tightness: undefined, against }];
    });
}

/**
 * One row per L where a view has room for one (a sweep's columns, the paper tables): the row
 * with the longest predicted interval, else the only row.
 */
export function primaryPairs(pairs: readonly PlateauPair[]): Map<number, PlateauPair> {
  const out = new Map<number, PlateauPair>();
  for (const p of pairs) {
    const seen = out.get(p.L);
    if (!seen || (p.predicted && (!seen.predicted || length(p.predicted) > length(seen.predicted)))) out.set(p.L, p);
  }
  return out;
}
