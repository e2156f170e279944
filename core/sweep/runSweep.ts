import type { RunResult } from '../result';
import type { ExperimentSpec } from '../spec/schema';
import type { ExpandedSweep, SweepPoint } from './expand';
import { summaryRow, type SummaryRow } from './summary';

/** How the runs of a sweep are executed; adapters inject it (worker threads, the Lab, tests). */
export interface SweepExecutor {
  /** Runs that may be stepped together (same shapes and schedule) share a key; undefined runs alone. */
  batchKey?(spec: ExperimentSpec): string | undefined;
  /** Most runs per batch (default 256). */
  maxBatch?: number;
  /** Concurrent groups (the adapter's worker count; default 1). */
  jobs?: number;
  /**
   * Runs a group (one spec, or one batch of specs with the same key) and returns a result per
   * spec, in order. On abort, unfinished runs come back with `stopped.kind = "cancelled"` (or the
   * promise rejects); neither is recorded as finished.
   */
  run(specs: ExperimentSpec[], signal: AbortSignal): Promise<RunResult[]>;
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
  /** Called once per finished run, in completion order; may write files (awaited before the next). */
  onResult(point: SweepPoint, result: RunResult, row: SummaryRow): void | Promise<void>;
  onProgress?(progress: SweepProgress): void;
  /** Wall clock in ms (injected by tests). */
  now?(): number;
}

export interface SweepOutcome {
  completed: number;
  skipped: number;
  cancelled: boolean;
  failed: { point: SweepPoint; message: string }[];
}

/** The groups to run: batchable points together (in grid order), small enough to spread over the jobs. */
export function planGroups(points: readonly SweepPoint[], executor: SweepExecutor): SweepPoint[][] {
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
 * hands each finished run to `onResult` with its summary row. A run is finished when it
 * completed or diverged; cancelled runs and failed groups are not recorded. After an abort no
 * new group starts and the runner returns once the running ones have settled.
 */
export async function runSweep(expanded: ExpandedSweep, points: readonly SweepPoint[], options: SweepRunOptions): Promise<SweepOutcome> {
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
      let results: RunResult[];
      try {
        results = await executor.run(
          group.map((p) => p.spec),
          controller.signal,
        );
      } catch (error) {
        if (controller.signal.aborted) return;
        const message = (error as Error)?.message ?? String(error);
        for (const point of group) failed.push({ point, message });
        progress();
        continue;
      }
      // Results are written one at a time, in the order they come back.
      writing = writing.then(async () => {
        for (let i = 0; i < group.length; i++) {
          const result = results[i];
          if (!result || result.stopped.kind === 'cancelled') continue;
          await options.onResult(group[i], result, summaryRow(expanded, group[i], result));
          completed++;
        }
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
