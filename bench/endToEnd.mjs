#!/usr/bin/env node
// npm run bench:e2e [-- --quick] [-- --json]
//
// What a user gets, timed as a user would: each `dfl` command as a whole process (start until its
// files are written) beside the PyTorch peer doing the same work (bench/peers/, copied from the
// peers the issue tracker names: a batched [B, n, n] script with hand gradients and a fused
// baddbmm_ update, and a single-run script), one thread each side, interleaved rounds, median
// of the rounds. The peer's own compute-only rate (import and set-up excluded) is printed too:
// the ratio against it is the strictest one. Tests never assert these times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const json = argv.includes('--json');
const rounds = quick ? 1 : 3;
const log = (m) => process.stderr.write(`[bench:e2e] ${m}\n`);
const python = '/usr/bin/python3';
const env = { ...process.env, DFL_THREADS: '1', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const hasTorch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const work = mkdtempSync(path.join(os.tmpdir(), 'dfl-bench-e2e-'));
const dfl = path.join(root, 'bin', 'dfl.js');

/** The grid of bench/peers/torch_sweep.py: α ∈ {0.1, 0.2, 0.3, 0.5} × runs/4 seeds, spectrum 4, 2, 1, 0.5, η = 0.01. */
function sweepFile(n, depth, steps, runs, kind) {
  const base = {
    n,
    depth,
    target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5].slice(0, n), seed: 1 },
    init: { kind, alpha: 0.1, ...(kind === 'gaussian' ? { seed: 1 } : {}) },
    stepSize: 0.01,
    steps,
    log: { points: 13 },
  };
  const seedAxis = kind === 'gaussian' ? 'init.seed' : 'target.seed';
  const file = path.join(work, `${kind}-n${n}-r${runs}.dfl-sweep.json`);
  writeFileSync(file, JSON.stringify({ name: `bench-${kind}-n${n}`, base, axes: { 'init.alpha': [0.1, 0.2, 0.3, 0.5], [seedAxis]: { seeds: runs / 4, from: 1 } } }));
  return file;
}

