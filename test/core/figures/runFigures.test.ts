import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { RUN_PANELS, runGrid, runPanel, runTitle } from '../../../core/figures/runFigures';
import { PAPER_THEME } from '../../../core/figures/svg';
import { findPreset } from '../../../core/presets';
import type { RunResult } from '../../../core/result';
import type { ExperimentSpec } from '../../../core/spec/schema';

// A run's panels: named lines, titled axes, nothing interactive, the depth stated once.

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
