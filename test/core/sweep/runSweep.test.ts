import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { useNodeBackend } from '../../../node/platform';
import { expandSweep, type SweepPoint } from '../../../core/sweep/expand';
import { createMeasurer } from '../../../core/sweep/measures';
import { runSweep, type FinishedRun, type SweepExecutor, type SweepProgress, type SweepRunOptions } from '../../../core/sweep/runSweep';
import { pointRow, summaryRow, type SummaryRow } from '../../../core/sweep/summary';

// A tiny sweep (the base of test/core/sweep/summary.test.ts): 2 inits × 3 target seeds, n = 4,
// 60 steps; the gaussian init takes the matrix path, the identity one the spectral path.
const base = { n: 4, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.05, steps: 60, log: { points: 12 } };
const expanded = expandSweep({
  base,
  axes: { init: [{ kind: 'identity', alpha: 0.1 }, { kind: 'gaussian', alpha: 0.1, seed: 2 }], 'target.seed': { seeds: 3, from: 1 } },
  measures: { ranks: 2, theta: [0.5, 0.9] },
});
const points = expanded.points;

/** Runs each point for real and measures it where it ran, as the CLI's workers do. */
function realExecutor(extra: Partial<SweepExecutor> = {}): SweepExecutor & { calls: SweepPoint[][] } {
  const measure = createMeasurer(expanded.sweep.measures);
  const calls: SweepPoint[][] = [];
  return {
    calls,
    async run(group) {
      calls.push(group);
      return Promise.all(group.map(async (point) => ({ row: pointRow(point, await runExperiment(point.spec), measure) })));
    },
    ...extra,
  };
}

/** A cheap executor whose row is the point's index, for tests of the runner's bookkeeping. */
function fakeExecutor(run: (group: SweepPoint[], signal: AbortSignal) => Promise<(FinishedRun | undefined)[]> = async (group) => group.map((p) => ({ row: { run: p.index } }))) {
  const calls: SweepPoint[][] = [];
  return {
    calls,
    executor: {
      run(group: SweepPoint[], signal: AbortSignal) {
        calls.push(group);
        return run(group, signal);
      },
    } as SweepExecutor,
  };
}

async function collect(list: readonly SweepPoint[], options: Omit<SweepRunOptions, 'onFinished'>) {
  const finished: { point: SweepPoint; run: FinishedRun }[] = [];
  const outcome = await runSweep(list, { ...options, onFinished: (runs) => void finished.push(...runs) });
  return { outcome, finished, rows: finished.map((f) => f.run.row).sort((a, b) => (a.run as number) - (b.run as number)) };
}

describe('runSweep with real runs', () => {
  // The gaussian-init runs take the matrix path, which needs a tensor backend.
  beforeAll(() => useNodeBackend('cpu'));

  it('gives one row per run, each the row of a single run of the same spec', async () => {
    expect(points).toHaveLength(6);
    const { outcome, finished, rows } = await collect(points, { executor: realExecutor() });
    expect(outcome).toEqual({ completed: 6, skipped: 0, cancelled: false, failed: [] });
    expect(rows.map((r) => r.run)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const { point, run } of finished) {
      expect(run.row.run).toBe(point.index);
      expect(run.row.hash).toBe(point.hash);
      // The row of the same spec run alone, outside any sweep.
      expect(run.row).toEqual(summaryRow(expanded, point, await runExperiment(point.spec)));
    }
  });

  it('is deterministic: the same rows again, whether runs are batched and spread over jobs or not', async () => {
    const once = await collect(points, { executor: realExecutor() });
    const again = await collect(points, { executor: realExecutor({ jobs: 3, batchKey: (spec) => spec.init.kind, maxBatch: 2 }) });
    expect(again.rows).toEqual(once.rows);
    // The seeds matter: the gaussian runs differ from each other only by the target seed, and so do their rows.
    const losses = once.rows.slice(3).map((r) => r.finalLoss);
    expect(new Set(losses).size).toBe(3);
  });
});

