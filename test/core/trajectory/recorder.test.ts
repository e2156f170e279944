import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordBatch } from '../../../core/engine/batchRun';
import { recordExperiment } from '../../../core/engine/runExperiment';
import { tfjsBatchKernel } from '../../../core/engine/tfjsBatchKernel';
import type { RunResult } from '../../../core/result';
import { columnArena, LOSS_BLOW_UP, runResultJson, toRunResult, TrajectoryRecorder, type RecordedRun } from '../../../core/trajectory/recorder';
import { useNodeBackend } from '../../../node/platform';
import { batchSpecs, singleRunSpecs } from './oldPathCases';

const observation = (loss: number, singularValues: number[], extra: { groundTruthError?: number; balancedness?: number[] } = {}) => ({
  loss,
  singularValues: Float64Array.from(singularValues),
  distances: Float64Array.from([loss, 2 * loss]),
  groundTruthError: extra.groundTruthError,
  balancedness: extra.balancedness && Float64Array.from(extra.balancedness),
});
const sum = (s: Float64Array) => s.reduce((a, b) => a + b, 0);

describe('columnArena', () => {
  it('gives zeroed arrays of the asked length that never overlap, across chunks', () => {
    const arena = columnArena(64);
    const arrays = [5, 7, 16, 3, 16, 9, 1, 12].map((length) => arena(length));
    arrays.forEach((a, i) => {
      expect(a.length).toBe([5, 7, 16, 3, 16, 9, 1, 12][i]);
      expect(a.every((x) => x === 0)).toBe(true);
      a.fill(i + 1);
    });
    arrays.forEach((a, i) => expect(a.every((x) => x === i + 1)).toBe(true));
  });

  it('gives a large request an array of its own', () => {
    const arena = columnArena(64);
    const small = arena(4);
    const large = arena(40);
    expect(large.buffer).not.toBe(small.buffer);
    expect(large.length).toBe(40);
  });

  it('a recorder on an arena records what one with its own arrays does', () => {
    const arena = columnArena(32);
    const plain = new TrajectoryRecorder(2, sum, 3);
    const carved = [new TrajectoryRecorder(2, sum, 3, arena), new TrajectoryRecorder(2, sum, 3, arena)];
    for (let k = 0; k < 5; k++) {
      const o = observation(1 / (k + 1), [3 - k / 10, 2, 1], { groundTruthError: k, balancedness: [k, -k] });
      plain.record(10 * k, o);
      for (const r of carved) r.record(10 * k, o);
    }
    for (const r of carved) expect(r.series()).toEqual(plain.series());
  });
});

describe('TrajectoryRecorder', () => {
  it('keeps each logged step in its columns and grows them past the expected count', () => {
    const recorder = new TrajectoryRecorder(2, sum, 1);
    for (let k = 0; k < 5; k++) expect(recorder.record(10 * k, observation(1 / (k + 1), [3 - k / 10, 2, 1], { groundTruthError: k, balancedness: [k, -k] }))).toBe(true);
    expect(recorder.count).toBe(5);
    expect([...recorder.steps]).toEqual([0, 10, 20, 30, 40]);
    expect([...recorder.singularValuesAt(3)]).toEqual([2.7, 2]);
    expect(recorder.effectiveRanks[3]).toBe(2.7 + 2 + 1);
    expect([...recorder.distancesAt(4)]).toEqual([0.2, 0.4]);
    expect(recorder.series()).toEqual({
      steps: [0, 10, 20, 30, 40],
      singularValues: [0, 1, 2, 3, 4].map((k) => [3 - k / 10, 2]),
      singularValuesKept: 2,
      effectiveRank: [0, 1, 2, 3, 4].map((k) => 3 - k / 10 + 3),
      loss: [0, 1, 2, 3, 4].map((k) => 1 / (k + 1)),
      distanceToBestRank: [0, 1, 2, 3, 4].map((k) => [1 / (k + 1), 2 / (k + 1)]),
      groundTruthError: [0, 1, 2, 3, 4],
      balancedness: [0, 1, 2, 3, 4].map((k) => [k, -k]),
    });
  });

  it('leaves out the series a run does not record', () => {
    const recorder = new TrajectoryRecorder(1, sum, 4);
    recorder.record(0, observation(1, [1]));
    const series = recorder.series();
    expect('groundTruthError' in series).toBe(false);
    expect('balancedness' in series).toBe(false);
  });

  it('decides divergence: a loss not finite or LOSS_BLOW_UP·max(L(0), 1) above, a singular value not finite', () => {
    const recorder = new TrajectoryRecorder(2, sum, 4);
    expect(recorder.record(0, observation(0.5, [1, 1]))).toBe(true);
    // L(0) < 1: the limit is LOSS_BLOW_UP itself.
    expect(recorder.diverges(5, LOSS_BLOW_UP)).toBe(false);
    expect(recorder.diverges(5, LOSS_BLOW_UP * 1.01)).toBe(true);
    expect(recorder.diverges(5, NaN)).toBe(true);
    expect(recorder.diverges(5, Infinity)).toBe(true);
    expect(recorder.record(6, observation(1, [Infinity, 1]))).toBe(false);
    expect(recorder.record(7, observation(1, [1, NaN]))).toBe(false);
    expect(recorder.count).toBe(1);
    const large = new TrajectoryRecorder(1, sum, 1);
    large.diverges(0, 10);
    expect(large.diverges(1, 10 * LOSS_BLOW_UP)).toBe(false);
    expect(large.diverges(1, 10 * LOSS_BLOW_UP * 1.01)).toBe(true);
  });
});

describe('results from the recorder', () => {
  // Written by the engines before they recorded through TrajectoryRecorder (./oldPathCases.ts).
  const old = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/oldPath.json'), 'utf8')) as { single: Record<string, Omit<RunResult, 'elapsedSeconds'>>; batch: Omit<RunResult, 'elapsedSeconds'>[] };
  /** The JSON of a result without its wall-clock time: equal texts are equal numbers, bit for bit. */
  const timeless = (run: RecordedRun) => JSON.stringify(toRunResult({ ...run, head: { ...run.head, elapsedSeconds: undefined! } }));
  const streamed = (run: RecordedRun) => [...runResultJson(run)].join('');

  beforeAll(() => useNodeBackend('cpu'));

  it.each(Object.keys(singleRunSpecs) as (keyof typeof singleRunSpecs)[])('runExperiment: %s is the result of the old path, and its streamed JSON is JSON.stringify of it', async (name) => {
    const run = await recordExperiment(singleRunSpecs[name]);
    expect(timeless(run)).toBe(JSON.stringify(old.single[name]));
    expect(streamed(run)).toBe(JSON.stringify(toRunResult(run)));
    run.head.preset = 'a preset';
    expect(streamed(run)).toBe(JSON.stringify(toRunResult(run)));
  });

  it('runBatch: spectral and matrix members (tfjs batched kernel) are the results of the old path', async () => {
    const runs = await recordBatch(batchSpecs, { accelerators: { batch: tfjsBatchKernel() } });
    expect(runs.map((r) => r.head.stopped.kind)).toEqual(old.batch.map((r) => r.stopped.kind));
    runs.forEach((run, i) => {
      expect(timeless(run)).toBe(JSON.stringify(old.batch[i]));
      expect(streamed(run)).toBe(JSON.stringify(toRunResult(run)));
    });
  });
});
