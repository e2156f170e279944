#!/usr/bin/env node
// npm run bench:memory [-- --steps 10000,50000] [-- --dfl path/to/bin/dfl.js]
//
// Peak memory of a logged run: `dfl run` on the spectral path, n = 1000, logging every step, as a
// whole process (GNU time's maximum resident set size), beside the float64 data the run keeps
// (per logged step: the kept singular values, the distances to Ŵ_L, the step, loss and effective
// rank, 8 bytes each) and Node's own baseline (a process that only starts). Tests never assert it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const stepCounts = (flag('--steps') ?? '10000,50000').split(',').map(Number);
const dfl = path.resolve(flag('--dfl') ?? path.join(root, 'bin', 'dfl.js'));
const n = Number(flag('--n') ?? 1000);
const time = '/usr/bin/time';
const work = mkdtempSync(path.join(os.tmpdir(), 'dfl-bench-memory-'));

/** Maximum resident set size of a command, in MB, and its wall-clock seconds. */
function peak(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(time, ['-v', process.execPath, ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, DFL_THREADS: '1' } });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  return { mb: kb / 1024, seconds };
}

try {
  spawnSync(time, ['--version'], { stdio: 'ignore' }).status;
} catch {
  throw new Error(`${time} (GNU time) is needed to read a process's peak memory`);
}
const baseline = peak(['-e', '0']).mb;
process.stdout.write(`dfl: ${dfl}\nNode baseline (node -e 0): ${baseline.toFixed(0)} MB\n`);
process.stdout.write('| steps | logged | float64 data | peak RSS | peak − baseline | ÷ data | result file | seconds |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n');
for (const steps of stepCounts) {
  const spec = path.join(work, `spectral-${steps}.json`);
  const out = path.join(work, `result-${steps}.json`);
  writeFileSync(spec, JSON.stringify({ n, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps, log: { every: 1 } }));
  const { mb, seconds } = peak([dfl, 'run', spec, '--out', out, '--quiet']);
  const result = JSON.parse(readFileSync(out, 'utf8'));
  const logged = result.steps.length;
  const perStep = result.singularValuesKept + (result.distanceToBestRank[0]?.length ?? 0) + 3 + (result.groundTruthError ? 1 : 0);
  const data = (logged * perStep * 8) / 2 ** 20;
  const file = statSync(out).size / 2 ** 20;
  process.stdout.write(`| ${steps} | ${logged} | ${data.toFixed(0)} MB | ${mb.toFixed(0)} MB | ${(mb - baseline).toFixed(0)} MB | ${(mb / data).toFixed(2)} | ${file.toFixed(0)} MB | ${seconds.toFixed(1)} |\n`);
  rmSync(out, { force: true });
}
rmSync(work, { recursive: true, force: true });
