import { batchKey, recordBatch, type BatchOptions } from '../../core/engine/batchRun';
import { recordExperiment } from '../../core/engine/runExperiment';
import { toRunResult, type RecordedRun } from '../../core/trajectory/recorder';
import type { Accelerators } from '../../core/linalg/accelerators';
import { nodeTargetSources, useNodeBackend, type NodeBackend } from '../../node/platform';
import type { RunResult } from '../../core/result';
import type { SweepPoint } from '../../core/sweep/expand';
import { createMeasurer, type Measurer } from '../../core/sweep/measures';
import type { FinishedRun } from '../../core/sweep/runSweep';
import type { MeasureOptions } from '../../core/sweep/schema';
import { pointRow } from '../../core/sweep/summary';
import { canonicalJson } from '../../core/sweep/hash';
import { buildTarget } from '../../core/targets/buildTarget';
import type { Target, TargetSources } from '../../core/targets/target';
import type { ExperimentSpec } from '../../core/spec/schema';

/** What a thread needs to run a group of a sweep: the points, and how to measure and keep them. */
export interface GroupRequest {
  id: number;
  points: SweepPoint[];
  measures: MeasureOptions;
  /** Send each whole result back too (`dfl sweep --results`). */
  keepResults: boolean;
}
export type GroupReply = { id: number; runs: (FinishedRun | undefined)[] } | { id: number; error: string };

let ready: Promise<Accelerators> | undefined;
let readyFor = '';
// One measurer per thread and measure options: its cache of step-count bounds serves every group.
let measurer: { key: string; measure: Measurer } | undefined;
// Predictions shared by the groups this thread runs (bounded: a sweep rarely has this many distinct ones).
const predictions: NonNullable<BatchOptions['predictions']> = new Map();
const MAX_SHARED_PREDICTIONS = 4096;

/** Runs one group of a sweep in this thread (a batch through runBatch, a lone run through runExperiment) and measures its finished runs. */
export async function executeGroup(
  points: SweepPoint[],
  options: { backend: string; baseDir: string; signal: AbortSignal; measures: MeasureOptions; keepResults: boolean },
): Promise<(FinishedRun | undefined)[]> {
  const runs = await recordGroup(points, options);
  const key = JSON.stringify(options.measures);
  if (measurer?.key !== key) measurer = { key, measure: createMeasurer(options.measures) };
  const { measure } = measurer;
  // Rows come from the typed columns; a whole result is made only for `--results`.
  return runs.map((run, i) => (run.head.stopped.kind === 'cancelled' ? undefined : { row: pointRow(points[i], run, measure), ...(options.keepResults ? { result: toRunResult(run) } : {}) }));
}

/** The results of a group's runs, in order; also what `dfl sweep --rerun` replays a run with. */
export async function runGroup(points: readonly Pick<SweepPoint, 'spec'>[], options: { backend: string; baseDir: string; signal?: AbortSignal }): Promise<RunResult[]> {
  return (await recordGroup(points, options)).map(toRunResult);
}

/** `runGroup` with the trajectories in their typed columns. */
async function recordGroup(points: readonly Pick<SweepPoint, 'spec'>[], options: { backend: string; baseDir: string; signal?: AbortSignal }): Promise<RecordedRun[]> {
  if (!ready || readyFor !== options.backend) {
    readyFor = options.backend;
    ready = useNodeBackend(options.backend as NodeBackend);
  }
  const accelerators = await ready;
  const sources = nodeTargetSources(options.baseDir);
  const specs = points.map((p) => p.spec);
  const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));
  if (predictions.size > MAX_SHARED_PREDICTIONS) predictions.clear();
  if (specs.length > 1 || batchKey(specs[0], accelerators) !== undefined) return recordBatch(specs, { sources, signal: options.signal, yieldToHost, accelerators, predictions });
  return [await recordExperiment(specs[0], { sources, signal: options.signal, accelerators, target: sharedTarget(specs[0], sources) })];
}

// Targets shared by the runs this thread runs one at a time. A generated target is a function of
// (n, target) alone and is only read (its lazy parts are computed once, as the Lab's reused target
// is); a sweep over init seeds, α or η repeats one, and its random orthogonal V was an eighth of
// an n = 64 sweep. Targets read from files or MNIST are built for each run, as before.
const targets = new Map<string, Target>();
const MAX_SHARED_TARGETS = 16;
const MAX_SHARED_TARGET_N = 256;

function sharedTarget(spec: ExperimentSpec, sources: TargetSources): Target | undefined {
  if (spec.target.kind === 'file' || spec.target.kind === 'mnist' || spec.n > MAX_SHARED_TARGET_N) return undefined;
  const key = canonicalJson([spec.n, spec.target]);
  let target = targets.get(key);
  if (!target) {
    if (targets.size >= MAX_SHARED_TARGETS) targets.clear();
    targets.set(key, (target = buildTarget(spec, sources)));
  }
  return target;
}
