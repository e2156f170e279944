import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { batchKey } from '../core/engine/batchRun';
import type { Accelerators } from '../core/linalg/accelerators';
import { InputError } from '../core/errors';
import { DEFAULT_NODE_BACKEND, NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../node/platform';
import type { RunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import { expandSweepText, type ExpandedSweep, type SweepPoint } from '../core/sweep/expand';
import { specHash } from '../core/sweep/hash';
import { runSweep, type SweepExecutor, type SweepProgress } from '../core/sweep/runSweep';
import { resultFileName, summaryColumns, summaryCsv, summaryJson, summaryRow, type SummaryRow } from '../core/sweep/summary';
import { readRegularTextFile, readTextFile, writeFileAtomic } from '../node/files';
import { executeGroup, type GroupReply } from './sweepExecute';
import { SWEEP_WORKER_ENV, SWEEP_WORKER_ROLE } from './sweepWorkerRole';
import { parseCommand, SWEEP_COMMAND } from './options';
import { parseSetting, sweepWithSettings } from './setFields';


/** The folder inside DIR with the sweep file copy and the Slurm job's files. */
const META = 'sweep';
const SWEEP_COPY = 'sweep.dfl-sweep.json';

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

function readJson(file: string): unknown {
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
function finishedRows(dir: string, expanded: ExpandedSweep, points: readonly SweepPoint[]): Map<string, SummaryRow> {
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

function writeSummary(dir: string, expanded: ExpandedSweep, rows: Iterable<SummaryRow>): void {
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
function shardPoints(points: readonly SweepPoint[], shard: { index: number; count: number }): SweepPoint[] {
  return points.filter((_, i) => i % shard.count === shard.index);
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!Number.isInteger(x) || x < 1) throw new InputError(`${flag}: expected a positive integer (got "${value}")`);
  return x;
}

function readSweep(file: string): { text: string; expanded: ExpandedSweep } {
  // A regular file, capped (docs/reliability.md): a FIFO, a device or a huge file is refused
  // with one line naming it, before any run starts.
  const text = readTextFile(file);
  return { text, expanded: expandSweepText(text, file) };
}

/** `dfl sweep …`: exit 0 when every run is in, 1 when some failed or are missing, 130 on Ctrl-C. */
export async function sweepCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(SWEEP_COMMAND, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
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
  const jobs = positiveInt(values.jobs, '--jobs', values.slurm ? 1 : Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
  const settings = (values.set ?? []).map(parseSetting);
  const { text, expanded } = settings.length > 0 ? sweepWithSettings(readTextFile(file), file, settings) : readSweep(file);
  const baseDir = values['base-dir'] ?? path.dirname(path.resolve(file));
  if (values.slurm) {
    const size = positiveInt(values['array-size'], '--array-size', Math.min(expanded.points.length, 8));
    return submitSlurm({ file, text, expanded, dir, baseDir, shards: Math.min(size, expanded.points.length), jobs, partition: values.partition, time: values.time, backend });
  }
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const points = shard ? shardPoints(expanded.points, shard) : expanded.points;
  mkdirSync(path.join(dir, META), { recursive: true });
  if (!shard) writeFileAtomic(path.join(dir, META, SWEEP_COPY), text);

  const accelerators = await useNodeBackend(backend);
  const rows = finishedRows(dir, expanded, points);
  const executor = createExecutor(jobs, backend, baseDir, accelerators);
  const name = expanded.sweep.name ?? path.basename(file);
  const bar = progressLine(shard ? `${name} shard ${shard.index}/${shard.count}` : name, values.quiet === true, values.progress === 'json');
  const shardFile = shard && path.join(dir, META, `shard-${shard.index}-of-${shard.count}.json`);
  const flush = (complete: boolean) => {
    if (shardFile) writeFileAtomic(shardFile, `${JSON.stringify({ ...summaryJson({ ...expanded, points }, [...rows.values()]), complete })}\n`);
    else writeSummary(dir, expanded, rows.values());
  };
  let lastFlush = 0;
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130); // every finished result is already whole on disk
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();
  let outcome;
  try {
    outcome = await runSweep(expanded, points, {
      executor,
      finished: new Set(rows.keys()),
      signal: controller.signal,
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
    process.off('SIGINT', onSigint);
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
      `${name}${shard ? ` shard ${shard.index}/${shard.count}` : ''}: ${rows.size}/${points.length} runs in ${dir}` +
        `${outcome.skipped > 0 ? ` (${outcome.skipped} were already there)` : ''}, ${outcome.completed} run in ${seconds.toFixed(1)} s (${rate.toFixed(1)} runs/s)` +
        `${outcome.cancelled ? ', interrupted: rerun the same command to finish' : ''}; ${where}\n`,
    );
  for (const f of outcome.failed.slice(0, 5)) process.stderr.write(`dfl: run ${f.point.index} (${JSON.stringify(f.point.values)}) failed: ${f.message}\n`);
  if (outcome.failed.length > 5) process.stderr.write(`dfl: … and ${outcome.failed.length - 5} more failed runs\n`);
  if (outcome.cancelled) return 130;
  return complete ? 0 : 1;
}

// ---- Slurm: an array job over shards of the sweep, collected from the shared folder ----

interface SlurmJob {
  jobId: string;
  shards: number;
  script: string;
  sweepFile: string;
  baseDir: string;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function submitSlurm(o: {
  file: string;
  text: string;
  expanded: ExpandedSweep;
  dir: string;
  baseDir: string;
  shards: number;
  jobs: number;
  partition?: string;
  time?: string;
  backend: NodeBackend;
}): number {
  const dir = path.resolve(o.dir);
  const meta = path.join(dir, META);
  const jobFile = path.join(meta, 'job.json');
  const copy = path.join(meta, SWEEP_COPY);
  // The same command rerun: collect (the job exists and the sweep is unchanged).
  const previous = readJson(jobFile) as SlurmJob | undefined;
  if (previous && existsSync(copy) && readRegularTextFile(copy) === o.text) return collect(o.dir, false);
  if (!which('sbatch')) throw new InputError('--slurm: sbatch is not on PATH (is this a Slurm login node?)');
  if (o.partition !== undefined && !/^[A-Za-z0-9_.-]+$/.test(o.partition)) throw new InputError(`--partition: not a partition name ("${o.partition}")`);
  if (o.time !== undefined && !/^[0-9:-]+$/.test(o.time)) throw new InputError(`--time: expected a Slurm time such as 30:00 or 1-00:00:00 (got "${o.time}")`);
  mkdirSync(meta, { recursive: true });
  writeFileAtomic(copy, o.text);
  const dfl = path.join(typeof __dirname === 'string' ? __dirname : process.cwd(), '..', 'bin', 'dfl.js');
  const script = path.join(meta, 'job.sbatch');
  const lines = [
    '#!/bin/sh',
    `#SBATCH --job-name=dfl-sweep`,
    `#SBATCH --array=0-${o.shards - 1}`,
    `#SBATCH --cpus-per-task=${o.jobs}`,
    `#SBATCH --output=${path.join(meta, 'task-%a.log')}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    `# Written by dfl sweep --slurm: each task runs one shard of the sweep into the shared folder.`,
    `exec ${quote(process.execPath)} ${quote(path.resolve(dfl))} sweep ${quote(copy)} --out ${quote(dir)} --base-dir ${quote(path.resolve(o.baseDir))} ` +
      `--shard "$SLURM_ARRAY_TASK_ID/${o.shards}" --jobs ${o.jobs} --backend ${o.backend} --quiet`,
    '',
  ];
  writeFileSync(script, lines.join('\n'), { mode: 0o755 });
  let jobId: string;
  try {
    jobId = execFileSync('sbatch', ['--parsable', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split(';')[0];
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim().split('\n')[0];
    throw new InputError(`--slurm: sbatch refused the job: ${stderr}`);
  }
  const job: SlurmJob = { jobId, shards: o.shards, script, sweepFile: copy, baseDir: path.resolve(o.baseDir) };
  writeFileAtomic(jobFile, `${JSON.stringify(job, null, 2)}\n`);
  process.stdout.write(`submitted Slurm job ${jobId}: ${o.expanded.points.length} runs in ${o.shards} array tasks into ${dir}\ncollect with: dfl sweep --collect ${o.dir}\n`);
  return 0;
}

/** Array tasks of a job still queued or running (squeue), or undefined without squeue. */
function activeTasks(jobId: string): number[] | undefined {
  if (!which('squeue')) return undefined;
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobId, '-o', '%K'], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter(Number.isInteger);
}

function collect(dirArg: string, resubmit: boolean): number {
  const dir = path.resolve(dirArg);
  const copy = path.join(dir, META, SWEEP_COPY);
  if (!existsSync(copy)) throw new InputError(`--collect: ${dirArg} holds no sweep (no ${META}/${SWEEP_COPY})`);
  const { expanded } = readSweep(copy);
  const rows = finishedRows(dir, expanded, expanded.points);
  writeSummary(dir, expanded, rows.values());
  const total = expanded.points.length;
  if (rows.size === total) {
    process.stdout.write(`collected ${total}/${total} runs into ${path.join(dirArg, 'summary.csv')} and summary.json\n`);
    return 0;
  }
  const job = readJson(path.join(dir, META, 'job.json')) as SlurmJob | undefined;
  const shards = job?.shards ?? 1;
  const active = job ? activeTasks(job.jobId) : undefined;
  const missing: number[] = [];
  for (let s = 0; s < shards; s++) {
    const mine = shardPoints(expanded.points, { index: s, count: shards });
    const absent = mine.filter((p) => !rows.has(p.hash)).length;
    if (absent === 0) continue;
    const running = active?.includes(s);
    if (!running) missing.push(s);
    process.stdout.write(`shard ${s}/${shards}: ${absent} of ${mine.length} runs missing${running ? ' (task still queued or running)' : ' (task failed or was cancelled; log: ' + path.join(dirArg, META, `task-${s}.log`) + ')'}\n`);
  }
  process.stdout.write(`${rows.size}/${total} runs in; summary written for those\n`);
  if (missing.length > 0 && job) {
    const array = missing.join(',');
    if (resubmit) {
      const id = execFileSync('sbatch', ['--parsable', `--array=${array}`, job.script], { encoding: 'utf8' }).trim().split(';')[0];
      writeFileAtomic(path.join(dir, META, 'job.json'), `${JSON.stringify({ ...job, jobId: id }, null, 2)}\n`);
      process.stdout.write(`resubmitted shards ${array} as Slurm job ${id}\n`);
    } else process.stdout.write(`resubmit with: dfl sweep --collect ${dirArg} --resubmit   (or: sbatch --array=${array} ${job.script})\n`);
  }
  return 1;
}
