import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/dfl';
import { singularValues } from '../../../core/linalg/decompositions';
import type { RunResult } from '../../../core/result';
import { parseSpec } from '../../../core/spec/parseSpec';
import { buildTarget } from '../../../core/targets/buildTarget';
import { parseNpy } from '../../../core/targets/files/npy';
import { encodeNpy } from '../../../core/targets/files/npyWriter';
import { FLOAT32_UNIT_ROUNDOFF, matmulRoundingConstant, matrixPathTolerance } from '../../../core/theory/float32Tolerance';

// The replay of docs/replay.md: a run exported with `dfl run --npy`, replayed by
// scripts/replay.py with NumPy from the files alone, compared with the derived tolerances of
// docs/theory.md §7. Needs /usr/bin/python3 with NumPy (.ci/run installs python3-numpy).

const PYTHON = process.env.DFL_PYTHON ?? '/usr/bin/python3';
const numpy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
if (!numpy) console.warn(`replay tests skipped: ${PYTHON} with NumPy not found (apt-get install -y python3-numpy)`);
const FLOAT64_UNIT_ROUNDOFF = 2 ** -53;

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-replay-'));
beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

/** Runs a spec with `--npy`, replays it in NumPy; the logged and the replayed singular values. */
async function runAndReplay(name: string, spec: unknown): Promise<{ result: RunResult; logged: number[][]; replayed: number[][]; out: string }> {
  const file = path.join(dir, `${name}.dfl.json`);
  writeFileSync(file, JSON.stringify(spec));
  const npy = path.join(dir, name);
  expect(await main(['run', file, '--out', path.join(dir, `${name}.json`), '--npy', npy, '--quiet'])).toBe(0);
  const replayedFile = path.join(dir, `${name}-replayed.npy`);
  const python = spawnSync(PYTHON, ['scripts/replay.py', npy, '--out', replayedFile], { encoding: 'utf8' });
  expect(python.status, python.stderr).toBe(0);
  const rows = (m: { rows: number; cols: number; data: Float64Array }) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const result = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as RunResult;
  return {
    result,
    logged: rows(parseNpy(readFileSync(path.join(npy, 'sv.npy')), 'sv.npy')),
    replayed: rows(parseNpy(readFileSync(replayedFile), 'replayed')),
    out: python.stdout,
  };
}

// A spec on which the model of Proposition 7.2 holds to the last step (validThrough = steps).
const estimation = { n: 12, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 800, log: { points: 40 } };

