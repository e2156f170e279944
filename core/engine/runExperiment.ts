import { InputError, RunCancelledError } from '../errors';
import type { Accelerators } from '../linalg/accelerators';
import type { DenseMatrix } from '../linalg/dense';
import { effectiveRankOf } from '../rank/effectiveRank';
import { measurePlateaus } from '../plateaus/measurePlateaus';
import type { RunResult, Snapshots, StopReason, TrajectoryPoint } from '../result';
import { divergedAt as stopAt, plainArray, toRunResult, TrajectoryRecorder, type RecordedRun } from '../trajectory/recorder';
import { stepSizeBound } from '../theory/hypotheses';
import { predictionsForTarget } from '../theory/predictPlateaus';
import { MAX_MATRIX_N, MAX_STORED_SINGULAR_VALUES, type ExperimentSpec } from '../spec/schema';
import { buildTargetInPieces } from '../targets/buildTarget';
import type { Target, TargetSources } from '../targets/target';
import type { Dynamics, Observation } from './dynamics';
import { singularValues } from '../linalg/decompositions';
import { logSchedule } from '../trajectory/logSchedule';
import { BlasDynamics } from './blasPath';
import { rankReferences, type RankReferences } from './reference';
import { recursionValues, SpectralDynamics } from './spectralPath';

/** At most this many singular values are stored per logged step (all of them for n ≤ 256). */
export { MAX_STORED_SINGULAR_VALUES } from '../spec/schema';
/** Memory for logged steps waiting for their singular values (float64 snapshots of W(k)). */
const MAX_QUEUED_SNAPSHOT_BYTES = 64 * 1024 * 1024;

export interface RunOptions {
  /** Where file and MNIST targets come from (see TargetSources). */
  sources?: TargetSources;
  /** A prebuilt target (the Lab reuses one across runs). */
  target?: Target;
  signal?: AbortSignal;
  /** Called after each chunk of steps. */
  onProgress?(progress: { step: number; steps: number; loss: number }): void;
  /**
   * Called with each logged step as soon as it is recorded. `view.product()` reads the current
   * product W(k) (float64; O(n²) read-back on the matrix path, O(n³) on the spectral path), for
   * callers that keep snapshots (the Lab's heatmaps).
   */
  onPoint?(point: TrajectoryPoint, view: { product(): DenseMatrix }): void;
  /** Lets the caller's event loop render or handle messages between chunks; default: a macrotask. */
  yieldToHost?: () => Promise<void>;
  /** Wall-clock budget of one chunk of steps between yields (default 30 ms). */
  chunkMilliseconds?: number;
  /** Memory for logged steps waiting for their singular values (default MAX_QUEUED_SNAPSHOT_BYTES). */
  queuedSnapshotBytes?: number;
  /**
   * Accelerated routines built by the platform (node/ builds them from native/): a BLAS runs the
   * matrix path instead of tfjs, a singular value routine computes the logged spectra. None: tfjs
   * and the TypeScript routines.
   */
  accelerators?: Accelerators;
  /**
   * A result always begins with step 0, so by default a cancel that comes while the target and
   * the factors are built (seconds at n = 1024) is honoured after step 0. With `abortSetup`, it
   * stops the setup at its next piece instead and the run rejects with `RunCancelledError`.
   */
  abortSetup?: boolean;
}

/**
 * What ran the products and the logged singular values of a run (`result.engine.blas`, `.lapack`),
 * from the accelerators passed in.
 */
export function engineLibraries(path: 'spectral' | 'matrix', backend: string, accelerators: Accelerators = {}): { blas: string; lapack: string } {
  if (path === 'spectral') return { blas: 'none (spectral path: O(n) per step)', lapack: 'none (spectral path: closed form)' };
  const host = accelerators.blas;
  const svd = accelerators.singularValues;
  return {
    blas: backend === 'native' && host ? host.description : `none (tfjs ${backend})`,
    lapack: svd ? svd.description : 'none (TypeScript Householder bidiagonalization)',
  };
}

