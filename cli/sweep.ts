import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { batchKey } from '../core/engine/batchRun';
import type { Accelerators } from '../core/linalg/accelerators';
import { InputError } from '../core/errors';
import { DEFAULT_NODE_BACKEND, NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../node/platform';
import type { RunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import { expandSweepText, expandSweepTextAsync, type ExpandedSweep, type SweepPoint } from '../core/sweep/expand';
import { specHash } from '../core/sweep/hash';
import { runSweep, type SweepExecutor, type SweepProgress } from '../core/sweep/runSweep';
import { resultFileName, summaryColumns, summaryCsv, summaryJson, summaryRow, type SummaryRow } from '../core/sweep/summary';
import { checkOutputFolder, makeFolder, readRegularTextFile, readTextFile, writeFileAtomic } from '../node/files';
import { executeGroup, type GroupReply } from './sweepExecute';
import { collect, MAX_SLURM_JOBS, submitSlurm } from './slurm';
import { integerFlag } from './flags';
import { listenForInterrupt } from './interrupt';
import { printable, printableLine } from './terminal';
import { MAX_SWEEP_RUNS } from '../core/sweep/schema';
import { SWEEP_WORKER_ENV, SWEEP_WORKER_ROLE } from './sweepWorkerRole';

export const SWEEP_USAGE = `usage:
  dfl sweep SWEEP.json --out DIR [--jobs J] [--backend native|wasm|cpu]   run every run of a sweep (resumable)
                       [--progress json]              one JSON line {done,total,failed} on stderr as runs finish
  dfl sweep SWEEP.json --out DIR --slurm [--partition P] [--array-size K] [--time T]
                                                      submit the sweep as a Slurm array job of K shards
  dfl sweep SWEEP.json --out DIR --shard I/K           run shard I of K (what each array task runs)
  dfl sweep --collect DIR [--resubmit]                 build the summary once every shard is in;
                                                      list (and with --resubmit resubmit) failed shards
DIR gets one result JSON per run (run-HASH.json, the format of dfl run), summary.json and
summary.csv (one row per run, one column per axis and measure), and sweep/ (the sweep file, Slurm files).`;

/** The folder inside DIR with the sweep file copy and the Slurm job's files. */
export const META = 'sweep';
export const SWEEP_COPY = 'sweep.dfl-sweep.json';

/** The result files already in DIR: hash → file name. */
function existingResults(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    const m = /^run-([0-9a-f]{16})\.json$/.exec(name);
    if (m) found.set(m[1], name);
  }
  return found;
}

export function readJson(file: string): unknown {
  try {
    return JSON.parse(readRegularTextFile(file));
  } catch {
    return undefined;
  }
}

/**
 * Rows of the finished runs among `points` found in DIR: from earlier summaries where their
 * columns match, else measured again from the result file (whose spec hash is checked).
 */
export function finishedRows(dir: string, expanded: ExpandedSweep, points: readonly SweepPoint[]): Map<string, SummaryRow> {
  const files = existingResults(dir);
  const columns = JSON.stringify(summaryColumns(expanded));
  const known = new Map<string, SummaryRow>();
  const summaries = [path.join(dir, 'summary.json')];
  const meta = path.join(dir, META);
  if (existsSync(meta)) for (const name of readdirSync(meta)) if (/^shard-\d+-of-\d+\.json$/.test(name)) summaries.push(path.join(meta, name));
  for (const file of summaries) {
    const s = readJson(file) as { columns?: unknown; rows?: SummaryRow[] } | undefined;
    if (s && JSON.stringify(s.columns) === columns && Array.isArray(s.rows)) for (const row of s.rows) known.set(String(row.hash), row);
  }
  const rows = new Map<string, SummaryRow>();
  for (const point of points) {
    const name = files.get(point.hash);
    if (!name) continue;
    const row = known.get(point.hash);
    if (row && row.run === point.index) {
      rows.set(point.hash, row);
      continue;
    }
    const result = readJson(path.join(dir, name)) as RunResult | undefined;
    if (!result?.spec || specHash(result.spec) !== point.hash || result.stopped?.kind === 'cancelled') continue;
    rows.set(point.hash, summaryRow(expanded, point, result));
  }
  return rows;
}

export function writeSummary(dir: string, expanded: ExpandedSweep, rows: Iterable<SummaryRow>): void {
  const list = [...rows];
  writeFileAtomic(path.join(dir, 'summary.json'), `${JSON.stringify(summaryJson(expanded, list))}\n`);
  writeFileAtomic(path.join(dir, 'summary.csv'), summaryCsv(expanded, list));
}

/** The worker script: the bundle named by $DFL_SWEEP_WORKER, else the worker bundle next to the CLI bundle (dist/), also when the CLI runs from its sources. */
function workerScript(): string | undefined {
  const named = process.env[SWEEP_WORKER_ENV];
  if (named && existsSync(named)) return named;
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const candidate of [path.join(here, 'sweep-worker.js'), path.join(here, '..', 'dist', 'sweep-worker.js')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** `jobs` worker threads, or this thread when jobs = 1 or the worker bundle is missing. */
function createExecutor(jobs: number, backend: NodeBackend, baseDir: string, accelerators: Accelerators): SweepExecutor & { close(): Promise<void> } {
  const script = jobs > 1 ? workerScript() : undefined;
  const base = { batchKey: (spec: ExperimentSpec) => batchKey(spec, accelerators), maxBatch: 256 };
  if (!script) {
    return { ...base, jobs: 1, run: (specs, signal) => executeGroup(specs, { backend, baseDir, signal }), close: async () => undefined };
  }
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const workers = Array.from({ length: jobs }, () => {
    const worker = new Worker(script, { workerData: { backend, baseDir, role: SWEEP_WORKER_ROLE }, env: { ...process.env, DFL_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    worker.unref();
    idle.push(worker);
    return worker;
  });
  let nextId = 0;
  const take = () => new Promise<Worker>((resolve) => (idle.length > 0 ? resolve(idle.pop()!) : waiting.push(resolve)));
  const give = (w: Worker) => (waiting.length > 0 ? waiting.shift()!(w) : idle.push(w));
  return {
    ...base,
    jobs,
    async run(specs, signal) {
      const worker = await take();
      const id = nextId++;
      try {
        return await new Promise<RunResult[]>((resolve, reject) => {
          const onAbort = () => worker.postMessage({ cancel: id });
          const onMessage = (reply: GroupReply) => {
            if (reply.id !== id) return;
            worker.off('message', onMessage);
            worker.off('error', onError);
            signal.removeEventListener('abort', onAbort);
            if ('error' in reply) reject(new Error(reply.error));
            else resolve(reply.results);
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(error);
          };
          worker.on('message', onMessage);
          worker.once('error', onError);
          signal.addEventListener('abort', onAbort, { once: true });
          if (signal.aborted) onAbort();
          worker.postMessage({ id, specs });
        });
      } finally {
        give(worker);
      }
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * `--progress json`: for programs that run the sweep (the VS Code extension), one line
 * `{"done":D,"total":T,"failed":F}` on stderr whenever runs finish, on a terminal or not.
 */
function progressJsonLine(p: Pick<SweepProgress, 'done' | 'total' | 'failed'>): string {
  return `${JSON.stringify({ done: p.done, total: p.total, failed: p.failed })}\n`;
}

function progressLine(name: string, quiet: boolean, json: boolean) {
  const stream = process.stderr;
  const enabled = !quiet && stream.isTTY === true && !json;
  let last = 0;
  let reported = -1;
  return {
    update(p: SweepProgress) {
      if (json) {
        // A line when the count changes; the first (before any run) gives the total.
        if (p.done + p.failed !== reported) stream.write(progressJsonLine(p));
        reported = p.done + p.failed;
        return;
      }
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const left = Number.isFinite(p.secondsLeft) ? `, ${formatSeconds(p.secondsLeft)} left` : '';
      const failed = p.failed > 0 ? `, ${p.failed} failed` : '';
      stream.write(`\r${name}: ${p.done}/${p.total} runs, ${p.runsPerSecond.toFixed(1)} runs/s${left}${failed}\x1b[K`);
    },
    done() {
      if (enabled) stream.write('\r\x1b[K');
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new InputError(`--shard: expected I/K with 0 ≤ I < K (got "${text}")`);
  return { index, count };
}

/** The points of shard i of K: every K-th run, so that each shard gets a share of every region of the grid. */
export function shardPoints(points: readonly SweepPoint[], shard: { index: number; count: number }): SweepPoint[] {
  return points.filter((_, i) => i % shard.count === shard.index);
}

export function readSweep(file: string): { text: string; expanded: ExpandedSweep } {
  // A regular file, capped (docs/reliability.md): a FIFO, a device or a huge file is refused
  // with one line naming it, before any run starts.
  const text = readTextFile(file);
  return { text, expanded: expandSweepText(text, file) };
}

/** `readSweep`, expanding in slices so that Ctrl-C (`signal`) stops it; `onStart` gets the run count. */
async function readSweepAsync(file: string, signal: AbortSignal, onStart: (runs: number) => void): Promise<{ text: string; expanded: ExpandedSweep }> {
  const text = readTextFile(file);
  return { text, expanded: await expandSweepTextAsync(text, file, { signal, onStart }) };
}

/** `dfl sweep …`: exit 0 when every run is in, 1 when some failed or are missing, 130 on Ctrl-C. */
export async function sweepCommand(args: string[]): Promise<number> {
  // From the first moment: building a grid of 10⁶ runs alone takes seconds.
  const interrupt = listenForInterrupt();
  try {
    return await sweepCommandUntil(args, interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}

async function sweepCommandUntil(args: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      jobs: { type: 'string' },
      backend: { type: 'string' },
      quiet: { type: 'boolean' },
      progress: { type: 'string' },
      shard: { type: 'string' },
      slurm: { type: 'boolean' },
      partition: { type: 'string' },
      'array-size': { type: 'string' },
      time: { type: 'string' },
      collect: { type: 'string' },
      resubmit: { type: 'boolean' },
      'base-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${SWEEP_USAGE}\n`);
    return 0;
  }
  if (values.collect !== undefined) {
    if (positionals.length > 0) throw new InputError('dfl sweep --collect: give the output folder only (dfl sweep --collect DIR)');
    return collect(values.collect, values.resubmit === true);
  }
  if (positionals.length !== 1) throw new InputError(`dfl sweep: expected one sweep file (got ${positionals.length}); see dfl sweep --help`);
  if (values.out === undefined) throw new InputError('--out: missing (dfl sweep SWEEP.json --out DIR)');
  const file = positionals[0];
  const dir = values.out;
  const backend = (values.backend ?? DEFAULT_NODE_BACKEND) as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new InputError(`--backend: unknown backend "${values.backend}" (expected ${NODE_BACKENDS.join(', ')})`);
  if (values.progress !== undefined && values.progress !== 'json') throw new InputError(`--progress: expected json (got "${values.progress}")`);
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  // Threads beyond a few per core only add start-up time and memory; a Slurm task's cores are
  // another machine's, so there the bound is a node's, not this one's.
  const jobs = integerFlag('--jobs', values.jobs, { min: 1, max: values.slurm ? MAX_SLURM_JOBS : 4 * cores, fallback: values.slurm ? 1 : cores });
  checkOutputFolder(dir, '--out');
  const { text, expanded } = await readSweepAsync(file, signal, (runs) => {
    if (runs >= 20_000 && values.quiet !== true && values.progress !== 'json') process.stderr.write(`${printable(path.basename(file))}: checking the specs of ${runs} runs (Ctrl-C stops)\n`);
  });
  const baseDir = values['base-dir'] ?? path.dirname(path.resolve(file));
  if (values.slurm) {
    const size = integerFlag('--array-size', values['array-size'], { min: 1, max: MAX_SWEEP_RUNS, fallback: Math.min(expanded.points.length, 8) });
    return submitSlurm({ file, text, expanded, dir, baseDir, shards: Math.min(size, expanded.points.length), jobs, partition: values.partition, time: values.time, backend });
  }
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const points = shard ? shardPoints(expanded.points, shard) : expanded.points;
  makeFolder(path.join(dir, META), '--out');
  if (!shard) writeFileAtomic(path.join(dir, META, SWEEP_COPY), text);

  const accelerators = await useNodeBackend(backend);
  const rows = finishedRows(dir, expanded, points);
  const executor = createExecutor(jobs, backend, baseDir, accelerators);
  const name = expanded.sweep.name ?? path.basename(file);
  const bar = progressLine(shard ? `${printable(name)} shard ${shard.index}/${shard.count}` : printable(name), values.quiet === true, values.progress === 'json');
  const shardFile = shard && path.join(dir, META, `shard-${shard.index}-of-${shard.count}.json`);
  const flush = (complete: boolean) => {
    if (shardFile) writeFileAtomic(shardFile, `${JSON.stringify({ ...summaryJson({ ...expanded, points }, [...rows.values()]), complete })}\n`);
    else writeSummary(dir, expanded, rows.values());
  };
  let lastFlush = 0;
  const started = Date.now();
  let outcome;
  try {
    outcome = await runSweep(expanded, points, {
      executor,
      finished: new Set(rows.keys()),
      signal,
      onProgress: (p) => bar.update(p),
      onResult(point, result, row) {
        writeFileAtomic(path.join(dir, resultFileName(point.hash)), JSON.stringify(result));
        rows.set(point.hash, row);
        if (Date.now() - lastFlush > 1000) {
          flush(false);
          lastFlush = Date.now();
        }
      },
    });
  } finally {
    bar.done();
    await executor.close();
  }
  const complete = rows.size === points.length;
  flush(complete);
  const seconds = (Date.now() - started) / 1000;
  const rate = outcome.completed / Math.max(seconds, 1e-9);
  const where = shardFile ?? path.join(dir, 'summary.csv');
  if (values.quiet !== true || !complete)
    process.stderr.write(
      `${printable(name)}${shard ? ` shard ${shard.index}/${shard.count}` : ''}: ${rows.size}/${points.length} runs in ${printable(dir)}` +
        `${outcome.skipped > 0 ? ` (${outcome.skipped} were already there)` : ''}, ${outcome.completed} run in ${seconds.toFixed(1)} s (${rate.toFixed(1)} runs/s)` +
        `${outcome.cancelled ? ', interrupted: rerun the same command to finish' : ''}; ${printable(where)}\n`,
    );
  for (const f of outcome.failed.slice(0, 5)) process.stderr.write(`dfl: run ${f.point.index} (${JSON.stringify(f.point.values)}) failed: ${printableLine(f.message)}\n`);
  if (outcome.failed.length > 5) process.stderr.write(`dfl: … and ${outcome.failed.length - 5} more failed runs\n`);
  if (outcome.cancelled) return 130;
  return complete ? 0 : 1;
}