describe('runSweep bookkeeping', () => {
  it('skips finished runs, counts them as done, and runs only the others', async () => {
    const { executor, calls } = fakeExecutor();
    const progress: SweepProgress[] = [];
    const finished = new Set([points[1].hash, points[4].hash]);
    const result = await collect(points, { executor, finished, onProgress: (p) => progress.push(p) });
    expect(result.outcome).toEqual({ completed: 4, skipped: 2, cancelled: false, failed: [] });
    expect(calls.flat().map((p) => p.index)).toEqual([0, 2, 3, 5]);
    expect(progress[0]).toMatchObject({ done: 2, total: 6, failed: 0 });
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6, failed: 0 });
  });

  it('batches points of one key together, at most maxBatch each, and runs the others alone', async () => {
    const { executor, calls } = fakeExecutor();
    executor.batchKey = (spec) => (spec.init.kind === 'gaussian' ? 'g' : undefined);
    executor.maxBatch = 2;
    const { outcome, rows } = await collect(points, { executor });
    expect(outcome.completed).toBe(6);
    expect(rows.map((r) => r.run)).toEqual([0, 1, 2, 3, 4, 5]);
    // Unkeyed points run alone; the 3 keyed ones are spread as about four groups per job:
    // ⌈3/(1·4)⌉ = 1 point per group.
    expect(calls.map((g) => g.map((p) => p.index))).toEqual([[0], [1], [2], [3], [4], [5]]);
    const { executor: pairs, calls: pairCalls } = fakeExecutor();
    pairs.batchKey = (spec) => spec.init.kind;
    const twelve = Array.from({ length: 12 }, (_, i) => ({ ...points[i % 6], index: i, hash: `p${i}` }));
    await collect(twelve, { executor: pairs });
    // Two keys of 6 points each: ⌈6/4⌉ = 2 per group, one key per group, sorted by first index.
    expect(pairCalls.map((g) => g.map((p) => p.index))).toEqual([[0, 1], [2, 6], [3, 4], [5, 9], [7, 8], [10, 11]]);
    const { executor: wide, calls: wideCalls } = fakeExecutor();
    wide.batchKey = () => 'all';
    wide.maxBatch = 4;
    const many = Array.from({ length: 40 }, (_, i) => ({ ...points[i % 6], index: i, hash: `h${i}` }));
    await collect(many, { executor: wide });
    // ⌈40/4⌉ = 10 wanted per group, maxBatch 4: groups of 4 in grid order.
    expect(wideCalls.map((g) => g.length)).toEqual(Array(10).fill(4));
    expect(wideCalls.flat().map((p) => p.index)).toEqual(many.map((p) => p.index));
  });

  it('records a failed group with its message and goes on with the others', async () => {
    const { executor } = fakeExecutor(async (group) => {
      if (group[0].index === 2) throw new Error('out of memory');
      return group.map((p) => ({ row: { run: p.index } }));
    });
    const { outcome, rows } = await collect(points, { executor });
    expect(outcome.completed).toBe(5);
    expect(outcome.cancelled).toBe(false);
    expect(outcome.failed).toEqual([{ point: points[2], message: 'out of memory' }]);
    expect(rows.map((r) => r.run)).toEqual([0, 1, 3, 4, 5]);
  });

  it('does not record a run the executor returns as cut short', async () => {
    const { executor } = fakeExecutor(async (group) => group.map((p) => (p.index % 2 === 0 ? { row: { run: p.index } } : undefined)));
    const { outcome, rows } = await collect(points, { executor });
    expect(rows.map((r) => r.run)).toEqual([0, 2, 4]);
    expect(outcome.completed).toBe(3);
  });

  it('starts nothing when aborted before it starts, and reports the sweep cancelled', async () => {
    const { executor, calls } = fakeExecutor();
    const controller = new AbortController();
    controller.abort();
    const { outcome, finished } = await collect(points, { executor, signal: controller.signal });
    expect(calls).toEqual([]);
    expect(finished).toEqual([]);
    expect(outcome).toEqual({ completed: 0, skipped: 0, cancelled: true, failed: [] });
  });

  it('starts no new group after an abort, keeps the runs already finished, and passes the abort on', async () => {
    const controller = new AbortController();
    const seen: boolean[] = [];
    const { executor, calls } = fakeExecutor(async (group, signal) => {
      if (group[0].index === 1) controller.abort();
      seen.push(signal.aborted);
      return group.map((p) => ({ row: { run: p.index } }));
    });
    const { outcome, rows } = await collect(points, { executor, signal: controller.signal });
    expect(calls.map((g) => g[0].index)).toEqual([0, 1]);
    expect(seen).toEqual([false, true]);
    expect(rows.map((r) => r.run)).toEqual([0, 1]);
    expect(outcome).toMatchObject({ completed: 2, cancelled: true, failed: [] });
  });

  it('hands each group’s runs to onFinished one call at a time, awaiting each', async () => {
    const { executor } = fakeExecutor(async (group) => {
      await new Promise((r) => setTimeout(r, group[0].index % 2 === 0 ? 5 : 0));
      return group.map((p) => ({ row: { run: p.index } }));
    });
    executor.jobs = 3;
    let writing = 0;
    let overlapped = false;
    const rows: SummaryRow[] = [];
    const outcome = await runSweep(points, {
      executor,
      async onFinished(runs) {
        overlapped ||= writing > 0;
        writing++;
        await new Promise((r) => setTimeout(r, 1));
        rows.push(...runs.map((f) => f.run.row));
        writing--;
      },
    });
    expect(overlapped).toBe(false);
    expect(outcome.completed).toBe(6);
    expect(rows.map((r) => r.run).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reports progress from the injected clock: rate and time left from the runs finished so far', async () => {
    let t = 1000;
    const { executor } = fakeExecutor(async (group) => {
      t += 2000; // each run takes 2 s of the injected clock
      return group.map((p) => ({ row: { run: p.index } }));
    });
    const progress: SweepProgress[] = [];
    await collect(points.slice(0, 3), { executor, now: () => t, onProgress: (p) => progress.push({ ...p }) });
    expect(progress).toHaveLength(4);
    expect(progress[0]).toMatchObject({ done: 0, total: 3, runsPerSecond: 0, failed: 0 });
    expect(progress[0].secondsLeft).toBeNaN();
    // After 1 run in 2 s: 0.5 runs/s, 2 runs left → 4 s.
    expect(progress[1]).toMatchObject({ done: 1, runsPerSecond: 0.5, secondsLeft: 4 });
    expect(progress[3]).toMatchObject({ done: 3, runsPerSecond: 0.5, secondsLeft: 0 });
  });
});
