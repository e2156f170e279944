import { beforeAll, describe, expect, it } from 'vitest';
import { seriesFiles } from '../../../core/export/seriesFiles';
import type { RunResult } from '../../../core/result';
import { readF8Npy, toRows } from '../../helpers/npyArrays';
import { tinyRun } from '../../helpers/tinyRuns';

// The logged series as .npy files (docs/replay.md "Every logged series"): each file holds the
// result's own float64 numbers in the shape its index entry says, and the measures other than
// the spec's are recomputed from the logged singular values.

let result: RunResult;
beforeAll(async () => {
  result = await tinyRun({ record: { balancedness: true } });
});

const read = (files: Map<string, Uint8Array>, name: string) => {
  const bytes = files.get(name);
  if (!bytes) throw new Error(`no ${name} among ${[...files.keys()].join(', ')}`);
  return readF8Npy(bytes);
};

/** The measures written from the definitions (docs/theory.md §5), not from core/rank. */
const byHand = {
  entropy: (s: number[]) => {
    const total = s.reduce((a, x) => a + x, 0);
    return Math.exp(-s.reduce((h, x) => (x > 0 ? h + (x / total) * Math.log(x / total) : h), 0));
  },
  stable: (s: number[]) => s.reduce((a, x) => a + x * x, 0) / Math.max(...s) ** 2,
  nuclear: (s: number[]) => s.reduce((a, x) => a + x, 0) / Math.max(...s),
  numerical: (s: number[]) => s.filter((x) => x > 1e-3 * Math.max(...s)).length,
};

