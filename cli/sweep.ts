import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { batchKey } from '../core/engine/batchRun';
import type { Accelerators } from '../core/linalg/accelerators';
import { InputError } from '../core/errors';
import { DEFAULT_NODE_BACKEND, NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../node/platform';
import { parseRunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import { expandSweepText, expandSweepTextAsync, type ExpandedSweep, type SweepPoint } from '../core/sweep/expand';
import { specHash } from '../core/sweep/hash';
import { createMeasurer } from '../core/sweep/measures';
import { RUN_STORE, readStore, shardStoreName, storeLines, type StoreReading } from '../core/sweep/runStore';
import { runSweep, type FinishedRun, type SweepExecutor, type SweepProgress } from '../core/sweep/runSweep';
import { pointRow, resultFileName, summaryCsv, summaryJson, type SummaryRow } from '../core/sweep/summary';
import { MAX_SWEEP_RUNS } from '../core/sweep/schema';
import { checkOutputFolder, makeFolder, readRegularTextFile, readTextFile, writeFileAtomic } from '../node/files';
import { executeGroup, runGroup, type GroupReply } from './sweepExecute';
import { SWEEP_WORKER_ENV, SWEEP_WORKER_ROLE } from './sweepWorkerRole';
import { parseCommand, SWEEP_COMMAND } from './options';
import { parseSetting, sweepWithSettings } from './setFields';
import { collect, MAX_SLURM_JOBS, submitSlurm } from './slurm';
import { integerFlag } from './flags';
import { listenForInterrupt } from './interrupt';
import { printable, printableLine } from './terminal';

/** The folder inside DIR with the sweep file copy, how it was run, and the Slurm job's files. */
export const META = 'sweep';
export const SWEEP_COPY = 'sweep.dfl-sweep.json';
/** `sweep/engine.json`: the backend and base folder of the sweep, with which `--rerun` replays a run. */
const ENGINE = 'engine.json';
/** Largest run store read (a JavaScript string's limit is about 512 MiB; at ~1 kB a row, 5·10⁵ runs). */
const MAX_STORE_BYTES = 512 * 1024 * 1024;

/** The result files already in DIR (written by `--results`, `--rerun`, or an older dfl): hash → file name. */
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

/** The run stores of DIR: the sweep's own and every shard's. */
function storeFiles(dir: string): string[] {
  const files = [path.join(dir, RUN_STORE)];
  const meta = path.join(dir, META);
  if (existsSync(meta)) for (const name of readdirSync(meta)) if (/^shard-\d+-of-\d+\.jsonl$/.test(name)) files.push(path.join(meta, name));
  return files.filter((f) => existsSync(f));
}

/**
 * The verified rows of the finished runs among `points` found in DIR: from its run stores, then
 * from result files of runs no store has (a folder of an older dfl), each parsed with the result
 * schema and its spec hash checked. What does not verify is counted and runs again.
 */
export function finishedRows(dir: string, expanded: ExpandedSweep, points: readonly SweepPoint[]): StoreReading {
  const byHash = new Map(points.map((p) => [p.hash, p]));
  const reading: StoreReading = { rows: new Map(), rejected: 0 };
  for (const file of storeFiles(dir)) readStore(readRegularTextFile(file, { maxBytes: MAX_STORE_BYTES }), expanded, byHash, reading);
  const measure = createMeasurer(expanded.sweep.measures);
  for (const [hash, name] of existingResults(dir)) {
    const point = byHash.get(hash);
    if (!point || reading.rows.has(hash)) continue;
    try {
      const result = parseRunResult(JSON.parse(readRegularTextFile(path.join(dir, name))), name);
      if (specHash(result.spec) !== hash || result.stopped.kind === 'cancelled') throw new Error('not this run');
      reading.rows.set(hash, pointRow(point, result, measure));
    } catch {
      reading.rejected++;
    }
  }
  return reading;
}

export function writeSummary(dir: string, expanded: ExpandedSweep, rows: Iterable<SummaryRow>): void {
  const list = [...rows];
  writeFileAtomic(path.join(dir, 'summary.json'), `${JSON.stringify(summaryJson(expanded, list))}\n`);
  writeFileAtomic(path.join(dir, 'summary.csv'), summaryCsv(expanded, list));
}

/**
 * `--out` must be new, empty, or this sweep's folder (its copy in sweep/ has the same name; an
 * edited sweep of that name reuses the runs it still has). Anything else, the user's files or
 * another sweep's, is refused before anything is written, so nothing there is replaced.
 */
function checkSweepFolder(dir: string, expanded: ExpandedSweep): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // absent (created below) or not a folder: the writes below say which in one line
  }
  if (entries.length === 0) return;
  const copy = path.join(dir, META, SWEEP_COPY);
  if (!existsSync(copy)) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new InputError(`--out ${dir}: holds files that are not a sweep's (${shown}); give a new or empty folder`);
  }
  const theirs = (readJson(copy) as { name?: unknown } | undefined)?.name ?? null;
  const ours = expanded.sweep.name ?? null;
  if (theirs !== ours)
    throw new InputError(`--out ${dir}: holds another sweep (${theirs === null ? 'an unnamed one' : JSON.stringify(theirs)}, not ${ours === null ? 'this unnamed one' : JSON.stringify(ours)}); give another folder`);
}

