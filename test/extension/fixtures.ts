import { runExperiment } from '../../core/engine/runExperiment';
import type { RunResult } from '../../core/result';
import { parseSpec } from '../../core/spec/parseSpec';

/** A small real result (exact spectral path, float64, no tfjs backend needed). */
export async function smallResult(name = 'small N = 3'): Promise<RunResult> {
  const spec = parseSpec({ name, n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [10, 6, 3], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.005, steps: 1500, log: { points: 60 } });
  return runExperiment(spec, { yieldToHost: async () => undefined });
}
