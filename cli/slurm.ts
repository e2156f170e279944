import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import type { ExpandedSweep } from '../core/sweep/expand';
import type { NodeBackend } from '../node/platform';
import { readRegularTextFile, writeFileAtomic } from '../node/files';
import { META, SWEEP_COPY, finishedRows, readJson, readSweep, shardPoints, writeSummary } from './sweep';

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

export function submitSlurm(o: {
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

export function collect(dirArg: string, resubmit: boolean): number {
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