/** Appends rows to a run store, one write per group; a torn last line of a killed writer is closed off first (and rejected when read). */
function storeAppender(file: string): { append(rows: readonly SummaryRow[]): void; close(): void } {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a+');
  const size = fstatSync(fd).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) writeSync(fd, '\n');
  }
  return {
    append: (rows) => {
      if (rows.length > 0) writeSync(fd, storeLines(rows));
    },
    close: () => closeSync(fd),
  };
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
function createExecutor(jobs: number, backend: NodeBackend, baseDir: string, accelerators: Accelerators, expanded: ExpandedSweep, keepResults: boolean): SweepExecutor & { close(): Promise<void> } {
  const script = jobs > 1 ? workerScript() : undefined;
  const { measures } = expanded.sweep;
  const base = { batchKey: (spec: ExperimentSpec) => batchKey(spec, accelerators), maxBatch: 256 };
  if (!script) {
    return { ...base, jobs: 1, run: (points, signal) => executeGroup(points, { backend, baseDir, signal, measures, keepResults }), close: async () => undefined };
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
    async run(points, signal) {
      const worker = await take();
      const id = nextId++;
      try {
        return await new Promise<(FinishedRun | undefined)[]>((resolve, reject) => {
          const onAbort = () => worker.postMessage({ cancel: id });
          const onMessage = (reply: GroupReply) => {
            if (reply.id !== id) return;
            worker.off('message', onMessage);
            worker.off('error', onError);
            signal.removeEventListener('abort', onAbort);
            if ('error' in reply) reject(new Error(reply.error));
            else resolve(reply.runs);
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(error);
          };
          worker.on('message', onMessage);
          worker.once('error', onError);
          signal.addEventListener('abort', onAbort, { once: true });
          if (signal.aborted) onAbort();
          worker.postMessage({ id, points, measures, keepResults });
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
  const enabled = !quiet && stream.isTTY && !json;
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
  return { text, expanded: expandSweepText(text, file, { sha256: nodeSha256 }) };
}

/** `readSweep`, expanding in slices so that Ctrl-C (`signal`) stops it; `onStart` gets the run count. */
async function readSweepAsync(file: string, signal: AbortSignal, onStart: (runs: number) => void): Promise<{ text: string; expanded: ExpandedSweep }> {
  const text = readTextFile(file);
  return { text, expanded: await expandSweepTextAsync(text, file, { signal, onStart, sha256: nodeSha256 }) };
}

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `dfl sweep --rerun HASH --out DIR`: the whole result of one run of the sweep in DIR (its hash,
 * or its run number), run again from the sweep's copy with the backend it ran on, and written as
 * DIR/run-HASH.json (the format of dfl run). The engine is deterministic, so the result is the
 * run whose row is in the summary, bit for bit where the engine is the same.
 */
async function rerun(dirArg: string, which: string): Promise<number> {
  const dir = path.resolve(dirArg);
  const copy = path.join(dir, META, SWEEP_COPY);
  if (!existsSync(copy)) throw new InputError(`--rerun: ${dirArg} holds no sweep (no ${META}/${SWEEP_COPY})`);
  const { expanded } = readSweep(copy);
  const point = /^[0-9a-f]{16}$/.test(which) ? expanded.points.find((p) => p.hash === which) : /^\d+$/.test(which) ? expanded.points.find((p) => p.index === Number(which)) : undefined;
  if (!point) throw new InputError(`--rerun: "${which.slice(0, 40)}" is no run of this sweep (expected a run's 16-digit hash or its number, 0–${expanded.points.length - 1})`);
  const engine = (readJson(path.join(dir, META, ENGINE)) ?? {}) as { backend?: unknown; baseDir?: unknown };
  const backend = (NODE_BACKENDS as readonly unknown[]).includes(engine.backend) ? (engine.backend as NodeBackend) : DEFAULT_NODE_BACKEND;
  const baseDir = typeof engine.baseDir === 'string' ? engine.baseDir : path.dirname(dir);
  const [result] = await runGroup([point], { backend, baseDir });
  const file = path.join(dir, resultFileName(point.hash));
  writeFileAtomic(file, JSON.stringify(result));
  process.stdout.write(`${file}\n`);
  return 0;
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
  const parsed = parseCommand(SWEEP_COMMAND, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (values.rerun !== undefined) {
    if (positionals.length > 0 || values.out === undefined) throw new InputError('dfl sweep --rerun: give the run and the sweep folder only (dfl sweep --rerun HASH --out DIR)');
    return rerun(values.out, values.rerun);
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
  const settings = (values.set ?? []).map(parseSetting);
  const { text, expanded } =
    settings.length > 0
      ? sweepWithSettings(readTextFile(file), file, settings)
      : await readSweepAsync(file, signal, (runs) => {
          if (runs >= 20_000 && values.quiet !== true && values.progress !== 'json') process.stderr.write(`${printable(path.basename(file))}: checking the specs of ${runs} runs (Ctrl-C stops)\n`);
        });
  const baseDir = values['base-dir'] ?? path.dirname(path.resolve(file));
  if (values.slurm) {
    const size = integerFlag('--array-size', values['array-size'], { min: 1, max: MAX_SWEEP_RUNS, fallback: Math.min(expanded.points.length, 8) });
    return submitSlurm({ file, text, expanded, dir, baseDir, shards: Math.min(size, expanded.points.length), jobs, partition: values.partition, time: values.time, backend });
  }
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const points = shard ? shardPoints(expanded.points, shard) : expanded.points;
  checkSweepFolder(dir, expanded);
  makeFolder(path.join(dir, META), '--out');
  if (!shard || !existsSync(path.join(dir, META, SWEEP_COPY))) writeFileAtomic(path.join(dir, META, SWEEP_COPY), text);
  if (!shard) {
    writeFileAtomic(path.join(dir, META, ENGINE), `${JSON.stringify({ backend, baseDir: path.resolve(baseDir) })}\n`);
  }

  const accelerators = await useNodeBackend(backend);
  const found = finishedRows(dir, expanded, points);
  const rows = found.rows;
  const keepResults = values.results === true;
  const executor = createExecutor(jobs, backend, baseDir, accelerators, expanded, keepResults);
  const name = expanded.sweep.name ?? path.basename(file);
  const bar = progressLine(shard ? `${printable(name)} shard ${shard.index}/${shard.count}` : printable(name), values.quiet === true, values.progress === 'json');
  const store = storeAppender(shard ? path.join(dir, META, shardStoreName(shard.index, shard.count)) : path.join(dir, RUN_STORE));
  // The store is the live record; the summary (a whole rewrite) is written when the sweep ends or
  // is interrupted, and a rerun after a kill rebuilds it from the store.
  const flush = () => {
    if (!shard) writeSummary(dir, expanded, rows.values());
  };
  const started = Date.now();
  let outcome;
  try {
    outcome = await runSweep(points, {
      executor,
      finished: new Set(rows.keys()),
      signal,
      onProgress: (p) => bar.update(p),
      onFinished(finished) {
        for (const { point, run } of finished) {
          if (run.result) writeFileAtomic(path.join(dir, resultFileName(point.hash)), JSON.stringify(run.result));
          rows.set(point.hash, run.row);
        }
        store.append(finished.map((f) => f.run.row));
      },
    });
  } finally {
    bar.done();
    store.close();
    await executor.close();
  }
  const complete = rows.size === points.length;
  flush();
  const seconds = (Date.now() - started) / 1000;
  const rate = outcome.completed / Math.max(seconds, 1e-9);
  const where = shard ? path.join(dir, META, shardStoreName(shard.index, shard.count)) : path.join(dir, 'summary.csv');
  const skipped = outcome.skipped > 0 ? ` (${outcome.skipped} were already there)` : '';
  const rejected = found.rejected > 0 ? `; ${found.rejected} stored ${found.rejected === 1 ? 'run' : 'runs'} did not verify and ran again` : '';
  if (values.quiet !== true || !complete || found.rejected > 0)
    process.stderr.write(
      `${printable(name)}${shard ? ` shard ${shard.index}/${shard.count}` : ''}: ${rows.size}/${points.length} runs in ${printable(dir)}` +
        `${skipped}, ${outcome.completed} run in ${seconds.toFixed(1)} s (${rate.toFixed(1)} runs/s)${rejected}` +
        `${outcome.cancelled ? ', interrupted: rerun the same command to finish' : ''}; ${printable(where)}\n`,
    );
  for (const f of outcome.failed.slice(0, 5)) process.stderr.write(`dfl: run ${f.point.index} (${JSON.stringify(f.point.values)}) failed: ${printableLine(f.message)}\n`);
  if (outcome.failed.length > 5) process.stderr.write(`dfl: … and ${outcome.failed.length - 5} more failed runs\n`);
  if (outcome.cancelled) return 130;
  return complete ? 0 : 1;
}
