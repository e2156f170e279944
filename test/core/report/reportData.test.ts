import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors';
import { listPresets } from '../../../core/presets';
import { reportData, reportSweep } from '../../../core/report/reportData';
import type { RunResult } from '../../../core/result';
import { sweepSummarySchema, type SweepSummary } from '../../../core/sweep/phaseDiagram';
import { tinyRun } from '../../helpers/tinyRuns';

// What `dfl report` draws (core/report/reportData.ts): results grouped by preset (or file), each
// group with its preset's words, findings labelled by run, a comparison for a group of runs that
// differ in one or two fields, and sweep folders beside them. Small real runs (n = 3).

const PRESET = 'flow-time-alpha';
let alphaSmall: RunResult;
let alphaLarge: RunResult;
let deeper: RunResult;
beforeAll(async () => {
  [alphaSmall, alphaLarge, deeper] = await Promise.all([
    tinyRun({ name: 'α small', init: { kind: 'identity', alpha: 0.05 } }),
    tinyRun({ name: 'α large', init: { kind: 'identity', alpha: 0.1 } }),
    tinyRun({ depth: 3, stepSize: 0.04, steps: 150 }),
  ]);
});
const fromPreset = (r: RunResult) => ({ ...r, preset: PRESET });

/** A two-run sweep summary (depth 2 and 3) as `dfl sweep` writes it. */
function summary(name?: string): SweepSummary {
  const rows = [2, 3].map((depth, run) => ({ run, hash: String(run).padStart(16, '0'), file: `run-${String(run).padStart(16, '0')}.json`, depth, 'measured.L1.length': 10 * depth }));
  return sweepSummarySchema.parse({ name: name ?? null, total: 2, done: 2, axes: ['depth'], columns: ['run', 'hash', 'file', 'depth', 'measured.L1.length'], rows });
}

describe('reportSweep', () => {
  it('titles a sweep by its name, with an HTML id made of it', () => {
    const sweep = reportSweep('runs/sweep-a', summary('depth scan #2'));
    expect(sweep.title).toBe('depth scan #2');
    expect(sweep.id).toBe('sweep-depth-scan-2');
    expect(sweep.summary.rows).toHaveLength(2);
    expect(sweep.figures.length).toBeGreaterThan(0);
  });

  it('titles an unnamed sweep by the last folder of its path, trailing separators and Windows paths too', () => {
    expect(reportSweep('runs/sweep-a/', summary()).title).toBe('sweep-a');
    expect(reportSweep('C:\\data\\sweep b\\\\', summary()).title).toBe('sweep b');
    expect(reportSweep('C:\\data\\sweep b', summary()).id).toBe('sweep-sweep-b');
  });
});

