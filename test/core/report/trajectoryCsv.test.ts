import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { trajectoryCsv } from '../../../core/report/trajectoryCsv';
import type { RunResult } from '../../../core/result';
import { parseSpec } from '../../../core/spec/parseSpec';

// The trajectory CSV of the Lab's export and the extension's Export Results…: a row per logged
// step, the columns the header names, non-finite values as empty cells.

let result: RunResult;

beforeAll(async () => {
  result = await runExperiment(
    parseSpec({ n: 4, depth: 3, target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.01, seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 60, log: { every: 20 }, effectiveRank: 'stable' }),
  );
});

const lines = (text: string) => text.trimEnd().split('\n').map((l) => l.split(','));

describe('trajectoryCsv', () => {
  it('has a row per logged step with the step, loss, effective rank, every kept σ, the distances and the ground-truth error', () => {
    const rows = lines(trajectoryCsv(result));
    const k = result.singularValuesKept;
    const L = result.distanceToBestRank[0].length;
    expect(rows[0]).toEqual(['step', 'loss', 'effective_rank_stable', ...Array.from({ length: k }, (_, i) => `sigma_${i + 1}`), ...Array.from({ length: L }, (_, l) => `distance_L${l + 1}`), 'ground_truth_error']);
    expect(rows).toHaveLength(result.steps.length + 1);
    result.steps.forEach((step, i) => {
      const row = rows[i + 1].map(Number);
      expect(row[0]).toBe(step);
      expect(row[1]).toBe(result.loss[i]);
      expect(row[2]).toBe(result.effectiveRank[i]);
      expect(row.slice(3, 3 + k)).toEqual(result.singularValues[i].slice(0, k));
      expect(row.slice(3 + k, 3 + k + L)).toEqual(result.distanceToBestRank[i]);
      expect(row[3 + k + L]).toBe(result.groundTruthError![i]);
    });
  });

  it('names the columns compactly for the extension, and leaves the distances out when asked', () => {
    const rows = lines(trajectoryCsv(result, { header: 'compact', distances: false }));
    expect(rows[0]).toEqual(['step', 'loss', 'effectiveRank', ...Array.from({ length: result.singularValuesKept }, (_, i) => `sigma${i + 1}`)]);
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
  });

  it('writes a non-finite value as an empty cell', () => {
    const broken = { ...result, loss: result.loss.map((v, i) => (i === 1 ? Number.POSITIVE_INFINITY : i === 2 ? Number.NaN : v)) };
    const rows = lines(trajectoryCsv(broken));
    expect(rows[2][1]).toBe('');
    expect(rows[3][1]).toBe('');
    expect(rows[1][1]).toBe(String(result.loss[0]));
  });
});
