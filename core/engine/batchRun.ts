import type { Accelerators } from '../linalg/accelerators';
import { singularValues } from '../linalg/decompositions';
import { measurePlateaus } from '../plateaus/measurePlateaus';
import { effectiveRankOf } from '../rank/effectiveRank';
import type { RunResult, StopReason } from '../result';
import { columnArena, divergedAt, toRunResult, TrajectoryRecorder, type RecordedRun } from '../trajectory/recorder';
import type { ExperimentSpec } from '../spec/schema';
import { seedlessBase, seedlessKey } from '../spec/seedlessKey';
import { canonicalJson } from '../sweep/hash';
import { buildTarget } from '../targets/buildTarget';
import type { Target, TargetSources } from '../targets/target';
import { predictionsForTarget } from '../theory/predictPlateaus';
import { logSchedule } from '../trajectory/logSchedule';
import type { Observation } from './dynamics';
import { initialFactors, problemData } from './matrixPath';
import { distancesToBestRank, rankReferences, type RankReferences } from './reference';
import { engineLibraries, MAX_STORED_SINGULAR_VALUES, selectPath, stableStepHint } from './runExperiment';
import { recursionValues, SpectralDynamics, type SpectralScratch } from './spectralPath';

/** Largest n stepped by a batched kernel that names no limit of its own (`BatchKernel.maxN`). */
const MAX_BATCH_N = 64;

/** Specs that take the spectral path whatever their target's numbers are (checked again when built). */
function spectralBySpec(spec: ExperimentSpec): boolean {
  const t = spec.target;
  return (
    spec.engine !== 'matrix' &&
    spec.problem.kind === 'estimation' &&
    (spec.init.kind === 'aligned' || (spec.init.kind === 'identity' && (t.kind === 'spectrum' || (t.kind === 'lowRankPlusNoise' && t.symmetric))))
  );
}

// The canonical JSON of a log setting, by object: the runs of a sweep that differ only in seeds
// share their spec's log object (core/sweep/expand.ts), and every run asks for its batch key.
const logJsons = new WeakMap<object, string>();
function logJson(log: ExperimentSpec['log']): string {
  if (log === null || typeof log !== 'object') return canonicalJson(log);
  let text = logJsons.get(log);
  if (text === undefined) logJsons.set(log, (text = canonicalJson(log)));
  return text;
}

/**
 * The key under which runs can be stepped together by `runBatch` (same schedule of logged steps;
 * for the matrix path also the same n and N, the estimation problem and a batched kernel), or
 * undefined for a run that goes alone through `runExperiment`.
 */
export function batchKey(spec: ExperimentSpec, accelerators: Accelerators = {}): string | undefined {
  const schedule = `[${canonicalJson(spec.steps)},${logJson(spec.log)}]`; // canonicalJson([steps, log])
  if (spectralBySpec(spec)) return `spectral ${schedule}`;
  if (!accelerators.batch || spec.problem.kind !== 'estimation' || spec.engine === 'spectral' || spec.n > (accelerators.batch.maxN ?? MAX_BATCH_N)) return undefined;
  if (spec.target.kind === 'file' || spec.target.kind === 'mnist') return undefined;
  return `matrix ${spec.n} ${spec.depth} ${schedule}`;
}

interface Member {
  spec: ExperimentSpec;
  target: Target;
  references: RankReferences;
  head: RecordedRun['head'];
  trajectory: TrajectoryRecorder;
  stop?: StopReason;
  spectral?: SpectralDynamics;
  /** The shared arrays its spectral observations are written to (spectral members). */
  scratch?: SpectralScratch;
  /** Slot in the matrix group of its (n, N). */
  slot?: { group: MatrixGroup; index: number };
}

interface MatrixGroup {
  n: number;
  depth: number;
  members: Member[];
  factors: Float32Array;
  hats: Float32Array;
  etas: Float64Array;
  active: Uint8Array;
  products: Float64Array;
  singular: Float64Array;
  /** One member's singular values, sorted descending (the recorder copies what it keeps). */
  sorted: Float64Array;
}