/** Which engine runs a spec; `engine: "auto"` takes the exact spectral path whenever it applies. */
export function selectPath(spec: ExperimentSpec, target: Target): 'spectral' | 'matrix' {
  const why: string[] = [];
  // Aligned init reduces any square target (docs/theory.md Theorem 2.2), identity init a symmetric one.
  if (spec.init.kind !== 'identity' && spec.init.kind !== 'aligned') why.push(`init is ${spec.init.kind}`);
  if (spec.init.kind === 'identity' && !target.eigenvalues) why.push('the target is not symmetric');
  if (spec.problem.kind !== 'estimation') why.push(`the problem is ${spec.problem.kind}`);
  if (spec.engine === 'spectral' && why.length > 0)
    throw new InputError(`spec.engine: the spectral path needs identity init and a symmetric target, or aligned init, and the estimation problem, but ${why.join(' and ')}`);
  const path = spec.engine === 'matrix' || why.length > 0 ? 'matrix' : 'spectral';
  if (path === 'matrix' && spec.n > MAX_MATRIX_N)
    throw new InputError(`spec.n: ${spec.n} is too large for the matrix path (at most ${MAX_MATRIX_N}; the spectral path has no such limit)`);
  return path;
}

/**
 * The engine of a spec: the spectral path, or the matrix path on the BLAS passed in, else on tfjs
 * (loaded here, when a run first needs it: the command line on the native BLAS never does).
 */
export async function createDynamics(spec: ExperimentSpec, target: Target, references: RankReferences, accelerators: Accelerators = {}): Promise<Dynamics> {
  if (selectPath(spec, target) === 'spectral') return new SpectralDynamics(target, references, spec.init.alpha, spec.depth, spec.stepSize, spec.init.kind === 'aligned');
  const { blas, singularValues: svd } = accelerators;
  if (blas) return new BlasDynamics(blas, target, references, spec.init, spec.problem, spec.depth, spec.stepSize, svd);
  const { TfjsDynamics } = await import('./tfjsPath');
  return new TfjsDynamics(target, references, spec.init, spec.problem, spec.depth, spec.stepSize, svd);
}

export function stableStepHint(spec: ExperimentSpec, target: Target): string {
  const top = target.eigenvalues?.[0];
  if (top === undefined || !(top > 0)) return '';
  const bound = stepSizeBound(top, spec.depth);
  return spec.stepSize > bound ? ` (step size ${spec.stepSize} is above the bound ${bound.toPrecision(3)} of docs/theory.md (4.1))` : '';
}

// A macrotask: in Node `setImmediate` (it lets I/O and the SVD thread's completions in without
// the ≥ 1 ms clamp of `setTimeout`, which cost up to 4 % of a run that yields after every step).
const defaultYield =
  typeof setImmediate === 'function' ? () => new Promise<void>((resolve) => setImmediate(resolve)) : () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const rowsOf = (data: ArrayLike<number>, n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => data[i * n + j]));

/**
 * The kept products W(k): the requested steps, or for each L ≤ 4 the logged step nearest the
 * middle of the longest measured plateau at erank(Ŵ_L); with Ŵ and Ŵ_L beside them.
 */
function collectSnapshots(result: RecordedRun['head'], kept: Map<number, Float64Array>, target: Target, references: RankReferences): Snapshots {
  const n = result.spec.n;
  const chosen = new Map<number, string>();
  if (result.spec.record?.snapshots === 'plateauMidpoints') {
    const Lmax = Math.min(4, references.values.length);
    for (let L = 1; L <= Lmax; L++) {
      const longest = result.measured.plateaus.filter((p) => p.L === L).sort((a, b) => b.end - b.start - (a.end - a.start))[0];
      if (!longest) continue;
      const middle = (longest.start + longest.end) / 2;
      let best = -1;
      for (const step of kept.keys()) if (step >= longest.start && step <= longest.end && (best < 0 || Math.abs(step - middle) < Math.abs(best - middle))) best = step;
      if (best >= 0 && !chosen.has(best)) chosen.set(best, `midpoint of the L = ${L} plateau ${longest.start}–${longest.end}`);
    }
  } else for (const step of kept.keys()) chosen.set(step, 'requested');
  const steps = [...chosen.keys()].sort((a, b) => a - b);
  const { u, v } = references.columns();
  const bestRank: Snapshots['bestRank'] = [];
  const partial = new Float64Array(n * n);
  for (let l = 0; l < Math.min(4, references.values.length); l++) {
    const s = references.values[l];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) partial[i * n + j] += s * u[l][i] * v[l][j];
    bestRank.push({ L: l + 1, matrix: rowsOf(partial, n) });
  }
  return {
    steps,
    reasons: steps.map((k) => chosen.get(k)!),
    matrices: steps.map((k) => rowsOf(kept.get(k)!, n)),
    target: rowsOf(target.matrix().data, n),
    bestRank,
  };
}