describe('the .npy writer', () => {
  it('writes what the reader (and numpy.load) reads back exactly, data aligned to 64 bytes', () => {
    const values = [1, -2.5, Math.PI, 1e-300, 0, 7];
    const bytes = encodeNpy(values, [2, 3]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(Array.from(parseNpy(bytes, 'x').data)).toEqual(values);
    expect(() => encodeNpy([1, 2], [3])).toThrow();
  });
});

describe.skipIf(!numpy)('replay in NumPy (scripts/replay.py)', () => {
  it('replays a float32 matrix-path run within the derived float32 tolerance (plus float64 for NumPy)', async () => {
    const spec = { ...estimation, engine: 'matrix' };
    const { result, logged, replayed } = await runAndReplay('matrix', spec);
    expect(result.engine.precision).toBe('float32');
    const parsed = parseSpec(spec);
    const eigenvalues = buildTarget(parsed).eigenvalues!;
    const tol32 = matrixPathTolerance(parsed, eigenvalues, result.steps);
    const tol64 = matrixPathTolerance(parsed, eigenvalues, result.steps, FLOAT64_UNIT_ROUNDOFF);
    expect(tol32.validThrough).toBe(spec.steps);
    let worst = 0;
    result.steps.forEach((_, t) => {
      const tolerance = tol32.tolerance[t] + tol64.tolerance[t];
      for (let i = 0; i < logged[t].length; i++) worst = Math.max(worst, Math.abs(replayed[t][i] - logged[t][i]) / tolerance);
    });
    console.info(`float32 replay: largest deviation ${worst.toFixed(3)} of the derived tolerance`);
    expect(worst).toBeLessThanOrEqual(1);
    expect(worst).toBeGreaterThan(0); // float32 against float64: not the same numbers
  });

  it('replays a float64 spectral-path run within twice the float64 tolerance', async () => {
    const { result, logged, replayed } = await runAndReplay('spectral', estimation);
    expect(result.engine.path).toBe('spectral');
    const parsed = parseSpec(estimation);
    const tol64 = matrixPathTolerance(parsed, buildTarget(parsed).eigenvalues!, result.steps, FLOAT64_UNIT_ROUNDOFF);
    result.steps.forEach((_, t) => {
      for (let i = 0; i < logged[t].length; i++) expect(Math.abs(replayed[t][i] - logged[t][i])).toBeLessThanOrEqual(2 * tol64.tolerance[t]);
    });
  });

  it('replays sensing from a Gaussian init: the exported factors and operator give the logged start, the script reports the deviation after it', async () => {
    const spec = {
      n: 12, depth: 3, target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0, seed: 4, symmetric: false },
      init: { kind: 'gaussian', alpha: 0.1, seed: 5 }, problem: { kind: 'sensing', measurements: 80, seed: 6 },
      stepSize: 0.05, steps: 800, log: { points: 30 },
    };
    const { logged, replayed, out } = await runAndReplay('sensing', spec);
    const index = JSON.parse(readFileSync(path.join(dir, 'sensing', 'index.json'), 'utf8'));
    expect(index.files).toEqual({ target: 'target.npy', initialFactors: ['W1.npy', 'W2.npy', 'W3.npy'], operator: 'A.npy', steps: 'steps.npy', singularValues: 'sv.npy' });
    // Step 0: W(0) = W_3W_2W_1 formed in float32 from float32-stored factors, (7.1):
    // ‖fl(W) − W‖₂ ≤ ((1 + u√n)^N (1 + μ_n)^{N−1} − 1) ∏‖W_j‖₂.
    const n = spec.n;
    const u = FLOAT32_UNIT_ROUNDOFF;
    const norms = index.files.initialFactors.map((f: string) => singularValues(parseNpy(readFileSync(path.join(dir, 'sensing', f)), f))[0]);
    const bound = ((1 + u * Math.sqrt(n)) ** 3 * (1 + matmulRoundingConstant(n)) ** 2 - 1) * norms.reduce((a: number, b: number) => a * b, 1);
    for (let i = 0; i < n; i++) expect(Math.abs(replayed[0][i] - logged[0][i])).toBeLessThanOrEqual(bound);
    // No derived tolerance covers sensing beyond step 0 (docs/theory.md §7 is for estimation);
    // the script reports the largest deviation, which docs/replay.md quotes.
    expect(out).toMatch(/largest \|sv - logged sv\|/);
  });
});

describe('dfl export', () => {
  it('exports a saved result; refuses an existing directory and a malformed result with one line and exit 2', async () => {
    const file = path.join(dir, 'saved.dfl.json');
    writeFileSync(file, JSON.stringify({ ...estimation, steps: 100, problem: { kind: 'completion', observed: 0.5, seed: 3 }, init: { kind: 'gaussian', alpha: 0.1, seed: 2 } }));
    const saved = path.join(dir, 'saved.json');
    expect(await main(['run', file, '--out', saved, '--quiet'])).toBe(0);
    const npy = path.join(dir, 'saved-npy');
    expect(await main(['export', saved, '--npy', npy])).toBe(0);
    const index = JSON.parse(readFileSync(path.join(npy, 'index.json'), 'utf8'));
    expect(index.files.mask).toBe('mask.npy');
    const mask = parseNpy(readFileSync(path.join(npy, 'mask.npy')), 'mask');
    expect(mask.data.every((x) => x === 0 || x === 1)).toBe(true);
    expect(await main(['export', saved, '--npy', npy])).toBe(2);
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ spec: estimation, steps: 'x' }));
    expect(await main(['export', path.join(dir, 'bad.json'), '--npy', path.join(dir, 'bad-npy')])).toBe(2);
    expect(existsSync(path.join(dir, 'bad-npy'))).toBe(false);
  });
});