export interface BatchOptions {
  sources?: TargetSources;
  signal?: AbortSignal;
  /** Lets the host handle messages (an abort) between logged steps; default: none. */
  yieldToHost?(): Promise<void>;
  /** The batched kernel for matrix-path members and LAPACK for their logged values (node/platform.ts). */
  accelerators?: Accelerators;
  /** Predictions shared across calls (a sweep's groups repeat them); default: one call's own. */
  predictions?: Map<string, ReturnType<typeof predictionsForTarget>>;
}

type TargetPart = Pick<RecordedRun['head'], 'target' | 'targetEffectiveRanks'>;

const targetPart = (spec: ExperimentSpec, target: Target, references: RankReferences): TargetPart => ({
  target: { description: target.description, singularValues: Array.from(references.targetSingularValues.subarray(0, Math.min(spec.n, MAX_STORED_SINGULAR_VALUES))) },
  targetEffectiveRanks: [...references.effectiveRanks],
});

const emptyHead = (spec: ExperimentSpec, { target, targetEffectiveRanks }: TargetPart, engine: RunResult['engine']): RecordedRun['head'] => ({
  spec,
  engine,
  target,
  targetEffectiveRanks,
  predicted: { plateaus: [] },
  measured: { plateaus: [] },
  stopped: { kind: 'completed', reason: 'all steps done', step: spec.steps },
  elapsedSeconds: 0,
});

/** `values` sorted descending, in `into`; LAPACK's come sorted, and then the copy is all. */
function sortedDescending(into: Float64Array, values: Float64Array, offset: number): Float64Array {
  let sorted = true;
  for (let i = 0; i < into.length; i++) {
    into[i] = values[offset + i];
    if (i > 0 && !(into[i - 1] >= into[i])) sorted = false;
  }
  return sorted ? into : into.sort().reverse();
}

/**
 * Runs many experiments with the same schedule of logged steps at once and returns the result
 * of each, in the format and with the numbers of `runExperiment`: spectral members (identity
 * init, symmetric target) are the same float64 recursion (bit for bit the same numbers), matrix
 * members of the same n and N are stepped together by the batched kernel passed in, float32 like
 * the host matrix path (the same step in another summation order, so equal within float32
 * rounding, docs/sweeps.md). Divergence is checked at the logged steps. On abort the results
 * come back with `stopped.kind = "cancelled"`.
 */
export async function runBatch(specs: readonly ExperimentSpec[], options: BatchOptions = {}): Promise<RunResult[]> {
  return (await recordBatch(specs, options)).map(toRunResult);
}

