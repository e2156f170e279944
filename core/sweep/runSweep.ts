import type { RunResult } from '../result';
import type { ExperimentSpec } from '../spec/schema';
import type { SweepPoint } from './expand';
import type { SummaryRow } from './summary';

/** A run that finished (completed or diverged): its summary row and, when asked for, its whole result. */
export interface FinishedRun {
  row: SummaryRow;
  result?: RunResult;
}

/** How the runs of a sweep are executed; adapters inject it (worker threads, the Lab, tests). */
export interface SweepExecutor {
  /** Runs that may be stepped together (same shapes and schedule) share a key; undefined runs alone. */
  batchKey?(spec: ExperimentSpec): string | undefined;
  /** Most runs per batch (default 256). */
  maxBatch?: number;
  /** Concurrent groups (the adapter's worker count; default 1). */
  jobs?: number;
  /**
   * Runs a group (one point, or one batch of points with the same key) and returns, per point in
   * order, its finished run, or undefined for a run cut short by an abort (or the promise
   * rejects); those are not recorded as finished. Rows are measured where the run ran (a worker
   * thread), so only rows cross to the writer.
   */
  run(points: SweepPoint[], signal: AbortSignal): Promise<(FinishedRun | undefined)[]>;
}

export interface SweepProgress {
  /** Finished runs, those found finished before this session included. */
  done: number;
  total: number;
  /** Runs finished by this session per second of its wall-clock time. */
  runsPerSecond: number;
  /** Estimated seconds left (NaN before the first run ends). */
  secondsLeft: number;
  failed: number;
}

export interface SweepRunOptions {
  executor: SweepExecutor;
  /** Hashes of runs whose results already exist (they are skipped). */
  finished?: ReadonlySet<string>;
  signal?: AbortSignal;
  /** Called once per group with its finished runs, in completion order; may write files (awaited before the next). */
  onFinished(runs: { point: SweepPoint; run: FinishedRun }[]): void | Promise<void>;
  onProgress?(progress: SweepProgress): void;
  /** Wall clock in ms (injected by tests). */
  now?: () => number;
}

export interface SweepOutcome {
  completed: number;
  skipped: number;
  cancelled: boolean;
  failed: { point: SweepPoint; message: string }[];
}

/** The groups to run: batchable points together (in grid order), small enough to spread over the jobs. */
function planGroups(points: readonly SweepPoint[], executor: SweepExecutor): SweepPoint[][] {
  const jobs = Math.max(1, executor.jobs ?? 1);
  const maxBatch = Math.max(1, executor.maxBatch ?? 256);
  const byKey = new Map<string, SweepPoint[]>();
  const groups: SweepPoint[][] = [];
  for (const point of points) {
    const key = executor.batchKey?.(point.spec);
    if (key === undefined) groups.push([point]);
    else {
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(point);
    }
  }
  for (const list of byKey.values()) {
    // About four groups per job keeps every job busy and the progress line moving.
    const size = Math.min(maxBatch, Math.max(1, Math.ceil(list.length / (jobs * 4))));
    for (let i = 0; i < list.length; i += size) groups.push(list.slice(i, i + size));
  }
  return groups.sort((a, b) => a[0].index - b[0].index);
}

/**
 * Runs the points of a sweep that are not finished yet, `executor.jobs` groups at a time, and
 * hands the finished runs of each group to `onFinished` with their summary rows. A run is finished when it
 * completed or diverged; cancelled runs and failed groups are not recorded. After an abort no
 * new group starts and the runner returns once the running ones have settled.
 */
export async function runSweep(points: readonly SweepPoint[], options: SweepRunOptions): Promise<SweepOutcome> {
  const { executor } = options;
  const now = options.now ?? Date.now;
  const finished = options.finished ?? new Set<string>();
  const pending = points.filter((p) => !finished.has(p.hash));
  const skipped = points.length - pending.length;
  const groups = planGroups(pending, executor);
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort);
  const started = now();
  let completed = 0;
  const failed: SweepOutcome['failed'] = [];
  let writing: Promise<void> = Promise.resolve();
  const progress = () => {
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? completed / elapsed : 0;
    const left = pending.length - completed - failed.length;
    options.onProgress?.({ done: skipped + completed, total: points.length, runsPerSecond: rate, secondsLeft: completed > 0 ? left / rate : NaN, failed: failed.length });
  };
  progress();
  let next = 0;
  const worker = async () => {
    while (next < groups.length && !controller.signal.aborted) {
      const group = groups[next++];
      let results: (FinishedRun | undefined)[];
      try {
        results = await executor.run(group, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        const message = (error as Error)?.message ?? String(error);
        for (const point of group) failed.push({ point, message });
        progress();
        continue;
      }
      // Results are written one at a time, in the order they come back.
      writing = writing.then(async () => {
        const finished: { point: SweepPoint; run: FinishedRun }[] = [];
        group.forEach((point, i) => {
          const run = results[i];
          if (run) finished.push({ point, run });
        });
        if (finished.length > 0) await options.onFinished(finished);
        completed += finished.length;
        progress();
      });
      await writing;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(Math.max(1, executor.jobs ?? 1), Math.max(1, groups.length)) }, worker));
    await writing;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  return { completed, skipped, cancelled: controller.signal.aborted && completed + failed.length < pending.length, failed };
}
