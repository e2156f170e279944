import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { findPreset } from '../../../core/presets';
import { denoiseRow } from '../../../core/reproduction/analysis';
import { buildTarget } from '../../../core/targets/buildTarget';

// The early-stopping rule of docs/reproduction.md on the shipped denoising preset: L from the
// noise edge ν = −λ_min(Ŵ) (W* never used), the stop at the geometric middle of L's certified
// plateau; its error is checked against the truncated SVDs computed here from W*.
describe('the early-stopping rule (denoise-early-stopping)', () => {
  it('takes L from the noise edge and stops on its certified plateau, near the best truncated SVD', async () => {
    const spec = findPreset('denoise-early-stopping').specs[0];
    const result = await runExperiment(spec);
    const row = denoiseRow(result);
    const eigenvalues = Array.from(buildTarget(spec).eigenvalues!);
    expect(row.noiseEdge).toBe(-Math.min(...eigenvalues));
    expect(row.signalRank).toBe(eigenvalues.filter((x) => x > row.noiseEdge).length);
    const stop = row.edgeRule!;
    expect(stop.L).toBe(row.signalRank);
    // The longest of L's certified intervals (a level can hold several; the others are fragments
    // where the rank passes the level on its initial drop).
    const plateau = result.predicted.plateaus.filter((p) => p.L === stop.L && p.hypothesesMet).reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    expect(stop.start).toBe(plateau.start);
    expect(stop.step).toBeGreaterThanOrEqual(plateau.start);
    expect(stop.step).toBeLessThanOrEqual(plateau.end);
    expect(stop.error).toBe(result.groundTruthError![result.steps.indexOf(stop.step)]);
    // The stop denoises: well below the error of running to the end, near the best truncated SVD.
    expect(stop.error).toBeLessThan(row.final);
    expect(stop.error / row.bestTruncated.error).toBeLessThanOrEqual(1.25);
  });
});
