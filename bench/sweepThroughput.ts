// The Node side of the sweep benchmark (bundled and spawned by bench/sweep.mjs, one measurement
// per process, one thread): runs per second of the batched engine (core/engine/batchRun.ts) on
// the benchmark's grid, for matrix-path members (Gaussian init) or spectral members (identity
// init), best of the repeats that fit in the budget. Prints one JSON line.
import { batchKey, runBatch } from '../core/engine/batchRun';
import { runExperiment } from '../core/engine/runExperiment';
import { useNodeBackend } from '../node/platform';
import { parseSpec } from '../core/spec/parseSpec';
import { expandSweep } from '../core/sweep/expand';
import { measureRun } from '../core/sweep/measures';
import { logSchedule } from '../core/trajectory/logSchedule';

// MODE[@BACKEND]: the backend (default native) of useNodeBackend; on wasm or cpu the batched
// members run on the tfjs batched kernel (core/engine/tfjsBatchKernel.ts).
const [modeArg, json] = process.argv.slice(2);
const [mode, backend = 'native'] = modeArg.split('@') as [string, 'native' | 'wasm' | 'cpu' | undefined];
const cfg = JSON.parse(json) as { n: number; depth: number; steps: number; stepSize: number; alphas: number[]; seeds: number[]; eigenvalues: number[]; logPoints: number; budget: number };

const init = mode.startsWith('spectral') ? 'identity' : 'gaussian';
const sweep = {
  base: {
    n: cfg.n,
    depth: cfg.depth,
    target: { kind: 'spectrum', eigenvalues: cfg.eigenvalues, seed: 1 },
    init: init === 'identity' ? { kind: 'identity', alpha: 0.1 } : { kind: 'gaussian', alpha: 0.1, seed: 0 },
    stepSize: cfg.stepSize,
    steps: cfg.steps,
    log: { points: cfg.logPoints },
  },
  axes: init === 'identity' ? { 'init.alpha': cfg.alphas, 'target.seed': cfg.seeds } : { 'init.alpha': cfg.alphas, 'init.seed': cfg.seeds },
};

async function main() {
const accelerators = await useNodeBackend(backend);
const expanded = expandSweep(sweep);
const specs = expanded.points.map((p) => p.spec);
const logged = logSchedule(cfg.steps, specs[0].log);
const now = () => performance.now() / 1000;
const run = async () => {
  if (mode.endsWith('-single')) {
    // The per-run engine (runExperiment, as `dfl run`) for comparison.
    const out = [];
    for (const spec of specs) out.push(await runExperiment(parseSpec(spec), { accelerators }));
    return out;
  }
  return runBatch(specs, { accelerators });
};
let best = Infinity;
let results = await run();
const start = now();
do {
  const t0 = now();
  results = await run();
  best = Math.min(best, now() - t0);
} while (now() - start < cfg.budget);
// The measures of the summary, timed apart (they are part of every sweep row).
const t0 = now();
for (const r of results) measureRun(r, expanded.sweep.measures);
const measureSeconds = now() - t0;
process.stdout.write(
  `${JSON.stringify({
    mode: modeArg,
    runs: specs.length,
    seconds: best,
    runsPerSecond: specs.length / best,
    measuresPerSecond: specs.length / measureSeconds,
    logged,
    engine: results[0].engine,
    batchKernel: accelerators.batch?.description ?? null,
    batchKey: batchKey(specs[0], accelerators) ?? null,
    checksum: results.reduce((s, r) => s + r.loss[r.loss.length - 1], 0),
  })}\n`,
);
}

void main();
