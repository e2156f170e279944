import { InputError } from '../errors';
import { initialFactors, problemData } from '../engine/matrixPath';
import { parseRunResult } from '../result';
import type { RunResult } from '../result';
import { buildTarget } from '../targets/buildTarget';
import { encodeNpy } from '../targets/files/npyWriter';
import type { TargetSources } from '../targets/target';
import { seriesFiles, type SeriesIndex } from './seriesFiles';

/**
 * The export contract of docs/replay.md: `index.json` names the files, every array is float64,
 * little-endian, C order. The product is W_N ⋯ W_1 (W1.npy first); the loss is
 * ½‖A(W) − A(Ŵ)‖² (sensing, A(X)_i = Σ_jk A[i,j,k] X[j,k]), ½‖mask ∘ (W − Ŵ)‖² (completion) or
 * ½‖W − Ŵ‖² (estimation), with plain gradient descent on every factor.
 */
interface ReplayIndex extends SeriesIndex {
  spec: RunResult['spec'];
  /** Which engine produced the logged values (information for the replaying side). */
  engine: RunResult['engine'];
  files: {
    target: string;
    initialFactors: string[];
    operator?: string;
    mask?: string;
    steps: string;
    singularValues: string;
    /** W(k) at the steps of `snapshotSteps` (k×n×n), when the run recorded them. */
    snapshots?: string;
    snapshotSteps?: string;
  };
}

export interface ReplayFiles {
  index: ReplayIndex;
  /** File name → bytes, every name of `index.files`. */
  files: Map<string, Uint8Array>;
}

/** A parsed result JSON as a RunResult (core/result.ts) whose trajectory can be replayed: rows as long as the steps, steps increasing. */
export function parseReplayableResult(input: unknown, source: string): RunResult {
  const result = parseRunResult(input, source);
  const { steps, singularValues } = result;
  if (singularValues.length !== steps.length) throw new InputError(`${source}: result.singularValues has ${singularValues.length} rows for ${steps.length} steps`);
  const width = singularValues[0]?.length ?? 0;
  const bad = singularValues.findIndex((row) => row.length !== width);
  if (bad >= 0) throw new InputError(`${source}: result.singularValues[${bad}] has ${singularValues[bad].length} values, row 0 has ${width}`);
  for (let i = 1; i < steps.length; i++) if (steps[i] <= steps[i - 1]) throw new InputError(`${source}: result.steps is not increasing at index ${i}`);
  return result;
}

/**
 * Everything needed to replay a run, regenerated from its spec: the same target, initial factors
 * and sensing operator or completion mask the engine used (same seeds, same random stream,
 * core/random.ts). The operator and the mask are the float32 numbers the engine multiplied by,
 * widened exactly to float64. Checks that the regenerated target has the singular values the
 * result recorded, so a result from a different target (or code) is refused, not exported wrong.
 */
export function replayFiles(result: RunResult, sources: TargetSources, source = 'result'): ReplayFiles {
  const { spec } = result;
  const n = spec.n;
  const target = buildTarget(spec, sources);
  const recorded = result.target.singularValues;
  const hat = target.matrix();
  // The recorded singular values against those of the regenerated target.
  const scale = Math.max(recorded[0] ?? 0, 1e-300);
  let hatNorm = 0;
  for (const x of hat.data) hatNorm += x * x;
  let recordedNorm = 0;
  for (const s of recorded) recordedNorm += s * s;
  // Only n ≤ 256 runs keep every singular value; compare ‖Ŵ‖_F when they are all there.
  if (recorded.length === n && Math.abs(Math.sqrt(hatNorm) - Math.sqrt(recordedNorm)) > 1e-9 * Math.max(scale, Math.sqrt(hatNorm)))
    throw new InputError(`${source}: the target regenerated from result.spec is not the one the run used (‖Ŵ‖_F ${Math.sqrt(hatNorm).toPrecision(6)} against ${Math.sqrt(recordedNorm).toPrecision(6)})`);

  const logged = seriesFiles(result);
  const files = logged.files;
  const index: ReplayIndex = { spec, engine: result.engine, files: { target: 'target.npy', initialFactors: [], steps: 'steps.npy', singularValues: 'sv.npy' }, ...logged.index };
  files.set('target.npy', encodeNpy(hat.data, [n, n]));
  initialFactors(spec.init, n, spec.depth, target).forEach((factor, j) => {
    const name = `W${j + 1}.npy`;
    index.files.initialFactors.push(name);
    files.set(name, encodeNpy(factor.data, [n, n]));
  });
  if (spec.problem.kind !== 'estimation') {
    const problem = problemData(spec.problem, target);
    if (problem.kind === 'sensing') {
      index.files.operator = 'A.npy';
      files.set('A.npy', encodeNpy(problem.operator, [problem.measurements, n, n]));
    } else if (problem.kind === 'completion') {
      index.files.mask = 'mask.npy';
      files.set('mask.npy', encodeNpy(problem.mask, [n, n]));
    }
  }
  files.set('steps.npy', encodeNpy(result.steps, [result.steps.length]));
  const width = result.singularValues[0]?.length ?? 0;
  files.set('sv.npy', encodeNpy(result.singularValues.flat(), [result.singularValues.length, width]));
  const snapshots = result.snapshots;
  if (snapshots && snapshots.steps.length > 0) {
    index.files.snapshots = 'snapshots.npy';
    index.files.snapshotSteps = 'snapshot-steps.npy';
    files.set('snapshots.npy', encodeNpy(snapshots.matrices.flat(2), [snapshots.steps.length, n, n]));
    files.set('snapshot-steps.npy', encodeNpy(snapshots.steps, [snapshots.steps.length]));
  }
  return { index, files };
}
