import { runExperiment } from '../../../core/engine/runExperiment';
import type { RunResult } from '../../../core/result';
import { parseSpec } from '../../../core/spec/parseSpec';
import type { ExperimentSpecInput } from '../../../core/spec/schema';

// The claims tests' runs: tiny identity-init spectrum runs (well under a second each).

/** n = 3, N = 3, λ = (4, 1, 0), α = 0.3, η = 0.02, 400 steps logged every 10: both components learned, one plateau at L = 2. */
export const smallSpec = (overrides: Partial<ExperimentSpecInput> = {}) =>
  parseSpec({ n: 3, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 1] }, init: { kind: 'identity', alpha: 0.3 }, stepSize: 0.02, steps: 400, log: { every: 10 }, ...overrides });

export const smallRun = (overrides: Partial<ExperimentSpecInput> = {}): Promise<RunResult> => runExperiment(smallSpec(overrides));

/**
 * A hand-made result with only what the claim functions read (the spec, the target's singular
 * values, the logged steps and singular values), for cases a real run does not give.
 */
export function handMadeResult(spec: ReturnType<typeof smallSpec>, target: number[], steps: number[], sigma: number[][]): RunResult {
  return { spec, target: { singularValues: target }, steps, singularValues: sigma } as unknown as RunResult;
}