describe('reportData', () => {
  it('groups results by preset in the order given, with the preset’s description and claim', () => {
    const preset = listPresets().find((p) => p.name === PRESET)!;
    const data = reportData([
      { file: 'out/a.json', result: fromPreset(alphaSmall) },
      { file: 'out/deep.json', result: deeper },
      { file: 'out/b.json', result: fromPreset(alphaLarge) },
    ]);
    expect(data.title).toBe('Deep Factorization Lab — reproduction report');
    expect(data.sections.map((s) => s.id)).toEqual([PRESET, 'deep']);
    const [group, alone] = data.sections;
    expect(group.heading).toBe(PRESET);
    expect(group.description).toBe(preset.description);
    expect(group.claim).toBe(preset.claim);
    expect(group.results.map((r) => r.label)).toEqual(['α small', 'α large']);
    expect(group.results[1].result).toEqual(fromPreset(alphaLarge));
    // A result without a preset is its own section, named by its file; a run without a name is labelled by the file too.
    expect(alone).toMatchObject({ heading: 'deep.json', claim: undefined });
    expect('description' in alone).toBe(false);
    expect(alone.results.map((r) => r.label)).toEqual(['deep']);
    expect(data.sweeps).toBeUndefined();
  });

  it('labels every finding by its run, each run’s findings together and in the order of the runs', () => {
    const data = reportData([
      { file: 'a.json', result: fromPreset(alphaSmall) },
      { file: 'b.json', result: fromPreset(alphaLarge) },
    ]);
    const labels = data.sections[0].findings.map((f) => f.label);
    const small = labels.filter((l) => l.startsWith('α small, '));
    const large = labels.filter((l) => l.startsWith('α large, '));
    expect(small.length + large.length).toBe(labels.length);
    expect(labels).toEqual([...small, ...large]);
    expect(small).toContain('α small, end');
    expect(large).toContain('α large, order of learning');
    // The text is the run's own: the end finding quotes its last step.
    expect(data.sections[0].findings.find((f) => f.label === 'α large, end')?.text).toMatch(/^completed at step 200;/);
  });

  it('compares the runs of a section that differ in one field, naming the field and its values', () => {
    const data = reportData([
      { file: 'a.json', result: fromPreset(alphaSmall) },
      { file: 'b.json', result: fromPreset(alphaLarge) },
    ]);
    expect(data.comparisons).toHaveLength(1);
    const [c] = data.comparisons;
    expect(c).toMatchObject({ id: `${PRESET}-compare`, section: PRESET, members: [[0, 0], [0, 1]] });
    expect(c.heading).toMatch(/^initial scale α: α = 0\.05; α = 0\.1$/);
  });

  it('counts the seeds of a group that repeats a value, and makes no comparison for a single run or runs differing too much', () => {
    const reseeded = { ...alphaSmall, spec: { ...alphaSmall.spec, target: { ...alphaSmall.spec.target, seed: 9 } } };
    const seeds = reportData([
      { file: 'a.json', result: fromPreset(alphaSmall) },
      { file: 'a2.json', result: fromPreset(reseeded) },
      { file: 'b.json', result: fromPreset(alphaLarge) },
    ]);
    expect(seeds.comparisons[0].heading).toContain('(2 seeds)');
    expect(reportData([{ file: 'a.json', result: alphaSmall }]).comparisons).toEqual([]);
    // Depth, step size, steps and α differ: more than two fields, so no overlay (and no error).
    const many = reportData([
      { file: 'a.json', result: fromPreset(alphaLarge) },
      { file: 'd.json', result: fromPreset(deeper) },
    ]);
    expect(many.sections).toHaveLength(1);
    expect(many.comparisons).toEqual([]);
  });

  it('with compareAll, compares every result across sections, or says why it cannot', () => {
    const all = reportData(
      [
        { file: 'a.json', result: alphaSmall },
        { file: 'b.json', result: alphaLarge },
      ],
      [],
      { compareAll: true },
    );
    expect(all.sections).toHaveLength(2);
    expect(all.comparisons).toEqual([{ id: 'compare', heading: expect.stringMatching(/^initial scale α: /), members: [[0, 0], [1, 0]] }]);
    expect(() =>
      reportData(
        [
          { file: 'a.json', result: alphaLarge },
          { file: 'd.json', result: deeper },
        ],
        [],
        { compareAll: true },
      ),
    ).toThrow(InputError);
    expect(() => reportData([{ file: 'a.json', result: alphaLarge }], [], { compareAll: true })).toThrow(/needs two or more results/);
  });

  it('titles a report of sweeps alone by the sweeps, and carries them', () => {
    const sweeps = [reportSweep('x', summary('one')), reportSweep('y', summary('two'))];
    const data = reportData([], sweeps);
    expect(data.title).toBe('Deep Factorization Lab — sweep one, two');
    expect(data.sweeps).toBe(sweeps);
    expect(data.sections).toEqual([]);
    expect(reportData([{ file: 'a.json', result: alphaSmall }], sweeps).title).toBe('Deep Factorization Lab — reproduction report');
  });
});