/**
 * Runs one experiment to completion, cancellation or divergence, recording the logged steps.
 * The trajectory up to the stop is always kept.
 */
export async function runExperiment(spec: ExperimentSpec, options: RunOptions = {}): Promise<RunResult> {
  return toRunResult(await recordExperiment(spec, options));
}

/** `runExperiment` with the trajectory left in its typed columns (`dfl run` writes the file from them). */
export async function recordExperiment(spec: ExperimentSpec, options: RunOptions = {}): Promise<RecordedRun> {
  const started = Date.now();
  const yieldToHost = options.yieldToHost ?? defaultYield;
  // Between the long synchronous stages of the setup: let the host deliver a cancel (Ctrl-C, the
  // Lab's Cancel) and, with `abortSetup`, stop there.
  const between = async () => {
    await yieldToHost();
    if (options.abortSetup && options.signal?.aborted) throw new RunCancelledError();
  };
  const target = options.target ?? (await buildTargetInPieces(spec, options.sources ?? {}, between));
  await between();
  if (selectPath(spec, target) === 'matrix') {
    // The lazy parts of a spectrum target (a random orthogonal V, then V diag Vᵀ), one at a time.
    if (target.eigenvalues) target.eigenvectors();
    await between();
    target.matrix();
    await between();
  }
  const references = rankReferences(target, spec.effectiveRank, spec.init.kind === 'aligned');
  await between();
  const dynamics = await createDynamics(spec, target, references, options.accelerators);
  const requested = Array.isArray(spec.record?.snapshots) ? spec.record.snapshots : [];
  const schedule = requested.length > 0 ? [...new Set([...logSchedule(spec.steps, spec.log), ...requested])].sort((a, b) => a - b) : logSchedule(spec.steps, spec.log);
  const keepEveryProduct = spec.record?.snapshots === 'plateauMidpoints';
  const kept = new Map<number, Float64Array>();
  const wantBalancedness = spec.record?.balancedness === true;
  const chunkMs = options.chunkMilliseconds ?? 30;
  const keep = Math.min(spec.n, MAX_STORED_SINGULAR_VALUES);
  const trajectory = new TrajectoryRecorder(keep, effectiveRankOf[spec.effectiveRank], schedule.length);
  const head: RecordedRun['head'] = {
    spec,
    engine: { path: dynamics.path, backend: dynamics.backend, precision: dynamics.precision, ...engineLibraries(dynamics.path, dynamics.backend, options.accelerators) },
    target: { description: target.description, singularValues: Array.from(references.targetSingularValues.subarray(0, keep)) },
    targetEffectiveRanks: references.effectiveRanks,
    predicted: { plateaus: [] },
    measured: { plateaus: [] },
    stopped: { kind: 'completed', reason: 'all steps done', step: spec.steps },
    elapsedSeconds: 0,
  };

  const divergedAt = (step: number, loss: number): StopReason => stopAt(step, loss, stableStepHint(spec, target));

  const accept = (step: number, o: Observation, product: () => DenseMatrix): StopReason | undefined => {
    if (!trajectory.record(step, o)) return divergedAt(step, o.loss);
    if (keepEveryProduct || requested.includes(step)) kept.set(step, Float64Array.from(product().data));
    if (options.onPoint) {
      const point: TrajectoryPoint = {
        step,
        singularValues: plainArray(o.singularValues.subarray(0, keep)),
        effectiveRank: trajectory.effectiveRanks[trajectory.count - 1],
        loss: o.loss,
        distanceToBestRank: plainArray(o.distances),
        groundTruthError: o.groundTruthError,
        ...(o.balancedness ? { balancedness: plainArray(o.balancedness) } : {}),
      };
      options.onPoint(point, { product });
    }
    return undefined;
  };

  // Logged steps whose singular values are still being computed (off the main thread where the
  // routine passed in can: it takes them one after another, overlapping the next steps). A dense
  // stretch of logged steps (log spacing puts ~3/4 of the points in the first tenth of the run)
  // queues up to `maxQueued` snapshots instead of stalling the steps; once the routine is
  // `maxInFlight` behind, a logged step's values are computed here instead, on a core that would
  // otherwise only wait. Points are accepted in step order, and a stop found by one drops the
  // points queued after it.
  const maxQueued = Math.max(1, Math.floor((options.queuedSnapshotBytes ?? MAX_QUEUED_SNAPSHOT_BYTES) / (8 * spec.n * spec.n)));
  const maxInFlight = Math.max(1, Math.floor(maxQueued / 2));
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  let inFlight = 0;
  let dequeued: (() => void) | undefined;
  let lateStop: StopReason | undefined;
  let lateError: { error: unknown } | undefined;
  let observedLoss = NaN;
  /** An exception from a queued point (an `onPoint` that throws) ends the run as it would at once. */
  const rethrowLate = () => {
    if (lateError) throw lateError.error;
  };
  const settle = async (): Promise<StopReason | undefined> => {
    await chain;
    rethrowLate();
    return lateStop;
  };

  const record = async (step: number): Promise<StopReason | undefined> => {
    while (queued >= maxQueued && !lateStop && !lateError) await new Promise<void>((resolve) => (dequeued = resolve));
    rethrowLate();
    if (lateStop) return lateStop;
    const later = dynamics.observeLater?.();
    if (!later) {
      // Points arrive at once: nothing may be queued before this one.
      const earlier = await settle();
      if (earlier) return earlier;
    }
    const o = later ?? dynamics.observe();
    if (wantBalancedness) o.balancedness = dynamics.balancedness();
    observedLoss = o.loss;
    if (!later) return accept(step, o as Observation, () => dynamics.product());
    if (trajectory.diverges(step, o.loss)) return divergedAt(step, o.loss);
    queued++;
    // Started now: the routine computes them one at a time in call order, back to back, while the
    // steps go on; the chain below only accepts the points in step order.
    let computing: Promise<Float64Array>;
    if (inFlight < maxInFlight) {
      inFlight++;
      computing = later.singularValues().finally(() => inFlight--);
    } else computing = new Promise((resolve) => resolve(singularValues(later.product, options.accelerators?.singularValues)));
    computing.catch(() => undefined); // awaited (and rethrown) in the chain
    chain = chain
      .then(async () => {
        if (lateStop || lateError) return;
        const singularValues = await computing;
        lateStop = accept(step, { ...later, singularValues }, () => later.product);
        // A cancel from `onPoint` stops at this point, as it does when points arrive at once.
        if (!lateStop && options.signal?.aborted && step < spec.steps) lateStop = { kind: 'cancelled', reason: 'cancelled by the user', step };
      })
      .catch((error: unknown) => {
        lateError = { error };
      })
      .finally(() => {
        queued--;
        dequeued?.();
      });
    return undefined;
  };

  try {
    let step = 0;
    let stop = await record(0);
    let stepsPerChunk = 1;
    for (let next = 1; next < schedule.length && !stop; next++) {
      const goal = schedule[next];
      while (step < goal && !stop && !lateStop) {
        if (options.signal?.aborted) {
          stop = { kind: 'cancelled', reason: 'cancelled by the user', step };
          break;
        }
        const count = Math.min(stepsPerChunk, goal - step);
        const t0 = Date.now();
        dynamics.advance(count);
        step += count;
        const elapsed = Date.now() - t0;
        // Grow or shrink the chunk towards `chunkMs` of work between yields.
        stepsPerChunk = Math.max(1, Math.round(elapsed < 1 ? stepsPerChunk * 4 : (count * chunkMs) / elapsed));
        rethrowLate();
        if (step < goal) {
          const loss = dynamics.loss();
          if (trajectory.diverges(step, loss)) stop = divergedAt(step, loss);
          options.onProgress?.({ step, steps: spec.steps, loss });
          await yieldToHost();
        }
      }
      if (!stop) {
        // Returns a stop found meanwhile by a queued point.
        stop = await record(step);
        options.onProgress?.({ step, steps: spec.steps, loss: observedLoss });
        if (next % 8 === 0) await yieldToHost();
      }
    }
    // A point still in flight comes first: its step is earlier than any stop found after it.
    stop = (await settle()) ?? stop;
    if (stop) head.stopped = stop;
  } finally {
    await settle().catch(() => undefined);
    dynamics.dispose();
  }

  head.measured.plateaus = measurePlateaus(trajectory.steps, trajectory.effectiveRanks, head.targetEffectiveRanks, spec.epsilon);
  head.predicted = predictionsForTarget(spec, target, head.targetEffectiveRanks.length, recursionValues(spec, target));
  if (spec.record?.snapshots !== undefined) head.snapshots = collectSnapshots(head, kept, target, references);
  head.elapsedSeconds = (Date.now() - started) / 1000;
  return { head, trajectory };
}
