import { runBatch } from '../../core/engine/batchRun';
import { runExperiment } from '../../core/engine/runExperiment';
import { tfjsBatchKernel } from '../../core/engine/tfjsBatchKernel';
import type { RunResult } from '../../core/result';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../core/spec/schema';
import { buildTarget } from '../../core/targets/buildTarget';
import { matrixPathTolerance } from '../../core/theory/float32Tolerance';
import { pause, SMOKE, status } from './common';

// (d) A sweep's small runs on the active backend (WebGL in the page): the tfjs batched kernel of
// core/engine/batchRun.ts (one batched matMul per product for the whole group) against the same
// runs one at a time through runExperiment, both on this backend; and the batch's accuracy, each
// member's singular values against the exact float64 path within the derived float32 tolerance
// (docs/theory.md Proposition 7.2), as the Node tests check the native and tfjs kernels.

export interface BatchRow {
  backend: string;
  n: number;
  depth: number;
  steps: number;
  /** Runs stepped together. */
  members: number;
  batchedRunsPerSecond: number;
  /** The first `singleRuns` members one at a time (the loop is slow: a subset). */
  singleRuns: number;
  singleRunsPerSecond: number;
  ratio: number;
  /** max over members and checked logged steps of |σ_batched − σ_exact| / tolerance (≤ 1: within Proposition 7.2). */
  worstToleranceRatio: number;
  checkedSteps: number;
}

const GRID = SMOKE ? { n: 16, depth: 3, steps: 20, members: 4, single: 2 } : { n: 16, depth: 3, steps: 200, members: 64, single: 8 };

/** Identity init (the exact path exists for the accuracy check), α and η varied over the batch. */
function memberSpec(i: number): ExperimentSpec {
  return parseSpec({
    n: GRID.n,
    depth: GRID.depth,
    target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5], seed: 1 },
    init: { kind: 'identity', alpha: 0.1 + 0.002 * (i % 16) },
    stepSize: 0.01 + 0.0005 * Math.floor(i / 16),
    steps: GRID.steps,
    log: { points: 13 },
    engine: 'matrix',
  });
}

function worstRatio(spec: ExperimentSpec, batched: RunResult, exact: RunResult): { worst: number; checked: number } {
  const { tolerance, validThrough } = matrixPathTolerance(spec, buildTarget(spec).eigenvalues!, exact.steps);
  let worst = 0;
  let checked = 0;
  exact.steps.forEach((k, t) => {
    if (k > validThrough) return;
    checked++;
    exact.singularValues[t].forEach((s, i) => (worst = Math.max(worst, Math.abs(s - batched.singularValues[t][i]) / tolerance[t])));
  });
  return { worst, checked };
}

export async function timeBatch(backend: string): Promise<BatchRow> {
  const specs = Array.from({ length: GRID.members }, (_, i) => memberSpec(i));
  const accelerators = { batch: tfjsBatchKernel() };
  status(`batched sweep, ${backend}, ${specs.length} runs…`);
  await runBatch(specs.slice(0, 2), { accelerators }); // shader compilation
  await pause();
  let t0 = performance.now();
  const batched = await runBatch(specs, { accelerators });
  const batchedSeconds = (performance.now() - t0) / 1000;
  await pause();
  status(`the same runs one at a time, ${backend}…`);
  t0 = performance.now();
  for (const spec of specs.slice(0, GRID.single)) await runExperiment(spec);
  const singleSeconds = (performance.now() - t0) / 1000;
  let worst = 0;
  let checkedSteps = 0;
  for (let m = 0; m < specs.length; m++) {
    const exact = await runExperiment({ ...specs[m], engine: 'auto' });
    if (exact.engine.path !== 'spectral' || batched[m].stopped.kind !== 'completed') throw new Error(`member ${m}: ${exact.engine.path} path, batched run ${batched[m].stopped.kind}`);
    const r = worstRatio(specs[m], batched[m], exact);
    worst = Math.max(worst, r.worst);
    checkedSteps += r.checked;
  }
  const batchedRunsPerSecond = specs.length / batchedSeconds;
  const singleRunsPerSecond = GRID.single / singleSeconds;
  return {
    backend,
    n: GRID.n,
    depth: GRID.depth,
    steps: GRID.steps,
    members: specs.length,
    batchedRunsPerSecond,
    singleRuns: GRID.single,
    singleRunsPerSecond,
    ratio: batchedRunsPerSecond / singleRunsPerSecond,
    worstToleranceRatio: worst,
    checkedSteps,
  };
}
