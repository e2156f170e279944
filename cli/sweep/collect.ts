import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors';
import { writeFileAtomic } from '../../node/files';
import { META, SWEEP_COPY, finishedRows, readSweep, shardPoints, writeSummary } from './folder';
import { activeTasks, jobIdOf, readJob, sbatchFailure, shellWord, which } from './slurm';
import { printable } from '../terminal';

// `dfl sweep --collect DIR`: the summary of a sharded sweep from its run stores, with the shards
// still missing runs and, for a Slurm job, their resubmission.

export function collect(dirArg: string, resubmit: boolean): number {
  if (resubmit && !which('sbatch')) throw new InputError('--resubmit: sbatch is not on PATH (is this a Slurm login node?)');
  const dir = path.resolve(dirArg);
  const copy = path.join(dir, META, SWEEP_COPY);
  if (!existsSync(copy)) throw new InputError(`--collect: ${dirArg} holds no sweep (no ${META}/${SWEEP_COPY})`);
  const { expanded } = readSweep(copy);
  const { rows } = finishedRows(dir, expanded, expanded.points);
  writeSummary(dir, expanded, rows.values());
  const total = expanded.points.length;
  if (rows.size === total) {
    process.stdout.write(`collected ${total}/${total} runs into ${path.join(dirArg, 'summary.csv')} and summary.json\n`);
    return 0;
  }
  const job = readJob(path.join(dir, META, 'job.json'), path.join(dirArg, META, 'job.json'), total);
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
      let printed: string;
      try {
        printed = execFileSync('sbatch', ['--parsable', `--array=${array}`, job.script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        throw new InputError(`--resubmit: sbatch refused the job: ${sbatchFailure(error)}`);
      }
      const id = jobIdOf(printed, '--resubmit');
      writeFileAtomic(path.join(dir, META, 'job.json'), `${JSON.stringify({ ...job, jobId: id }, null, 2)}\n`);
      process.stdout.write(`resubmitted shards ${array} as Slurm job ${id}\n`);
    } else process.stdout.write(`resubmit with: dfl sweep --collect ${printable(shellWord(dirArg))} --resubmit   (or: sbatch --array=${array} ${printable(shellWord(job.script))})\n`);
  }
  return 1;
}
