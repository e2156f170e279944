import type { Observation } from '../engine/dynamics';
import type { RunResult, StopReason } from '../result';

/** A loss this many times above max(L(0), 1) counts as divergence. */
export const LOSS_BLOW_UP = 1e6;

/** The per-step series of a result, the part a `TrajectoryRecorder` holds. */
export type Series = Pick<RunResult, 'steps' | 'singularValues' | 'singularValuesKept' | 'effectiveRank' | 'loss' | 'distanceToBestRank' | 'groundTruthError' | 'balancedness'>;
type SeriesKey = keyof Series;

/**
 * A run as the engines record it: everything of its result but the per-step series (`head`), and
 * the series in typed columns (`trajectory`). `toRunResult` makes the result; `runResultJson`
 * writes its JSON without making it.
 */
export interface RecordedRun {
  head: Omit<RunResult, SeriesKey>;
  trajectory: TrajectoryRecorder;
}

/** Zeroed float64 arrays of a given length: a recorder's columns come from one. */
export type ColumnArena = (length: number) => Float64Array<ArrayBuffer>;

const ownArrays: ColumnArena = (length) => new Float64Array(length);

/**
 * Zeroed arrays cut from large shared ones: thousands of small arrays of their own (a batch's
 * recorders) cost an allocation and a garbage-collected buffer each. The large arrays live as long
 * as any array cut from them.
 */
export function columnArena(chunkLength = 1 << 16): ColumnArena {
  let chunk: Float64Array<ArrayBuffer> = new Float64Array(0);
  let used = 0;
  return (length) => {
    if (length > chunkLength / 4) return new Float64Array(length);
    if (used + length > chunk.length) {
      chunk = new Float64Array(chunkLength);
      used = 0;
    }
    used += length;
    return chunk.subarray(used - length, used);
  };
}

/**
 * The logged steps of one run in float64 columns, one row per logged step (row-major): the
 * engines' one place that keeps a trajectory and decides divergence. Columns start at the
 * schedule's length and double when a row does not fit, so a logged run holds its numbers once,
 * 8 bytes each, instead of a JavaScript array per row.
 */
export class TrajectoryRecorder {
  /** Logged steps recorded so far. */
  count = 0;
  private capacity: number;
  private stepColumn: Float64Array;
  private singularColumn: Float64Array;
  private rankColumn: Float64Array;
  private lossColumn: Float64Array;
  // Widths known from the first observation (they are the same at every step of a run).
  private distanceWidth = 0;
  private distanceColumn = new Float64Array(0);
  private groundTruthColumn: Float64Array | undefined;
  private balancednessWidth = 0;
  private balancednessColumn: Float64Array | undefined;
  private lossLimit = Infinity;

  /**
   * @param keep singular values stored per step (the largest ones)
   * @param effectiveRank the spec's measure, of all the singular values of a step
   * @param capacity expected logged steps (the log schedule's length)
   */
  constructor(
    readonly keep: number,
    private readonly effectiveRank: (singularValues: Float64Array) => number,
    capacity: number,
    /** Where the columns are carved from (a batch's recorders share a few large arrays); default: their own. */
    private readonly arena: ColumnArena = ownArrays,
  ) {
    this.capacity = Math.max(1, capacity);
    // One block for the four columns every run has (a batch makes thousands of recorders).
    const c = this.capacity;
    const block = arena(c * (3 + keep));
    this.stepColumn = block.subarray(0, c);
    this.rankColumn = block.subarray(c, 2 * c);
    this.lossColumn = block.subarray(2 * c, 3 * c);
    this.singularColumn = block.subarray(3 * c);
  }

  /**
   * Whether the run diverged at a step with this loss (and these singular values): a loss that is
   * not finite or above LOSS_BLOW_UP · max(L(0), 1), a singular value that is not finite. The
   * loss of step 0 sets the limit.
   */
  diverges(step: number, loss: number, singularValues?: Float64Array): boolean {
    if (step === 0) this.lossLimit = LOSS_BLOW_UP * Math.max(loss, 1);
    if (!Number.isFinite(loss) || loss > this.lossLimit) return true;
    if (singularValues) for (let i = 0; i < singularValues.length; i++) if (!Number.isFinite(singularValues[i])) return true;
    return false;
  }

