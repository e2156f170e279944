import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { z } from 'zod';
import path from 'node:path';
import { InputError } from '../../core/errors';
import type { ExpandedSweep } from '../../core/sweep/expand';
import { MAX_SWEEP_RUNS } from '../../core/sweep/schema';
import type { NodeBackend } from '../../node/platform';
import { makeFolder, readRegularTextFile, writeFileAtomic } from '../../node/files';
import { printable } from '../terminal';
import { META, SWEEP_COPY, readJson } from './folder';
import { collect } from './collect';

// `dfl sweep --slurm`: an array job over shards of the sweep, collected from the shared folder.
// The job script is run by sh and read by sbatch: every value in it is quoted (sh) or checked to
// need no quoting (#SBATCH lines, which sbatch splits itself and which cannot be quoted for sh).

/** Most threads per array task (--jobs with --slurm): the cores of one large node. */
export const MAX_SLURM_JOBS = 1024;

const slurmJobSchema = z.object({
  jobId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a Slurm job id'),
  shards: z.int().min(1).max(MAX_SWEEP_RUNS),
  script: z.string().min(1),
  sweepFile: z.string().min(1),
  baseDir: z.string().min(1),
});
export type SlurmJob = z.output<typeof slurmJobSchema>;

/** `sweep/job.json`, validated: its shard count bounds the loops of collect. */
export function readJob(file: string, label: string, runs: number): SlurmJob | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = slurmJobSchema.safeParse(readJson(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${label}: ${issue ? `${issue.path.join('.') || 'the file'}: ${issue.message}` : 'not a job file'} (written by dfl sweep --slurm; remove it to submit again)`);
  }
  if (parsed.data.shards > runs) throw new InputError(`${label}: shards: ${parsed.data.shards} shards for ${runs} runs (written by dfl sweep --slurm; remove it to submit again)`);
  return parsed.data;
}

/** A path that may stand unquoted in an #SBATCH line (sbatch splits at blanks; %, \\ are its patterns). */
function checkSbatchPath(file: string, flag: string): void {
  if (/[\s'"`$\\%;&|<>(){}*?[\]#~\u0000-\u001f\u007f-\u009f]/.test(file))
    throw new InputError(`${flag} ${JSON.stringify(file)}: a Slurm job script cannot name this folder (it has a blank, a quote, $, \`, \\, % or another special character); choose a plainer path`);
}

/** The job id `sbatch --parsable` printed ("ID" or "ID;CLUSTER"), or an error saying what it printed. */
export function jobIdOf(printed: string, flag: string): string {
  const id = printed.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new InputError(`${flag}: sbatch printed no job id (${printed.trim() ? JSON.stringify(printed.trim().slice(0, 80)) : 'nothing'})`);
  return id;
}

/** The first line sbatch wrote on stderr when it failed. */
export function sbatchFailure(error: unknown): string {
  return String((error as { stderr?: unknown }).stderr || (error as Error).message).trim().split('\n')[0];
}

/**
 * Files written for a submission that may fail: on failure each goes back to what it was (its old
 * text, or gone), and folders made for it are removed.
 */
class Undo {
  private readonly steps: (() => void)[] = [];
  folder(dir: string): void {
    if (existsSync(dir)) return;
    makeFolder(dir, '--out');
    this.steps.push(() => rmSync(dir, { recursive: true, force: true }));
  }
  file(file: string): void {
    const before = existsSync(file) ? readRegularTextFile(file) : undefined;
    this.steps.push(() => (before === undefined ? rmSync(file, { force: true }) : writeFileAtomic(file, before)));
  }
  run(): void {
    for (const step of this.steps.reverse()) {
      try {
        step();
      } catch {
        // already failing: the submission's own error is the one to report
      }
    }
  }
}

/** bin/dfl.js of this install: next to dist/ (the bundle) or above cli/sweep/ (the sources). */
function dflScript(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.join(here, '..', 'bin', 'dfl.js'), path.join(here, '..', '..', 'bin', 'dfl.js')];
  return candidates.find((file) => existsSync(file)) ?? candidates[0];
}

/** `text` as one word for sh, in single quotes. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `text` as one word for sh: as it is when it needs no quotes (for commands shown to the user). */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : shellQuote(text);
}

export function which(command: string): boolean {
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
  if (o.partition !== undefined && !/^[A-Za-z0-9_.-]+$/.test(o.partition)) throw new InputError(`--partition: not a partition name (${JSON.stringify(o.partition)})`);
  if (o.time !== undefined && !/^[0-9:-]+$/.test(o.time)) throw new InputError(`--time: expected a Slurm time such as 30:00 or 1-00:00:00 (got ${JSON.stringify(o.time)})`);
  checkSbatchPath(meta, '--out');
  const undo = new Undo();
  try {
    return submit(o, dir, meta, copy, jobFile, undo);
  } catch (error) {
    undo.run();
    throw error;
  }
}

function submit(o: Parameters<typeof submitSlurm>[0], dir: string, meta: string, copy: string, jobFile: string, undo: Undo): number {
  undo.folder(dir);
  undo.folder(meta);
  undo.file(copy);
  writeFileAtomic(copy, o.text);
  const dfl = dflScript();
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
    `exec ${shellQuote(process.execPath)} ${shellQuote(path.resolve(dfl))} sweep ${shellQuote(copy)} --out ${shellQuote(dir)} --base-dir ${shellQuote(path.resolve(o.baseDir))} ` +
      `--shard "$SLURM_ARRAY_TASK_ID/${o.shards}" --jobs ${o.jobs} --backend ${o.backend} --quiet`,
    '',
  ];
  undo.file(script);
  writeFileAtomic(script, lines.join('\n'));
  chmodSync(script, 0o755);
  let printed: string;
  try {
    printed = execFileSync('sbatch', ['--parsable', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new InputError(`--slurm: sbatch refused the job: ${sbatchFailure(error)}`);
  }
  const jobId = jobIdOf(printed, '--slurm');
  const job: SlurmJob = { jobId, shards: o.shards, script, sweepFile: copy, baseDir: path.resolve(o.baseDir) };
  writeFileAtomic(jobFile, `${JSON.stringify(job, null, 2)}\n`);
  process.stdout.write(`submitted Slurm job ${jobId}: ${o.expanded.points.length} runs in ${o.shards} array tasks into ${printable(dir)}\ncollect with: dfl sweep --collect ${printable(shellWord(o.dir))}\n`);
  return 0;
}

/** Array tasks of a job still queued or running (squeue), or undefined without squeue. */
export function activeTasks(jobId: string): number[] | undefined {
  if (!which('squeue')) return undefined;
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobId, '-o', '%K'], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter(Number.isInteger);
}
