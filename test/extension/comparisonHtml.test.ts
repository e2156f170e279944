import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../core/engine/runExperiment';
import { findPreset } from '../../core/presets';
import type { RunResult } from '../../core/result';
import { comparisonHtml } from '../../extension/panels/reportHtml';

// The extension's comparison panel (Compare Depths…, a preset of several runs): the runs
// overlaid in one figure whose legend names what varies, under the panel's strict CSP (no
// script, no style attribute), or one line that says why there is no overlay.

let runs: { name: string; result: RunResult }[];

beforeAll(async () => {
  const specs = findPreset('paper-identity-depths').specs.slice(0, 3);
  runs = await Promise.all(specs.map(async (spec, i) => ({ name: `run-${i}.json`, result: await runExperiment({ ...spec, steps: 600 }, { yieldToHost: async () => undefined }) })));
});

describe('the comparison panel', () => {
  it('overlays the runs, naming the field that varies by its symbol', () => {
    const html = comparisonHtml('Depths 1, 2, 3', runs, 'vscode-resource:', 'abc123');
    expect(html).toContain('<figure class="compare-figure" data-compared="depth,init.alpha">');
    for (const label of ['N = 1 (α = 0.001)', 'N = 2 (α = 0.03162)', 'N = 3 (α = 0.1)', 'step k', 'σᵢ(W(k))']) expect(html).toContain(label);
    expect(html).not.toMatch(/<script|\sstyle="/);
    expect(html.indexOf('<figure class="compare-figure"')).toBeLessThan(html.indexOf('<section'));
  });

  it('says in one line why runs that differ in more than two fields are not overlaid', () => {
    const other = { name: 'other.json', result: { ...runs[0].result, spec: { ...runs[0].result.spec, stepSize: 0.001, epsilon: 0.2 } } };
    const html = comparisonHtml('mixed', [runs[1], other], 'vscode-resource:', 'abc123');
    expect(html).not.toContain('<figure class="compare-figure"');
    expect(html).toMatch(/No overlay: this comparison: the results differ in 4 fields/);
  });
});