  /** Appends a logged step, unless it diverges: then nothing is kept and the result is false. */
  record(step: number, o: Observation): boolean {
    if (this.diverges(step, o.loss, o.singularValues)) return false;
    if (this.count === 0) this.shape(o);
    if (this.count === this.capacity) this.grow();
    const k = this.count++;
    this.stepColumn[k] = step;
    // Copied by loops: a subarray view per logged step (a batch logs 10⁵ of them) was most of the cost.
    const sigma = o.singularValues;
    const singular = this.singularColumn;
    for (let i = 0, at = k * this.keep; i < this.keep; i++) singular[at + i] = sigma[i];
    this.rankColumn[k] = this.effectiveRank(sigma);
    this.lossColumn[k] = o.loss;
    const distances = o.distances;
    const distanceColumn = this.distanceColumn;
    for (let i = 0, at = k * this.distanceWidth; i < this.distanceWidth; i++) distanceColumn[at + i] = distances[i];
    if (this.groundTruthColumn) this.groundTruthColumn[k] = o.groundTruthError!;
    if (this.balancednessColumn) this.balancednessColumn.set(o.balancedness!, k * this.balancednessWidth);
    return true;
  }

  private shape(o: Observation): void {
    this.distanceWidth = o.distances.length;
    const c = this.capacity;
    const withTruth = o.groundTruthError !== undefined;
    const block = this.arena(c * (this.distanceWidth + (withTruth ? 1 : 0)));
    this.distanceColumn = block.subarray(0, c * this.distanceWidth);
    if (withTruth) this.groundTruthColumn = block.subarray(c * this.distanceWidth);
    if (o.balancedness) {
      this.balancednessWidth = o.balancedness.length;
      this.balancednessColumn = new Float64Array(this.capacity * this.balancednessWidth);
    }
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = (column: Float64Array, width: number) => {
      const next = new Float64Array(this.capacity * width);
      next.set(column);
      return next;
    };
    this.stepColumn = grown(this.stepColumn, 1);
    this.singularColumn = grown(this.singularColumn, this.keep);
    this.rankColumn = grown(this.rankColumn, 1);
    this.lossColumn = grown(this.lossColumn, 1);
    this.distanceColumn = grown(this.distanceColumn, this.distanceWidth);
    if (this.groundTruthColumn) this.groundTruthColumn = grown(this.groundTruthColumn, 1);
    if (this.balancednessColumn) this.balancednessColumn = grown(this.balancednessColumn, this.balancednessWidth);
  }

  get steps(): Float64Array {
    return this.stepColumn.subarray(0, this.count);
  }
  get loss(): Float64Array {
    return this.lossColumn.subarray(0, this.count);
  }
  get effectiveRanks(): Float64Array {
    return this.rankColumn.subarray(0, this.count);
  }
  get groundTruthError(): Float64Array | undefined {
    return this.groundTruthColumn?.subarray(0, this.count);
  }
  /** The kept singular values of logged step k (a view; σ_1 first). */
  singularValuesAt(k: number): Float64Array {
    return this.singularColumn.subarray(k * this.keep, (k + 1) * this.keep);
  }
  /** σ_{i+1} of logged step k (i < keep), read in place. */
  singularValue(k: number, i: number): number {
    return this.singularColumn[k * this.keep + i];
  }
  distancesAt(k: number): Float64Array {
    return this.distanceColumn.subarray(k * this.distanceWidth, (k + 1) * this.distanceWidth);
  }
  balancednessAt(k: number): Float64Array | undefined {
    return this.balancednessColumn?.subarray(k * this.balancednessWidth, (k + 1) * this.balancednessWidth);
  }

  /** The series as a result holds them (plain arrays; the optional ones only when recorded). */
  series(): Series {
    const rows = (at: (k: number) => Float64Array) => Array.from({ length: this.count }, (_, k) => plainArray(at(k)));
    const groundTruth = this.groundTruthError;
    return {
      steps: plainArray(this.steps),
      singularValues: rows((k) => this.singularValuesAt(k)),
      singularValuesKept: this.keep,
      effectiveRank: plainArray(this.effectiveRanks),
      loss: plainArray(this.loss),
      distanceToBestRank: rows((k) => this.distancesAt(k)),
      ...(groundTruth && this.count > 0 ? { groundTruthError: plainArray(groundTruth) } : {}),
      ...(this.balancednessColumn && this.count > 0 ? { balancedness: rows((k) => this.balancednessAt(k)!) } : {}),
    };
  }
}