function timed(command, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, encoding: 'utf8', cwd: root, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${path.basename(args[0] ?? command)} ${args.slice(1, 3).join(' ')}: exit ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  return { seconds, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The logged steps of a sweep's runs (the peer computes its SVDs at the same ones), from its
 * four-run version with --results (the whole sweep's 10⁴ result files are not needed). It is also
 * the first `dfl sweep` after the build, which writes the bundle's code cache (bin/codeCache.js).
 */
function loggedSteps(n, depth, steps, kind) {
  const file = sweepFile(n, depth, steps, 4, kind);
  const out = path.join(work, 'logged');
  rmSync(out, { recursive: true, force: true });
  timed(process.execPath, [dfl, 'sweep', file, '--out', out, '--jobs', '1', '--quiet', '--results']);
  const first = readdirSync(out).find((f) => f.startsWith('run-'));
  return JSON.parse(readFileSync(path.join(out, first), 'utf8')).steps;
}

const rows = [];
function sweepCase(label, n, depth, steps, runs, kind) {
  const file = sweepFile(n, depth, steps, runs, kind);
  const logged = loggedSteps(n, depth, steps, kind).join(',');
  const dflTimes = [];
  const peerWall = [];
  const peerCompute = [];
  for (let r = 0; r < rounds; r++) {
    const out = path.join(work, `out-${label}-${r}`);
    dflTimes.push(timed(process.execPath, [dfl, 'sweep', file, '--out', out, '--jobs', '1', '--quiet']).seconds);
    rmSync(out, { recursive: true, force: true });
    if (hasTorch) {
      const p = timed(python, [path.join(here, 'peers', 'torch_sweep.py'), 'bmm', String(n), String(depth), String(steps), String(runs), kind, logged]);
      peerWall.push(p.seconds);
      peerCompute.push(JSON.parse(p.stdout.trim().split('\n').pop()).compute_s);
    }
  }
  const d = median(dflTimes);
  const row = { work: label, dflSeconds: d, dflRunsPerSecond: runs / d };
  if (hasTorch) Object.assign(row, { peerSeconds: median(peerWall), peerComputeSeconds: median(peerCompute), vsPeerProcess: median(peerWall) / d, vsPeerCompute: median(peerCompute) / d });
  rows.push(row);
  log(`${label}: dfl ${d.toFixed(2)} s (${(runs / d).toFixed(0)} runs/s)${hasTorch ? `; PyTorch bmm ${row.peerSeconds.toFixed(2)} s whole, ${row.peerComputeSeconds.toFixed(2)} s compute: ${row.vsPeerProcess.toFixed(2)}× / ${row.vsPeerCompute.toFixed(2)}×` : ''}`);
}

function runCase(label, n, depth, steps) {
  const spec = path.join(work, `run-n${n}.dfl.json`);
  writeFileSync(spec, JSON.stringify({ n, depth, target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5], seed: 1 }, init: { kind: 'gaussian', alpha: 1, seed: 2 }, stepSize: 0.01, steps, engine: 'matrix', log: { points: 2 } }));
  const dflTimes = [];
  const peerWall = [];
  for (let r = 0; r < rounds; r++) {
    dflTimes.push(timed(process.execPath, [dfl, 'run', spec, '--out', path.join(work, `run-${r}.json`), '--quiet', '--backend', 'native']).seconds);
    if (hasTorch) peerWall.push(timed(python, [path.join(here, 'peers', 'gd.py'), 'torch', String(n), String(depth), String(steps)]).seconds);
  }
  const d = median(dflTimes);
  const row = { work: label, dflSeconds: d };
  if (hasTorch) Object.assign(row, { peerSeconds: median(peerWall), vsPeerProcess: median(peerWall) / d });
  rows.push(row);
  log(`${label}: dfl ${d.toFixed(2)} s${hasTorch ? `; PyTorch ${row.peerSeconds.toFixed(2)} s: ${row.vsPeerProcess.toFixed(2)}×` : ''}`);
}

log(`${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, ${rounds} interleaved round(s)${hasTorch ? '' : '; PyTorch not importable by /usr/bin/python3: peers skipped'}`);
try {
  sweepCase('sweep n=16 N=3 200 steps, 4096 Gaussian runs', 16, 3, 200, quick ? 1024 : 4096, 'gaussian');
  sweepCase('sweep n=4 N=3 200 steps, 16384 Gaussian runs', 4, 3, 200, quick ? 1024 : 16384, 'gaussian');
  sweepCase('sweep n=64 N=3 200 steps, 1024 Gaussian runs', 64, 3, 200, quick ? 128 : 1024, 'gaussian');
  sweepCase('sweep n=16 N=3 200 steps, 10000 spectral runs', 16, 3, 200, quick ? 1000 : 10000, 'identity');
  runCase('run n=1024 N=3 30 steps (matrix path)', quick ? 256 : 1024, 3, 30);
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (json) process.stdout.write(`${JSON.stringify({ machine: os.cpus()[0]?.model, rounds, rows })}\n`);
else {
  process.stdout.write('| work | dfl end to end | PyTorch whole process | ratio (peer time / dfl time) | PyTorch compute only | ratio |\n|---|---|---|---|---|---|\n');
  for (const r of rows)
    process.stdout.write(
      `| ${r.work} | ${r.dflSeconds.toFixed(2)} s${r.dflRunsPerSecond ? ` (${r.dflRunsPerSecond.toFixed(0)} runs/s)` : ''} | ${r.peerSeconds?.toFixed(2) ?? '—'} s | ${r.vsPeerProcess?.toFixed(2) ?? '—'}× | ${r.peerComputeSeconds?.toFixed(2) ?? '—'} s | ${r.vsPeerCompute?.toFixed(2) ?? '—'}× |\n`,
    );
}
