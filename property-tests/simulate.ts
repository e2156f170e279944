import { advanceSpectral, productEigenvalues } from '../core/engine/spectralPath';
import { effectiveRankOf } from '../core/rank/effectiveRank';
import type { ExperimentSpec } from '../core/spec/schema';
import { specEigenvalues } from '../core/theory/predictPlateaus';

/** Every step of the exact spectral recursion of a spectrum spec, float64. */
export interface SpectralTrajectory {
  lambda: Float64Array;
  /** The spec's effective-rank measure of W(k), k = 0…steps (until divergence). */
  rank: Float64Array;
  /** Last simulated step (< spec.steps when the run diverged). */
  lastStep: number;
  diverged: boolean;
}

/**
 * Runs the recursion one step at a time, calling `visit(k, w, x)` with the factor and product
 * eigenvalues at every step (components in descending order of λ).
 */
export function simulateSpectral(spec: ExperimentSpec, visit?: (k: number, w: Float64Array, x: Float64Array) => void): SpectralTrajectory {
  const lambda = specEigenvalues(spec)!;
  const w = new Float64Array(lambda.length).fill(spec.init.alpha);
  const rank = new Float64Array(spec.steps + 1);
  const measure = effectiveRankOf[spec.effectiveRank];
  // The entropy rank does not need σ₁ first; the other measures read it first and only sum or
  // count the rest, so the largest is swapped to the front (O(n), no sort).
  const largestFirst = spec.effectiveRank !== 'entropy';
  let lastStep = spec.steps;
  let diverged = false;
  for (let k = 0; k <= spec.steps; k++) {
    if (k > 0) advanceSpectral(w, lambda, spec.stepSize, spec.depth, 1);
    const x = productEigenvalues(w, spec.depth);
    const sigma = Float64Array.from(x, Math.abs);
    if (!sigma.every(Number.isFinite) || sigma.some((s) => s > 1e12)) {
      lastStep = k - 1;
      diverged = true;
      break;
    }
    if (largestFirst) {
      let top = 0;
      for (let i = 1; i < sigma.length; i++) if (sigma[i] > sigma[top]) top = i;
      [sigma[0], sigma[top]] = [sigma[top], sigma[0]];
    }
    rank[k] = measure(sigma);
    visit?.(k, w, x);
  }
  return { lambda, rank: rank.subarray(0, lastStep + 1), lastStep, diverged };
}
