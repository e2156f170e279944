import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput, quietly } from '../helpers/cliOutput';
import { fieldLabel } from '../../core/figures/fieldLabels';
import { axisValues, sweepFigures, sweepSummarySchema, type SweepSummary } from '../../core/sweep/phaseDiagram';

// `dfl report DIR` on a sweep folder: a section per sweep with its phase diagrams (the Lab's
// component, webview/plots/phaseDiagramPlot.ts), and with --figures one SVG and one PNG per
// figure of sweepFigures, the SVG holding every drawn cell, the theory and the axis names.

const io = captureOutput();

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-report-sweep-'));
const sweepDir = path.join(dir, 'sweep-out');
let summary: SweepSummary;

beforeAll(async () => {
  expect(existsSync('dist/webview/report.js'), 'the report page is built by npm run build').toBe(true);
  const file = path.join(dir, 's.dfl-sweep.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'report-sweep',
      base: { n: 6, depth: 2, target: { kind: 'spectrum', eigenvalues: [3, 1.5, 0.8], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.05, steps: 600, log: { points: 60 } },
      axes: { depth: [2, 3, 4], 'init.alpha': [0.05, 0.1, 0.2], 'target.seed': { seeds: 2, from: 1 } },
    }),
  );
  expect(await quietly(() => main(['sweep', file, '--out', sweepDir, '--jobs', '1', '--quiet']))).toBe(0);
  summary = sweepSummarySchema.parse(JSON.parse(readFileSync(path.join(sweepDir, 'summary.json'), 'utf8')));
});

const pngSize = (file: string) => {
  const b = readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
};

describe('dfl report on a sweep folder', () => {
  it('writes one SVG and one PNG per figure, each with its drawn cells, theory and axis names', async () => {
    expect(existsSync('/usr/bin/chromium'), 'apt-get install -y chromium').toBe(true);
    const html = path.join(dir, 'sweep.html');
    const figures = path.join(dir, 'figures');
    expect(await main(['report', sweepDir, '--html', html, '--figures', figures])).toBe(0);
    const expected = sweepFigures(summary);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(io.out).toContain('sweep report-sweep: 18/18 runs, axes depth, init.alpha, target.seed');
    const text = readFileSync(html, 'utf8');
    expect(/<script[^>]+src=|<link[^>]+href=/.test(text), 'an external resource').toBe(false);

    const files = readdirSync(figures).sort();
    const svgs = files.filter((f) => f.endsWith('.svg'));
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(files.filter((f) => f.endsWith('.pdf'))).toHaveLength(svgs.length);
    expect(svgs).toHaveLength(expected.length);
    expect(pngs.map((f) => f.replace(/\.png$/, ''))).toEqual(svgs.map((f) => f.replace(/\.svg$/, '')));
    const grid = axisValues(summary.rows, expected[0].x).length * axisValues(summary.rows, expected[0].y!).length;
    expect(grid).toBe(9);
    for (const figure of expected) {
      const name = svgs.find((f) => f.endsWith(`${figure.measure.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.svg`));
      expect(name, `an SVG for ${figure.measure}`).toBeDefined();
      const svg = readFileSync(path.join(figures, name!), 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      // Every cell of the measured heatmap drawn (and of the theory's, where the measure has one).
      expect((svg.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(grid);
      const measuredCells = svg.slice(svg.indexOf('class="sweep-cells"'), svg.indexOf('</g></g>', svg.indexOf('class="sweep-cells"')));
      expect((measuredCells.match(/class="sweep-cell"/g) ?? []).length).toBe(grid);
      // Axis names, the measure's name and the values on the axes.
      // Axes by their names in core's one table (depth N, initial scale α), never the spec path.
      for (const label of ['depth N', 'initial scale α', figure.measure, '0.05', '0.2', `one line per ${fieldLabel(figure.y!).symbol}`]) expect(svg).toContain(`${label}`);
      expect(svg).not.toMatch(/>init\.alpha<|hover/);
      if (/^measured\.L\d+\.length$/.test(figure.measure)) expect(svg).toContain(`theory: ${figure.measure.replace('measured', 'predicted')}`);
      // The line plot: a line or point per value of y.
      expect((svg.match(/<circle /g) ?? []).length).toBeGreaterThan(0);
      const png = pngSize(path.join(figures, name!.replace(/\.svg$/, '.png')));
      expect(png.width).toBeGreaterThan(600);
      expect(png.height).toBeGreaterThan(400);
    }
  });
});
