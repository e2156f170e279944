import { beforeAll, describe, expect, it } from 'vitest';
import { RUN_PANELS, runGrid, runPanel, runTitle } from '../../../core/figures/runFigures';
import { PAPER_THEME } from '../../../core/figures/svg';
import type { RunResult } from '../../../core/result';
import { runDepthPreset, svgTexts } from './fixtures';

// A run's panels: named lines, titled axes, nothing interactive, the depth stated once.

/** The paper's depth preset, shortened (test/core/figures/fixtures.ts). */
let depths: { label: string; result: RunResult }[];

beforeAll(async () => {
  depths = await runDepthPreset();
});

const texts = svgTexts;

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
