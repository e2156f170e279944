import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors';
import { comparePanel, compareRuns } from '../../../core/figures/compare';
import { PAPER_THEME } from '../../../core/figures/svg';
import { runExperiment } from '../../../core/engine/runExperiment';
import { findPreset } from '../../../core/presets';
import type { RunResult } from '../../../core/result';
import type { ExperimentSpec } from '../../../core/spec/schema';
import { runDepthPreset, svgTexts } from './fixtures';

// Comparisons: the fields that tell runs apart, seeds as bands, one line per group, and refusals.

/** The paper's depth preset, shortened (test/core/figures/fixtures.ts). */
let depths: { label: string; result: RunResult }[];

beforeAll(async () => {
  depths = await runDepthPreset();
});

const texts = svgTexts;
const run = (spec: ExperimentSpec) => runExperiment(spec, { yieldToHost: async () => undefined });

describe('comparisons', () => {
  it('overlays the depth preset: N named in the legend, α (chosen per N) beside it', () => {
    const c = compareRuns(depths);
    expect(c.fields).toEqual(['depth', 'init.alpha']);
    expect(c.seeds).toEqual([]);
    expect(c.groups.map((g) => g.label)).toEqual(['N = 1 (α = 0.001)', 'N = 2 (α = 0.03162)', 'N = 3 (α = 0.1)', 'N = 4 (α = 0.1778)']);
    for (const panel of ['erank', 'sigma'] as const) {
      const svg = comparePanel(c, panel, PAPER_THEME).body;
      for (const g of c.groups) expect(texts(svg, /./).map((t) => t.text)).toContain(g.label);
      // One line per group (erank) or per group and leading singular value (σ₁…σ₄).
      expect((svg.match(/<path d="M[^"]*" fill="none"/g) ?? []).length).toBe(panel === 'erank' ? 4 : 16);
      expect(svg).not.toMatch(/init\.alpha|hover/);
    }
    // Reference labels in the margin never overlap: r*(Ŵ₃) = 1.9 and r*(Ŵ₄) = 2.05 are 11 px apart or more.
    const labels = texts(comparePanel(c, 'erank', PAPER_THEME).body, /^r\*\(Ŵ.\)$/).map((t) => t.y).sort((a, b) => a - b);
    expect(labels).toHaveLength(4);
    for (let i = 1; i < labels.length; i++) expect(labels[i] - labels[i - 1]).toBeGreaterThanOrEqual(11);
  });

  it('draws runs that differ only in a seed as one curve with a min–max band', async () => {
    // Noisy symmetric targets with identity init stay on the exact path; the seed draws the noise.
    const base = findPreset('paper-identity-depths').specs[2];
    const members = await Promise.all(
      [2, 3].flatMap((depth) => [1, 2].map(async (seed) => ({ label: `N${depth}s${seed}`, result: await run({ ...base, n: 12, depth, steps: 400, stepSize: 0.01, target: { kind: 'lowRankPlusNoise', rank: 3, noise: 0.3, seed, symmetric: true } }) }))),
    );
    expect(members.every((m) => m.result.engine.path === 'spectral')).toBe(true);
    const c = compareRuns(members);
    expect(c.fields).toEqual(['depth']);
    expect(c.seeds).toEqual(['target.seed']);
    expect(c.groups.map((g) => [g.label, g.members.length])).toEqual([
      ['N = 2', 2],
      ['N = 3', 2],
    ]);
    const svg = comparePanel(c, 'erank', PAPER_THEME).body;
    expect(svg).toContain('N = 2 (2 seeds)');
    expect(svg).toContain('min–max over seeds (target seed)');
    expect((svg.match(/Z" fill=/g) ?? []).length).toBe(2);
  }, 60_000);

  it('refuses runs that differ in more than two fields, or in none but seeds, in one line', () => {
    const other = { label: 'x', result: { ...depths[0].result, spec: { ...depths[0].result.spec, stepSize: 0.001, epsilon: 0.2 } } };
    expect(() => compareRuns([depths[1], other], 'dfl report --compare')).toThrow(InputError);
    expect(() => compareRuns([depths[1], other], 'dfl report --compare')).toThrow(/differ in 4 fields \(depth, init\.alpha, stepSize, epsilon\)/);
    expect(() => compareRuns([depths[1], { ...depths[1], label: 'copy' }])).toThrow(/differ in no field/);
    expect(() => compareRuns([depths[1]])).toThrow(/two or more/);
  });
});
