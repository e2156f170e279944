#!/usr/bin/env node
// npm run bench [-- --json] [-- --quick | --smoke]
//
// Measures, in one run and on this machine: the matrix path's gradient-descent steps per second
// on every Node backend against the same loop in NumPy (float32 and float64, OPENBLAS_NUM_THREADS=1),
// the spectral path's component-steps per second, the cost of the logged singular values and of
// logging 400 points over a whole run, and the peak RSS and tensor count of a 512×512, N = 4 run.
// Prints a table, or with --json one JSON object on stdout (progress goes to stderr).
//
//   --quick   shorter budgets and a 1,000-step logging run (a few minutes less; not the documented numbers)
//   --smoke   tiny sizes, for the test suite: checks the plumbing, measures nothing useful
//   --save F  also write the JSON to file F (with the table on stdout)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const mode = argv.includes('--smoke') ? 'smoke' : argv.includes('--quick') ? 'quick' : 'full';
const log = (m) => process.stderr.write(`[bench] ${m}\n`);

const plan = {
  full: { sizes: [64, 128, 256, 512], budget: 3, spectral: [100, 1000, 10000, 100000], spectralBudget: 2, svdSizes: [64, 128, 256, 512], svdBudget: 2, logging: [512, 5000, 400], memory: [512, 4, 100], memoryWasmSteps: 10, numpyBudget: 3 },
  quick: { sizes: [64, 128, 256, 512], budget: 1.5, spectral: [1000, 10000], spectralBudget: 1, svdSizes: [64, 128, 256, 512], svdBudget: 1, logging: [512, 1000, 80], memory: [512, 4, 40], memoryWasmSteps: 5, numpyBudget: 1.5 },
  smoke: { sizes: [16], budget: 0.05, spectral: [1000], spectralBudget: 0.05, svdSizes: [16], svdBudget: 0.05, logging: [16, 40, 10], memory: [16, 4, 10], memoryWasmSteps: 5, numpyBudget: 0.05 },
}[mode];

// ---- the worker bundle (core is TypeScript) ----
const outDir = path.join(here, '.out');
mkdirSync(outDir, { recursive: true });
const workerFile = path.join(outDir, 'worker.cjs');
await build({ entryPoints: [path.join(here, 'worker.ts')], outfile: workerFile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'warning' });