/** `runBatch` with each trajectory left in its typed columns (a sweep measures its rows from them). */
export async function recordBatch(specs: readonly ExperimentSpec[], options: BatchOptions = {}): Promise<RecordedRun[]> {
  const started = Date.now();
  if (specs.length === 0) return [];
  const schedule = logSchedule(specs[0].steps, specs[0].log);
  for (const spec of specs)
    if (spec.steps !== specs[0].steps || logJson(spec.log) !== logJson(specs[0].log)) throw new Error('runBatch: the members must share steps and log');
  const targets = new Map<string, Target>();
  const referenceCache = new Map<string, RankReferences>();
  const kernel = options.accelerators?.batch;
  const groups = new Map<string, MatrixGroup>();
  // What members' heads take from their target and engine, one object per target and engine:
  // results are only read, and thousands of members share a handful.
  const targetParts = new Map<RankReferences, TargetPart>();
  const targetPartOf = (spec: ExperimentSpec, target: Target, references: RankReferences) => {
    let part = targetParts.get(references);
    if (!part) targetParts.set(references, (part = targetPart(spec, target, references)));
    return part;
  };
  let spectralEngine: RunResult['engine'] | undefined;
  let matrixEngine: RunResult['engine'] | undefined;
  // One set of arrays per (n, L) for every spectral member's observations (the recorder copies them).
  const scratches = new Map<string, SpectralScratch>();
  const scratchFor = (n: number, L: number): SpectralScratch => {
    let scratch = scratches.get(`${n} ${L}`);
    if (!scratch) scratches.set(`${n} ${L}`, (scratch = { x: new Float64Array(n), sorted: new Float64Array(n), distances: new Float64Array(L) }));
    return scratch;
  };
  const arena = columnArena();
  const recorder = (spec: ExperimentSpec) => new TrajectoryRecorder(Math.min(spec.n, MAX_STORED_SINGULAR_VALUES), effectiveRankOf[spec.effectiveRank], schedule.length, arena);
  // A sweep's seed variants share their target object (init.seed) or their seedless base
  // (target.seed): the key is written once for each, not once per member.
  const targetKeys = new Map<object, string>();
  const targetKey = (spec: ExperimentSpec, seedless: boolean, by: object): string => {
    let json = targetKeys.get(by);
    if (json === undefined) targetKeys.set(by, (json = canonicalJson(seedless ? { ...spec.target, seed: 0 } : spec.target)));
    return `[${spec.n},${json}]`; // canonicalJson([n, target]): an axis over n shares the target object
  };
  const targetOf = (spec: ExperimentSpec): { target: Target; references: RankReferences } => {
    // Identity init on a spectrum target reads the spectrum alone (docs/theory.md Theorem 2.1: W
    // stays V diag(w) Vᵀ and every logged value is taken in the eigenbasis), so members that
    // differ only in target.seed share one target and its references, eigenvectors never drawn.
    const seedless = spectralBySpec(spec) && spec.init.kind === 'identity' && spec.target.kind === 'spectrum';
    const key = targetKey(spec, seedless, seedless ? seedlessBase(spec) : spec.target);
    let target = targets.get(key);
    if (!target) targets.set(key, (target = buildTarget(spec, options.sources)));
    // One target's references serve every member with it (they are only read).
    const aligned = spec.init.kind === 'aligned';
    let references = referenceCache.get(`${spec.effectiveRank} ${aligned} ${key}`);
    if (!references) referenceCache.set(`${spec.effectiveRank} ${aligned} ${key}`, (references = rankReferences(target, spec.effectiveRank, aligned)));
    return { target, references };
  };
  const members: Member[] = specs.map((spec) => {
    const { target, references } = targetOf(spec);
    const aligned = spec.init.kind === 'aligned';
    if (selectPath(spec, target) === 'spectral') {
      const spectral = new SpectralDynamics(target, references, spec.init.alpha, spec.depth, spec.stepSize, aligned);
      const head = emptyHead(spec, targetPartOf(spec, target, references), (spectralEngine ??= { path: 'spectral', backend: spectral.backend, precision: 'float64', ...engineLibraries('spectral', spectral.backend) }));
      return { spec, target, references, spectral, scratch: scratchFor(spec.n, references.values.length), head, trajectory: recorder(spec) };
    }
    if (!kernel) throw new Error('runBatch: matrix-path members need a batched kernel (accelerators.batch)');
    const gkey = `${spec.n} ${spec.depth}`;
    let group = groups.get(gkey);
    if (!group) groups.set(gkey, (group = { n: spec.n, depth: spec.depth, members: [] } as unknown as MatrixGroup));
    const head = emptyHead(spec, targetPartOf(spec, target, references), (matrixEngine ??= { path: 'matrix', backend: kernel.backend, precision: 'float32', blas: kernel.description, lapack: options.accelerators?.singularValues?.description ?? 'none (TypeScript Householder bidiagonalization)' }));
    const member: Member = { spec, target, references, head, trajectory: recorder(spec) };
    member.slot = { group, index: group.members.length };
    group.members.push(member);
    return member;
  });
  for (const group of groups.values()) {
    const { n, depth } = group;
    const nn = n * n;
    const B = group.members.length;
    group.factors = new Float32Array(B * depth * nn);
    group.hats = new Float32Array(B * nn);
    group.etas = new Float64Array(B);
    group.active = new Uint8Array(B).fill(1);
    group.products = new Float64Array(B * nn);
    group.singular = new Float64Array(B * n);
    group.sorted = new Float64Array(n);
    group.members.forEach((m, b) => {
      initialFactors(m.spec.init, n, depth, m.target).forEach((f, j) => group.factors.set(f.data, (b * depth + j) * nn));
      const problem = problemData(m.spec.problem, m.target);
      group.hats.set(problem.hat, b * nn);
      group.etas[b] = m.spec.stepSize;
    });
  }

  const accept = (m: Member, step: number, o: Observation) => {
    if (m.trajectory.record(step, o)) return;
    m.stop = divergedAt(step, o.loss, stableStepHint(m.spec, m.target));
    if (m.slot) m.slot.group.active[m.slot.index] = 0;
  };

  // The recorder copies an observation's distances at once: one pair of arrays per width serves all.
  const distanceScratches = new Map<number, { distances: Float64Array; uwv: Float64Array }>();
  const distanceScratchFor = (L: number) => {
    let scratch = distanceScratches.get(L);
    if (!scratch) distanceScratches.set(L, (scratch = { distances: new Float64Array(L), uwv: new Float64Array(L) }));
    return scratch;
  };
  const observe = (step: number) => {
    for (const m of members) {
      if (m.stop || !m.spectral) continue;
      accept(m, step, m.spectral.observe(m.scratch));
    }
    for (const g of groups.values()) {
      const ok = kernel!.observe(g.factors, g.hats, g.etas, g.active, g.n, g.depth, g.products, g.singular);
      const { n, products: w, hats: hat } = g;
      const nn = n * n;
      // Member b's product and target start at b·n²; read in place (a view per member and step
      // was most of the garbage of a small-n sweep).
      for (let b = 0; b < g.members.length; b++) {
        const m = g.members[b];
        if (m.stop) continue;
        const at = b * nn;
        let loss = 0;
        for (let i = at; i < at + nn; i++) loss += (w[i] - hat[i]) ** 2;
        loss *= 0.5;
        let groundTruthError: number | undefined;
        if (m.target.groundTruth) {
          const t = m.target.groundTruth().data;
          let e = 0;
          for (let i = 0; i < t.length; i++) e += (w[at + i] - t[i]) ** 2;
          groundTruthError = Math.sqrt(e);
        }
        let finite = true;
        for (let i = at; i < at + nn && finite; i++) finite = Number.isFinite(w[i]);
        const values = !finite
          ? new Float64Array(n).fill(NaN)
          : ok
            ? sortedDescending(g.sorted, g.singular, b * n)
            : singularValues({ rows: n, cols: n, data: w.slice(at, at + nn) }, options.accelerators?.singularValues);
        accept(m, step, { loss, singularValues: values, distances: distancesToBestRank(w, n, m.references, at, distanceScratchFor(m.references.values.length)), groundTruthError });
      }
    }
  };

  let cancelledAt: number | undefined;
  let lastYield = Date.now();
  observe(0);
  let step = 0;
  for (let next = 1; next < schedule.length; next++) {
    if (options.signal?.aborted) {
      cancelledAt = step;
      break;
    }
    const count = schedule[next] - step;
    for (const m of members) if (!m.stop && m.spectral) m.spectral.advance(count);
    for (const g of groups.values()) kernel!.advance(g.factors, g.hats, g.etas, g.active, g.n, g.depth, count);
    step = schedule[next];
    observe(step);
    if (members.every((m) => m.stop)) break;
    if (options.yieldToHost && Date.now() - lastYield > 30) {
      await options.yieldToHost();
      lastYield = Date.now();
    }
  }
  const seconds = (Date.now() - started) / 1000 / members.length;
  // Predictions come from the spectrum, α, N, η and the step count, never from the eigenvectors
  // nor from a Gaussian init's seed (such runs get the reasons only): members that differ only in
  // `target.seed` of a spectrum or `init.seed` (a sweep over seeds) share them (one read-only
  // array), under their seedless key (core/spec/seedlessKey.ts).
  const predictions = options.predictions ?? new Map<string, ReturnType<typeof predictionsForTarget>>();
  const predict = (m: Member) => {
    if (m.spec.target.kind !== 'spectrum') return predictionsForTarget(m.spec, m.target, m.head.targetEffectiveRanks.length, recursionValues(m.spec, m.target));
    const key = seedlessKey(m.spec);
    let p = predictions.get(key);
    if (!p) predictions.set(key, (p = predictionsForTarget(m.spec, m.target, m.head.targetEffectiveRanks.length, recursionValues(m.spec, m.target))));
    return p;
  };
  return members.map((m) => {
    const { head, trajectory, stop, spec, spectral } = m;
    if (stop) head.stopped = stop;
    else if (cancelledAt !== undefined) head.stopped = { kind: 'cancelled', reason: 'cancelled by the user', step: cancelledAt };
    head.measured.plateaus = measurePlateaus(trajectory.steps, trajectory.effectiveRanks, head.targetEffectiveRanks, spec.epsilon);
    head.predicted = predict(m);
    head.elapsedSeconds = seconds;
    spectral?.dispose();
    return { head, trajectory };
  });
}
