import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import { matrixPathTolerance } from '../../core/theory/float32Tolerance';
import { fail } from './types';

/**
 * Proposition 7.2 on a pair of runs of `spec`: every singular value of the float32 matrix path
 * within the derived tolerance (7.5) of the exact run, at each logged step the tolerance covers
 * (`sigma` the exact path's singular values of the target). Records the share of the run the
 * tolerance covers and each error over its tolerance; returns the tolerance and how far it holds.
 */
export function checkFloat32WithinTolerance(spec: ExperimentSpec, sigma: ArrayLike<number>, exact: RunResult, float32: RunResult, record: (statistic: string, value: number) => void): ReturnType<typeof matrixPathTolerance> {
  const { tolerance, validThrough } = matrixPathTolerance(spec, sigma, exact.steps);
  if (validThrough < spec.steps) record('validFraction', validThrough / spec.steps);
  exact.singularValues.forEach((row, t) =>
    row.forEach((s, i) => {
      if (exact.steps[t] > validThrough) return;
      const err = Math.abs(s - float32.singularValues[t][i]);
      if (!(err <= tolerance[t])) fail(`step ${exact.steps[t]}, σ_${i + 1}: |${s} − ${float32.singularValues[t][i]}| = ${err} > tolerance ${tolerance[t]}`);
      record('error/tolerance', err / tolerance[t]);
    }),
  );
  return { tolerance, validThrough };
}