function measure(args, env = {}) {
  const r = spawnSync(process.execPath, [workerFile, ...args.map(String)], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`worker ${args.join(' ')} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// ---- NumPy: python3 on PATH and Debian's /usr/bin/python3, where each imports numpy ----
function pythons() {
  const seen = new Set();
  const out = [];
  for (const candidate of ['python3', '/usr/bin/python3']) {
    let exe;
    try {
      exe = execFileSync(candidate, ['-c', 'import sys, numpy; print(sys.executable)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      continue;
    }
    const real = existsSync(exe) ? realpathSync(exe) : exe;
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(exe);
  }
  return out;
}

function numpy(python, sizes, budget) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(python, [path.join(here, 'numpy_gd.py'), sizes.join(','), '3', String(budget)], { env, encoding: 'utf8' });
  if (r.status !== 0) {
    log(`NumPy with ${python} failed: ${r.stderr.trim().split('\n').pop()}`);
    return null;
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const blas = out.blas.map((p) => path.basename(p)).join(', ') || 'unknown BLAS';
  out.label = `NumPy ${out.numpy} (${out.python}; ${blas}; 1 thread)`;
  return out;
}

// ---- the machine ----
const cpus = os.cpus();
const started = new Date();
const machine = {
  cpu: cpus[0]?.model ?? 'unknown',
  cores: cpus.length,
  memoryBytes: os.totalmem(),
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  loadAverageAtStart: os.loadavg(),
  date: started.toISOString(),
};
const info = measure(['info']);
log(`mode ${mode}; backends ${info.backends.join(', ')}; native: ${info.native ? `${info.native.library} (${info.native.config}), ${info.native.threads} threads` : 'not built'}`);

// ---- matrix path ----
const pys = mode === 'smoke' && process.env.DFL_BENCH_NUMPY !== '1' ? [] : pythons();
const numpys = [];
for (const py of pys) {
  log(`NumPy: ${py}`);
  const r = numpy(py, plan.sizes, plan.numpyBudget);
  if (r) numpys.push(r);
}
const baseline = numpys[0] ?? null;
const configs = [];
for (const b of info.backends) {
  if (b === 'native') {
    configs.push({ backend: 'native', threads: info.native.threads, env: { DFL_BENCH_BACKEND: 'native' } });
    if (info.native.threads > 1) configs.push({ backend: 'native', threads: 1, env: { DFL_BENCH_BACKEND: 'native', DFL_THREADS: '1' } });
  } else configs.push({ backend: b, threads: 1, env: { DFL_BENCH_BACKEND: b } });
}
const matrix = [];
for (const c of configs)
  for (const n of plan.sizes) {
    log(`matrix path: ${c.backend} (${c.threads} thread${c.threads > 1 ? 's' : ''}), n = ${n}`);
    const r = measure(['matrix', n, 3, plan.budget, 0.3], c.env);
    const np = baseline?.rows.find((x) => x.n === n);
    matrix.push({
      n,
      depth: 3,
      backend: c.backend,
      threads: c.threads,
      stepsPerSecond: r.stepsPerSecond,
      numpyF32StepsPerSecond: np?.f32 ?? null,
      numpyF64StepsPerSecond: np?.f64 ?? null,
      ratio: np ? r.stepsPerSecond / np.f32 : null,
    });
  }

// ---- spectral path ----
const spectralRows = plan.spectral.map((n) => {
  log(`spectral path: n = ${n}`);
  return measure(['spectral', n, 3, plan.spectralBudget]);
});
const headline = spectralRows.find((r) => r.n === 10000) ?? spectralRows.at(-1);

// ---- logging ----
const svdRows = plan.svdSizes.map((n) => {
  log(`singular values: n = ${n}`);
  return measure(['svd', n, plan.svdBudget]);
});
// The steps on all BLAS threads (the default) and, where that is more than one, on one thread
// (the configuration of the ratios above), leaving a core to the logged SVDs.
const loggingConfigs = info.native && info.native.threads > 1 ? [{}, { DFL_THREADS: '1' }] : [{}];
const loggingRuns = loggingConfigs.map((env) => {
  log(`logging overhead: ${plan.logging[0]}×${plan.logging[0]}, ${plan.logging[1]} steps, ${plan.logging[2]} points against none${env.DFL_THREADS ? ', 1 thread' : ''} (the longest part)`);
  return measure(['logging', ...plan.logging], env);
});
const run = loggingRuns[0];

// ---- memory ----
log(`memory: ${plan.memory[0]}×${plan.memory[0]}, N = ${plan.memory[1]}`);
const mem = measure(['memory', ...plan.memory]);
const memWasm = info.backends[0] === 'wasm' ? mem : measure(['memory', plan.memory[0], plan.memory[1], plan.memoryWasmSteps], { DFL_BENCH_BACKEND: 'wasm' });

const result = {
  mode,
  machine: { ...machine, loadAverageAtEnd: os.loadavg(), seconds: (Date.now() - started.getTime()) / 1000 },
  native: info.native,
  numpy: numpys.map(({ label, python, numpy: version, blas, rows }) => ({ label, python, version, blas, rows })),
  baseline: baseline?.label ?? null,
  spectral: { componentStepsPerSecond: headline.componentStepsPerSecond, n: headline.n, depth: 3, rows: spectralRows.map(({ checksum: _checksum, ...r }) => r) },
  matrix,
  logging: { overhead: run.overhead, run, runs: loggingRuns, singularValues: svdRows },
  memory: { peakRssBytes: mem.peakRssBytes, backend: mem.backend, n: mem.n, depth: mem.depth, steps: mem.steps, tensorsBefore: mem.tensorsBefore, tensorsAfter: mem.tensorsAfter, wasm: memWasm },
};

const saveAt = argv.indexOf('--save');
if (saveAt >= 0 && argv[saveAt + 1]) writeFileSync(argv[saveAt + 1], `${JSON.stringify(result, null, 2)}\n`);
if (json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const f = (x, d = 1) => (x === null || x === undefined ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(d));
  const lines = [];
  lines.push(`Deep Factorization Lab benchmark (${mode}) — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`);
  lines.push(`load average at start ${machine.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${result.machine.loadAverageAtEnd.map((x) => x.toFixed(2)).join(' ')}`);
  lines.push(`native: ${info.native ? `${info.native.library} — ${info.native.config}` : 'not built'}`);
  lines.push(`baseline: ${result.baseline ?? 'no NumPy found'}`);
  for (const np of numpys.slice(1)) lines.push(`also:     ${np.label}: ${np.rows.map((r) => `n=${r.n} f32 ${f(r.f32)} f64 ${f(r.f64)}`).join('; ')}`);
  lines.push('');
  lines.push('Matrix path, GD steps/s, N = 3');
  lines.push(['backend', 'threads', ...plan.sizes.map((n) => `n=${n}`)].map((s) => s.padStart(10)).join(''));
  for (const c of configs) {
    const rows = matrix.filter((r) => r.backend === c.backend && r.threads === c.threads);
    lines.push([c.backend, String(c.threads), ...rows.map((r) => f(r.stepsPerSecond))].map((s) => s.padStart(10)).join(''));
    lines.push(['  ratio', '', ...rows.map((r) => (r.ratio === null ? '—' : `${r.ratio.toFixed(3)}×`))].map((s) => s.padStart(10)).join(''));
  }
  if (baseline) {
    lines.push(['numpy f32', '1', ...baseline.rows.map((r) => f(r.f32))].map((s) => s.padStart(10)).join(''));
    lines.push(['numpy f64', '1', ...baseline.rows.map((r) => f(r.f64))].map((s) => s.padStart(10)).join(''));
  }
  lines.push('');
  lines.push(`Spectral path, N = 3: ${spectralRows.map((r) => `n=${r.n}: ${(r.componentStepsPerSecond / 1e6).toFixed(0)}·10⁶`).join(', ')} component-steps/s`);
  lines.push('');
  lines.push('Logged singular values (float64), ms per logged step');
  lines.push(['n', 'default', 'TypeScript', 'ml-matrix', 'Gram+syevd', 'max err/σ₁'].map((s) => s.padStart(12)).join(''));
  for (const r of svdRows)
    lines.push([String(r.n), f(r.defaultMs, 2), f(r.typescriptMs, 2), f(r.mlMatrixMs, 2), f(r.lapackGramMs, 2), r.maxDifferenceToMlMatrixRelative.toExponential(1)].map((s) => s.padStart(12)).join(''));
  lines.push(`(default: ${svdRows[0].defaultRoutine})`);
  lines.push(`Logging ${run.points} points over ${run.steps} steps at n = ${run.n}, N = 3 (wall s; CPU s in brackets):`);
  lines.push(['threads', 'no logging', 'overlapped', 'overhead', 'main thread', 'overhead'].map((s) => s.padStart(13)).join(''));
  const pct = (x) => (x === undefined || x === null || Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)} %`);
  const secs = (w, c) => `${w.toFixed(1)} [${c.toFixed(0)}]`;
  for (const r of loggingRuns)
    lines.push(
      [String(r.threads), secs(r.secondsWithoutLogging, r.cpuSeconds.none), r.cpuSeconds.overlapped === undefined ? '—' : secs(r.secondsWithLogging, r.cpuSeconds.overlapped), r.cpuSeconds.overlapped === undefined ? '—' : pct(r.overhead), secs(r.secondsSynchronous, r.cpuSeconds.synchronous), pct(r.overheadSynchronous)]
        .map((s) => s.padStart(13))
        .join(''),
    );
  lines.push(`(logged singular values: ${run.singularValues}; overlapped: ${run.millisecondsPerLoggedStep.toFixed(1)} ms per logged step, main thread: ${run.millisecondsPerLoggedStepSynchronous.toFixed(1)} ms)`);
  lines.push('(each figure is the fastest of its runs; every run in order, wall s, CPU time stolen by other guests in brackets:');
  for (const r of loggingRuns)
    lines.push(`  ${r.threads} thread${r.threads === 1 ? '' : 's'}: ${r.runs.map((x) => `${x.mode} ${x.seconds.toFixed(1)}${x.stolenSeconds === null ? '' : ` [${x.stolenSeconds.toFixed(1)}]`}`).join(', ')})`);
  lines.push('');
  lines.push(`Memory: ${mem.n}×${mem.n}, N = ${mem.depth}, ${mem.steps} steps on ${mem.backend}: peak RSS ${(mem.peakRssBytes / 2 ** 20).toFixed(0)} MiB, tensors ${mem.tensorsBefore} → ${mem.tensorsAfter}`);
  if (memWasm !== mem) lines.push(`        ${memWasm.n}×${memWasm.n}, N = ${memWasm.depth}, ${memWasm.steps} steps on ${memWasm.backend}: peak RSS ${(memWasm.peakRssBytes / 2 ** 20).toFixed(0)} MiB, tensors ${memWasm.tensorsBefore} → ${memWasm.tensorsAfter}`);
  lines.push(`(${result.machine.seconds.toFixed(0)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