/** A typed array's numbers as a plain array (a loop: `Array.from` of a typed array is several times slower). */
export function plainArray(values: Float64Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** The stop of a run whose loss blew up at `step`; `hint` says why, where the spec tells (../engine/runExperiment.ts stableStepHint). */
export function divergedAt(step: number, loss: number, hint: string): StopReason {
  return { kind: 'diverged', reason: `loss ${loss.toPrecision(3)} at step ${step}${hint}`, step };
}

/**
 * The result of a recorded run. Its fields come in the order the engines have always written
 * them (the series where the schema lists them, the optional series after `elapsedSeconds`), so
 * result files stay byte for byte the same.
 */
export function toRunResult(run: RecordedRun): RunResult {
  const series = run.trajectory.series();
  const out: Record<string, unknown> = {};
  for (const key of resultKeys(run)) out[key] = key in series ? series[key as SeriesKey] : run.head[key as keyof RecordedRun['head']];
  return out as RunResult;
}

// The order of a result's fields in the files the engines have always written.
const RESULT_KEYS = [
  'spec', 'engine', 'target', 'steps', 'singularValues', 'singularValuesKept', 'effectiveRank', 'loss', 'distanceToBestRank',
  'targetEffectiveRanks', 'predicted', 'measured', 'stopped', 'elapsedSeconds', 'groundTruthError', 'balancedness', 'snapshots', 'preset',
] as const;

const SERIES_KEYS = { steps: 1, singularValues: 1, singularValuesKept: 1, effectiveRank: 1, loss: 1, distanceToBestRank: 1 };

/** The keys of a recorded run's result, in order (see `toRunResult`). */
function resultKeys(run: RecordedRun): readonly string[] {
  const t = run.trajectory;
  return RESULT_KEYS.filter((key) => {
    if (key === 'groundTruthError') return t.groundTruthError !== undefined && t.count > 0;
    if (key === 'balancedness') return t.balancednessAt(0) !== undefined && t.count > 0;
    return key in SERIES_KEYS || run.head[key as keyof RecordedRun['head']] !== undefined;
  });
}

/**
 * The JSON text of `toRunResult(run)`, exactly what `JSON.stringify` makes of it, in pieces of
 * about a row each: a file written from them never holds the whole text, nor the result's
 * arrays, in memory (a run at n = 1000 logged at every step of 5·10⁴ keeps 100 MB of numbers,
 * 272 MB of text).
 */
export function* runResultJson(run: RecordedRun): Generator<string> {
  const t = run.trajectory;
  const row: number[] = [];
  // One reused plain array per row: JSON.stringify writes numbers as the file always had them.
  const rowJson = (values: Float64Array) => {
    row.length = values.length;
    for (let i = 0; i < values.length; i++) row[i] = values[i];
    return JSON.stringify(row);
  };
  function* rows(at: (k: number) => Float64Array): Generator<string> {
    yield '[';
    for (let k = 0; k < t.count; k++) yield (k > 0 ? ',' : '') + rowJson(at(k));
    yield ']';
  }
  function* column(values: Float64Array): Generator<string> {
    // Rows of 4096 numbers at a time.
    yield '[';
    for (let start = 0; start < values.length; start += 4096) {
      const part = rowJson(values.subarray(start, Math.min(values.length, start + 4096)));
      yield (start > 0 ? ',' : '') + part.slice(1, -1);
    }
    yield ']';
  }
  const series: Record<string, () => Generator<string>> = {
    steps: () => column(t.steps),
    singularValues: () => rows((k) => t.singularValuesAt(k)),
    effectiveRank: () => column(t.effectiveRanks),
    loss: () => column(t.loss),
    distanceToBestRank: () => rows((k) => t.distancesAt(k)),
    groundTruthError: () => column(t.groundTruthError!),
    balancedness: () => rows((k) => t.balancednessAt(k)!),
  };
  let first = true;
  for (const key of resultKeys(run)) {
    yield `${first ? '{' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (key === 'singularValuesKept') yield JSON.stringify(t.keep);
    else if (key in series) yield* series[key]();
    else yield JSON.stringify(run.head[key as keyof RecordedRun['head']]);
  }
  yield first ? '{}' : '}';
}
