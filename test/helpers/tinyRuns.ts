import { runExperiment } from '../../core/engine/runExperiment';
import type { RunResult } from '../../core/result';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec, ExperimentSpecInput } from '../../core/spec/schema';

// Small real results for the tests of what reads them (export, report, reproduction): n = 3,
// depth 2, spectrum [3, 1], 200 steps on the spectral path, some tens of milliseconds each.

/** The tiny spec, with overrides. */
export function tinySpec(overrides: Partial<ExperimentSpecInput> = {}): ExperimentSpec {
  return parseSpec({
    n: 3,
    depth: 2,
    target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 1 },
    init: { kind: 'identity', alpha: 0.05 },
    stepSize: 0.05,
    steps: 200,
    log: { points: 12 },
    ...overrides,
  });
}

/** Runs the tiny spec (overrides applied) without yielding to a host between chunks. */
export function tinyRun(overrides: Partial<ExperimentSpecInput> = {}): Promise<RunResult> {
  return runExperiment(tinySpec(overrides), { yieldToHost: async () => undefined });
}
