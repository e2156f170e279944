import type { RunResult, TrajectoryPoint } from '../../core/result';

/** At most this many singular values are plotted (the largest); results keep up to 256. */
export const MAX_PLOTTED_SINGULAR_VALUES = 128;
/** At most this many distances ‖W − Ŵ_L‖ are plotted (L = 1…). */
export const MAX_PLOTTED_DISTANCES = 8;

/** Log-scale plots cannot show values ≤ 0: those become gaps. */
function positive(x: number): number | null {
  return x > 0 && Number.isFinite(x) ? x : null;
}

/**
 * The recorded trajectory as plot columns (uPlot's aligned data: x first, one array per series,
 * `null` for a gap), appended point by point while a run streams, plus the W(k) snapshots.
 */
export class TrajectoryStore {
  readonly steps: number[] = [];
  readonly sigma: (number | null)[][];
  readonly erank: number[] = [];
  readonly loss: (number | null)[] = [];
  readonly distance: (number | null)[][];
  readonly groundTruth: (number | null)[] = [];
  hasGroundTruth = false;
  /** Full points, for exports and readouts. */
  readonly points: TrajectoryPoint[] = [];
  readonly snapshots = new Map<number, Float32Array>();
  /** Increases on every change (the charts redraw when it moved). */
  version = 0;

  constructor(
    readonly sigmaCount: number,
    readonly distanceCount: number,
  ) {
    this.sigma = Array.from({ length: sigmaCount }, () => []);
    this.distance = Array.from({ length: distanceCount }, () => []);
  }

  static forResult(result: RunResult): TrajectoryStore {
    const store = new TrajectoryStore(
      Math.min(result.singularValuesKept, MAX_PLOTTED_SINGULAR_VALUES),
      Math.min(result.targetEffectiveRanks.length, MAX_PLOTTED_DISTANCES),
    );
    result.steps.forEach((step, i) =>
      store.push({
        step,
        singularValues: result.singularValues[i],
        effectiveRank: result.effectiveRank[i],
        loss: result.loss[i],
        distanceToBestRank: result.distanceToBestRank[i],
        groundTruthError: result.groundTruthError?.[i],
      }),
    );
    return store;
  }

  get length(): number {
    return this.steps.length;
  }

  push(point: TrajectoryPoint): void {
    this.points.push(point);
    this.steps.push(point.step);
    for (let i = 0; i < this.sigmaCount; i++) this.sigma[i].push(positive(point.singularValues[i] ?? 0));
    this.erank.push(point.effectiveRank);
    this.loss.push(positive(point.loss));
    for (let l = 0; l < this.distanceCount; l++) this.distance[l].push(positive(point.distanceToBestRank[l] ?? 0));
    if (point.groundTruthError !== undefined) this.hasGroundTruth = true;
    this.groundTruth.push(point.groundTruthError === undefined ? null : positive(point.groundTruthError));
    this.version++;
  }

  addSnapshot(step: number, data: Float32Array): void {
    this.snapshots.set(step, data);
    this.version++;
  }

  /** Index of the logged step nearest to `step`. */
  indexOf(step: number): number {
    const s = this.steps;
    if (s.length === 0) return -1;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && Math.abs(s[lo - 1] - step) <= Math.abs(s[lo] - step) ? lo - 1 : lo;
  }

  /** The snapshot at or before `step` (the latest one not after it), if any. */
  snapshotAt(step: number): { step: number; data: Float32Array } | undefined {
    let best: number | undefined;
    for (const k of this.snapshots.keys()) if (k <= step && (best === undefined || k > best)) best = k;
    return best === undefined ? undefined : { step: best, data: this.snapshots.get(best)! };
  }
}