describe('seriesFiles', () => {
  it('names one file per series, every named file present and no other', () => {
    const { index, files } = seriesFiles(result);
    const named = [
      index.series.loss,
      index.series.effectiveRank,
      index.series.distanceToBestRank,
      index.series.targetEffectiveRanks,
      index.series.targetSingularValues,
      index.series.balancedness,
      ...Object.values(index.series.measures),
      index.plateaus.measuredFile,
      index.plateaus.predictedFile,
    ];
    expect(new Set(named)).toEqual(new Set(files.keys()));
    expect(index.series.groundTruthError).toBeUndefined();
    expect(index.series.measures.entropy).toBe('effective-rank.npy');
    expect(Object.keys(index.series.measures).sort()).toEqual(['entropy', 'nuclear', 'numerical', 'stable']);
    expect(index.measure).toBe('entropy');
    expect(index.stopped).toEqual(result.stopped);
  });

  it('writes each series as the exact float64 numbers of the result, one row per logged step', () => {
    const { index, files } = seriesFiles(result);
    const points = result.steps.length;
    const loss = read(files, index.series.loss);
    expect(loss.shape).toEqual([points]);
    expect(loss.values).toEqual(result.loss);
    expect(read(files, index.series.effectiveRank).values).toEqual(result.effectiveRank);
    const distance = read(files, index.series.distanceToBestRank);
    expect(distance.shape).toEqual([points, 2]);
    expect(toRows(distance.values, 2)).toEqual(result.distanceToBestRank);
    const balancedness = read(files, index.series.balancedness!);
    expect(balancedness.shape).toEqual([points, 1]);
    expect(toRows(balancedness.values, 1)).toEqual(result.balancedness);
    expect(read(files, index.series.targetEffectiveRanks).values).toEqual(result.targetEffectiveRanks);
    const target = read(files, index.series.targetSingularValues);
    expect(target.shape).toEqual([3]);
    expect(target.values).toEqual([3, 1, 0]);
  });

  it('computes the other measures per step from the logged singular values', () => {
    const { index, files } = seriesFiles(result);
    for (const m of ['stable', 'nuclear', 'numerical'] as const) {
      const values = read(files, index.series.measures[m]!).values;
      expect(values).toHaveLength(result.steps.length);
      values.forEach((v, t) => expect(v).toBeCloseTo(byHand[m](result.singularValues[t]), 12));
    }
    // The spec's measure is the logged series itself; it agrees with the definition too.
    result.effectiveRank.forEach((v, t) => expect(v).toBeCloseTo(byHand.entropy(result.singularValues[t]), 12));
  });

  it('follows the spec measure: effective-rank.npy is the stable rank of a run that logs it', async () => {
    const stable = await tinyRun({ effectiveRank: 'stable' });
    const { index, files } = seriesFiles(stable);
    expect(index.measure).toBe('stable');
    expect(index.series.measures.stable).toBe('effective-rank.npy');
    expect(files.has('rank-stable.npy')).toBe(false);
    const entropy = read(files, index.series.measures.entropy!).values;
    entropy.forEach((v, t) => expect(v).toBeCloseTo(byHand.entropy(stable.singularValues[t]), 12));
  });

  it('writes no other measure when the result keeps fewer singular values than n', () => {
    const truncated: RunResult = { ...result, singularValuesKept: 2, singularValues: result.singularValues.map((row) => row.slice(0, 2)) };
    const { index, files } = seriesFiles(truncated);
    expect(index.series.measures).toEqual({ entropy: 'effective-rank.npy' });
    expect([...files.keys()].some((name) => name.startsWith('rank-'))).toBe(false);
  });

  it('writes the error to W* when the target has one, and leaves out a balancedness of the wrong length', async () => {
    const noisy = await tinyRun({ target: { kind: 'lowRankPlusNoise', rank: 1, noise: 0.1, seed: 3 } });
    expect(noisy.groundTruthError).toBeDefined();
    const { index, files } = seriesFiles({ ...noisy, balancedness: [[0]] });
    expect(read(files, index.series.groundTruthError!).values).toEqual(noisy.groundTruthError);
    expect(index.series.balancedness).toBeUndefined();
    expect(files.has('balancedness.npy')).toBe(false);
  });

  it('tabulates the plateaus: kind crossing 1, plateau 0, unrecorded NaN; hypothesesMet 1 or 0', () => {
    const withPlateaus: RunResult = {
      ...result,
      measured: {
        plateaus: [
          { L: 1, start: 3, end: 8, epsilon: 0.1, kind: 'crossing' },
          { L: 2, start: 40, end: 200, epsilon: 0.1, kind: 'plateau' },
          { L: 3, start: 5, end: 6, epsilon: 0.2 },
        ],
      },
      predicted: { plateaus: [{ L: 2, start: 30, end: 190, epsilon: 0.05, hypothesesMet: true }, { L: 1, start: 1, end: 2, epsilon: 0.5, hypothesesMet: false }], notMet: ['x'], missing: [{ L: 3, reason: 'y' }] },
    };
    const { index, files } = seriesFiles(withPlateaus);
    expect(index.plateaus.columns).toEqual({ measured: ['L', 'start', 'end', 'epsilon', 'crossing'], predicted: ['L', 'start', 'end', 'epsilon', 'hypothesesMet'] });
    const measured = read(files, index.plateaus.measuredFile);
    expect(measured.shape).toEqual([3, 5]);
    expect(toRows(measured.values, 5)).toEqual([
      [1, 3, 8, 0.1, 1],
      [2, 40, 200, 0.1, 0],
      [3, 5, 6, 0.2, NaN],
    ]);
    const predicted = read(files, index.plateaus.predictedFile);
    expect(toRows(predicted.values, 5)).toEqual([
      [2, 30, 190, 0.05, 1],
      [1, 1, 2, 0.5, 0],
    ]);
    expect(index.plateaus.measured).toBe(withPlateaus.measured.plateaus);
    expect(index.plateaus.notMet).toEqual(['x']);
    expect(index.plateaus.missing).toEqual([{ L: 3, reason: 'y' }]);
  });

  it('writes empty plateau tables as shape (0, 5) and leaves out absent missing and notMet', () => {
    const { index, files } = seriesFiles({ ...result, measured: { plateaus: [] }, predicted: { plateaus: [] } });
    expect(read(files, index.plateaus.measuredFile).shape).toEqual([0, 5]);
    expect(read(files, index.plateaus.predictedFile).shape).toEqual([0, 5]);
    expect('missing' in index.plateaus).toBe(false);
    expect('notMet' in index.plateaus).toBe(false);
  });
});
