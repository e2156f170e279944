import { describe, expect, it } from 'vitest';
import { defaultFigure, linePlot, sweepFigures, phaseDiagram, sweepSummarySchema, type SweepSummary } from '../../../core/sweep/phaseDiagram';
import { parseHostMessage, parseWebviewMessage } from '../../../core/protocol/messages';

const hash = (i: number) => i.toString(16).padStart(16, '0');
// depth × alpha × seed: the length is depth·100 + alpha·1000 + seed (so means over seeds are known).
function summary(): SweepSummary {
  const rows = [];
  let run = 0;
  for (const depth of [2, 3])
    for (const alpha of [0.1, 0.2, 0.05])
      for (const seed of [1, 2, 3]) {
        rows.push({ run, hash: hash(run), file: `run-${hash(run)}.json`, depth, 'init.alpha': alpha, 'target.seed': seed, 'measured.L1.length': depth * 100 + alpha * 1000 + seed, 'predicted.L1.length': depth * 100 + alpha * 1000, diverged: seed === 3 && depth === 3, stepSizeRatio: alpha * 5 });
        run++;
      }
  return sweepSummarySchema.parse({ name: 't', total: run, done: run, axes: ['depth', 'init.alpha', 'target.seed'], columns: ['run', 'hash', 'file', 'depth', 'init.alpha', 'target.seed', 'measured.L1.length', 'predicted.L1.length', 'diverged', 'stepSizeRatio'], rows });
}

describe('phaseDiagram', () => {
  it('aggregates every row of a cell over the other axes (seeds), with the theory beside it', () => {
    const d = phaseDiagram(summary(), { x: 'init.alpha', y: 'depth', measure: 'measured.L1.length' });
    expect(d.x.values.map((v) => v.value)).toEqual([0.05, 0.1, 0.2]);
    expect(d.y.values.map((v) => v.value)).toEqual([2, 3]);
    const cell = d.cells[1][2]; // depth 3, alpha 0.2
    expect(cell).toMatchObject({ mean: 300 + 200 + 2, min: 501, max: 503, count: 3, rows: 3 });
    expect(cell.runs.map((r) => r.run)).toEqual([12, 13, 14]);
    expect(d.theory?.column).toBe('predicted.L1.length');
    expect(d.theory?.cells[1][2].mean).toBe(500);
  });
  it('holds fixed axes fixed and counts booleans as fractions', () => {
    const d = phaseDiagram(summary(), { x: 'init.alpha', y: 'depth', measure: 'diverged', fixed: { 'target.seed': 3 } });
    expect(d.cells.map((row) => row.map((c) => c.mean))).toEqual([[0, 0, 0], [1, 1, 1]]);
    expect(d.theory).toMatchObject({ column: 'stepSizeRatio', kind: 'contour', level: 1 });
  });
  it('names what is wrong with an axis or a measure', () => {
    expect(() => phaseDiagram(summary(), { x: 'init.alpah', y: 'depth', measure: 'diverged' })).toThrow(/x: "init.alpah" is not an axis of this sweep \(axes: depth, init.alpha, target.seed\)/);
    expect(() => phaseDiagram(summary(), { x: 'depth', y: 'depth', measure: 'diverged' })).toThrow(/two different axes/);
    expect(() => phaseDiagram(summary(), { x: 'depth', y: 'init.alpha', measure: 'depth' })).toThrow(/measure: "depth" is not a measure/);
  });
  it('draws one line per value of a third axis with the spread over seeds', () => {
    const p = linePlot(summary(), { x: 'init.alpha', line: 'depth', measure: 'measured.L1.length' });
    expect(p.lines.map((l) => l.value?.value)).toEqual([2, 3]);
    expect(p.lines[0].points.map((c) => [c.min, c.mean, c.max])).toEqual([[251, 252, 253], [301, 302, 303], [401, 402, 403]]);
    expect(p.theory?.lines[0].points.map((c) => c.mean)).toEqual([250, 300, 400]);
    const one = linePlot(summary(), { x: 'depth', measure: 'measured.L1.length' });
    expect(one.lines).toHaveLength(1);
    expect(one.lines[0].points.map((c) => c.rows)).toEqual([9, 9]);
  });
  it('picks a default figure: two varied axes and a plateau length', () => {
    expect(defaultFigure(summary())).toEqual({ x: 'depth', y: 'init.alpha', measure: 'measured.L1.length' });
  });
  it('lists the figures a report draws: the varied plateau lengths and divergence over the first two axes', () => {
    expect(sweepFigures(summary())).toEqual([
      { x: 'depth', y: 'init.alpha', measure: 'measured.L1.length' },
      { x: 'depth', y: 'init.alpha', measure: 'diverged' },
    ]);
  });
  it('travels in the one message protocol', () => {
    expect(parseHostMessage({ type: 'sweep', title: 'out', summary: summary() })).toMatchObject({ type: 'sweep' });
    expect(() => parseHostMessage({ type: 'sweep', title: 'out', summary: { ...summary(), rows: [{ run: 0, hash: 'x', file: 'a' }] } })).toThrow(/summary\.rows\[0\]\.hash/);
    expect(parseWebviewMessage({ type: 'openSweepRun', file: `run-${hash(3)}.json` })).toMatchObject({ file: 'run-0000000000000003.json' });
    expect(() => parseWebviewMessage({ type: 'openSweepRun', file: '../secret.json' })).toThrow(/file/);
  });
});
