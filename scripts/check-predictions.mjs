#!/usr/bin/env node
// node scripts/check-predictions.mjs [--seed 2512] [--cases 64] [--measure entropy]
//
// Acceptance figures of the certified predictions (docs/theory.md Theorem 5.10) on identity-init
// specs that no test generates (property-tests/arbitraries/wideSpec.ts from a seed no test uses):
// every measure, N 2–6, n 5–120, the factors' α 1e-4–0.6, zero and negative eigenvalues,
// near-ties, η up to 0.99 of the bound, ε 0.02–0.3. Each spec runs the exact float64 recursion at
// every step (property-tests/evaluation.ts) and prints, overall and per measure: violations
// (steps of a certified interval outside its ε), the share of exact ε-runs of ≥ 20 steps that
// contain a prediction, and the mean tightness (predicted steps over run length, a run without a
// prediction counting 0). `--measure` evaluates every spec on one measure. Exit 1 on a violation.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { seed: { type: 'string', default: '2512' }, cases: { type: 'string', default: '64' }, measure: { type: 'string' } } });
const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'dfl-check-')), 'unseen.mjs');
await build({ entryPoints: [path.join(root, 'property-tests/unseenFigures.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning', absWorkingDir: root });
const { unseenFigures, formatFigures } = await import(pathToFileURL(out).href);
const seed = Number(values.seed);
const cases = Number(values.cases);
const started = Date.now();
const { all, byMeasure } = unseenFigures(seed, cases, (done) => process.stderr.write(`\r${done}/${cases} specs`), values.measure);
process.stderr.write('\n');
console.log(`seed ${seed}, ${cases} specs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const [measure, f] of [...byMeasure].sort()) console.log(formatFigures(measure, f));
console.log(formatFigures('all', all));
for (const v of all.violations.slice(0, 10)) console.log(`violation: ${v}`);
process.exitCode = all.violations.length > 0 ? 1 : 0;
