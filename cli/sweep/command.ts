import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../../core/errors';
import { DEFAULT_NODE_BACKEND, NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../../node/platform';
import { RUN_STORE, shardStoreName } from '../../core/sweep/runStore';
import { runSweep } from '../../core/sweep/runSweep';
import { resultFileName } from '../../core/sweep/summary';
import { MAX_SWEEP_RUNS } from '../../core/sweep/schema';
import { checkOutputFolder, makeFolder, readTextFile, writeFileAtomic } from '../../node/files';
import { runGroup } from './executeGroup';
import { ENGINE, META, SWEEP_COPY, checkSweepFolder, finishedRows, readJson, readSweep, readSweepAsync, shardPoints, storeAppender, writeSummary } from './folder';
import { progressLine } from './progressLine';
import { collect } from './collect';
import { MAX_SLURM_JOBS, submitSlurm } from './slurm';
import { createExecutor } from './workerPool';
import { parseCommand, SWEEP_COMMAND } from '../options';
import { parseSetting, sweepWithSettings } from '../setFields';
import { integerFlag } from '../flags';
import { listenForInterrupt } from '../interrupt';
import { printable, printableLine } from '../terminal';

// `dfl sweep`: the command line's adapter. It reads the flags, then runs the sweep into its
// folder (folder.ts) on the worker pool (workerPool.ts), submits it to Slurm (slurm.ts),
// collects it (collect.ts), or reruns one of its runs.

function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new InputError(`--shard: expected I/K with 0 ≤ I < K (got "${text}")`);
  return { index, count };
}

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
