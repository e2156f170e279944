import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../core/engine/runExperiment';
import { InputError } from '../../core/errors';
import { comparePanel, compareRuns } from '../../core/figures/compare';
import { fieldLabel, fieldValue } from '../../core/figures/fieldLabels';
import { spreadLabels } from '../../core/figures/linePanel';
import { RUN_PANELS, runGrid, runPanel, runTitle } from '../../core/figures/runFigures';
import { mathText, PAPER_THEME } from '../../core/figures/svg';
import { formatNumber, linearTickLabels, logTickLabels, logTicks, stepTickLabels } from '../../core/figures/ticks';
import { findPreset } from '../../core/presets';
import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';

// core/figures: d3-format ticks in one style per axis, the one table of field names, label
// spreading, comparisons (fields told apart from seeds, groups, bands) and the run panels.

const run = (spec: ExperimentSpec) => runExperiment(spec, { yieldToHost: async () => undefined });

/** The paper's depth preset, shortened (the same dynamics, 1200 steps). */
let depths: { label: string; result: RunResult }[];

beforeAll(async () => {
  const preset = findPreset('paper-identity-depths');
  depths = await Promise.all(preset.specs.map(async (spec) => ({ label: spec.name!, result: await run({ ...spec, steps: 1200 }) })));
});

/** The text of every <text> element whose content matches, with its y. */
function texts(svg: string, pattern: RegExp): { y: number; text: string }[] {
  return [...svg.matchAll(/<text [^>]*y="([\d.-]+)"[^>]*>(.*?)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2].replace(/<[^>]+>/g, '') })).filter((t) => pattern.test(t.text));
}

describe('ticks and numbers (d3-format)', () => {
  it('formats numbers without float noise, one style per magnitude, with a true minus', () => {
    expect(formatNumber(0.07155000001)).toBe('0.0716');
    expect(formatNumber(4000)).toBe('4000');
    expect(formatNumber(1e-4)).toBe('10⁻⁴');
    expect(formatNumber(2.5e-7)).toBe('2.5·10⁻⁷');
    expect(formatNumber(-0.5)).toBe('−0.5');
    expect(formatNumber(7.8123e-6)).toBe('7.81·10⁻⁶');
    expect(formatNumber(250000)).toBe('250,000');
  });

  it('labels a log axis in one style: all decades as 10ⁿ, or all plain, never 0.001 beside 1e-4', () => {
    const wide = logTicks(1e-4, 10);
    expect(logTickLabels(wide)).toEqual(['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰', '10¹']);
    expect(logTickLabels([1, 2, 5, 10, 20])).toEqual(['1', '2', '5', '10', '20']);
    const small = logTickLabels([1e-4, 2e-4, 5e-4, 1e-3]);
    expect(small).toEqual(['10⁻⁴', '2·10⁻⁴', '5·10⁻⁴', '10⁻³']);
    expect(logTickLabels([0.3, 1, 3])).toEqual(['', '1', '']);
  });

  it('labels a linear axis with one precision, from its step', () => {
    expect(linearTickLabels([0, 0.25, 0.5, 0.75])).toEqual(['0.00', '0.25', '0.50', '0.75']);
    expect(linearTickLabels([0, 1000, 2000])).toEqual(['0', '1000', '2000']);
    expect(linearTickLabels([-1, 0, 1])).toEqual(['−1', '0', '1']);
    expect(stepTickLabels([0, 10000, 20000])).toEqual(['0', '10,000', '20,000']);
  });
});

describe('the one table of field names', () => {
  it('names spec fields and sweep columns mathematically, and unknown ones as themselves', () => {
    expect(fieldLabel('depth')).toEqual({ symbol: 'N', name: 'depth N' });
    expect(fieldLabel('init.alpha').symbol).toBe('α');
    expect(fieldLabel('stepSize').symbol).toBe('η');
    expect(fieldValue('init.alpha', '0.1')).toBe('α = 0.1');
    expect(fieldLabel('measured.L1.length').name).toBe('measured ε-plateau length at L = 1 (steps)');
    expect(fieldLabel('stepsTo.i2.theta0.5').name).toBe('first step with σ₂(W(k)) ≥ 0.5·σ₂(Ŵ)');
    expect(fieldLabel('somethingNew')).toEqual({ symbol: 'somethingNew', name: 'somethingNew' });
  });
});

describe('labels in a margin', () => {
  it('keeps the order, a gap between neighbours and the bounds', () => {
    const ys = spreadLabels([100, 101, 150, 99.5], 11, 20, 200);
    const sorted = [...ys].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(11 - 1e-9);
    expect(ys[3]).toBeLessThan(ys[0]);
    expect(ys[0]).toBeLessThan(ys[1]);
    const crowded = spreadLabels([195, 196, 197], 11, 20, 200);
    expect(Math.max(...crowded)).toBeLessThanOrEqual(200);
  });

  it('renders sub- and superscripts as tspans and escapes the rest', () => {
    expect(mathText('‖W − Ŵ_L‖_F^2 <x>')).toBe('‖W − Ŵ<tspan baseline-shift="sub" font-size="75%">L</tspan>‖<tspan baseline-shift="sub" font-size="75%">F</tspan><tspan baseline-shift="super" font-size="75%">2</tspan> &lt;x&gt;');
  });
});

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

describe('run panels', () => {
  it('names every line, titles every axis, says nothing interactive and states the depth once', () => {
    const { label, result } = depths[2];
    for (const p of RUN_PANELS) {
      const svg = runPanel(result, p, PAPER_THEME).body;
      expect(texts(svg, /step k/)).toHaveLength(1);
      expect(svg).not.toMatch(/hover|focus|click/i);
    }
    const sigma = runPanel(result, 'sigma', PAPER_THEME).body;
    for (const name of ['σ₁', 'σ₂', 'σ₃', 'σ₄', 'σ₅…σ₂₀', 'σᵢ(Ŵ), target']) expect(texts(sigma, /./).map((t) => t.text)).toContain(name);
    const erank = runPanel(result, 'erank', PAPER_THEME).body;
    expect(texts(erank, /nuclear rank r\*\(W\(k\)\)/)).toHaveLength(1);
    const distance = runPanel(result, 'distance', PAPER_THEME).body;
    for (const L of [1, 2, 3, 4]) expect(texts(distance, new RegExp(`^L = ${L}$`))).toHaveLength(1);
    // A legend entry for crossings exactly where a run has one (and some run of the preset has).
    const crossings = depths.map((d) => d.result.measured.plateaus.some((p) => p.kind === 'crossing'));
    expect(crossings).toContain(true);
    depths.forEach((d, i) => expect(runPanel(d.result, 'erank', PAPER_THEME).body.includes('crossing (Def. 5.11)'), d.label).toBe(crossings[i]));
    expect(runTitle(label, result)).toBe('N = 3: 20×20, spectral path (float64)');
    expect(runGrid(label, result, PAPER_THEME).body.match(/N = 3/g)).toHaveLength(1);
  });
});
